"""Check ``newsroom.access`` cell by cell: every kind of actor against every article state.

The expected answers are written out by hand from the rules in access.py's docstring, never
computed by calling the code under test:

- readers see an article that is published and whose 입력 time has come; anything else only
  whoever may edit it (or send the desk a change to it) sees;
- a 기자 edits and 송고s their own articles (owner or byline) while 작성 중, 송고 or 반려, and
  proposes changes to their released ones; someone else's article they may only read;
- a 데스크 edits, releases, returns, corrects and withdraws the articles of their sections
  (none assigned: all); a 관리자 and a superuser everything;
- system actors answer by their permissions alone; an inactive user may do nothing.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.utils import timezone

from sinmun.newsroom import access, actors, roles
from sinmun.newsroom.models import Article, ArticleReporter, Reporter, Section

STATES = ("draft", "submitted", "returned", "published", "embargoed", "withdrawn")

# One row per actor; each question answers for the states in ``STATES`` order
# (draft, submitted, returned, published, embargoed, withdrawn): Y = may, - = may not.
# ``create`` does not depend on the article, so its cells are all alike.
NOBODY = {
    "view": "---Y--",
    "edit": "------",
    "propose": "------",
    "submit": "------",
    "release": "------",
    "create": "------",
}
READ_AND_WRITE_NEW = {**NOBODY, "create": "YYYYYY"}
OWN_REPORTER = {
    "view": "YYYYYY",
    "edit": "YYY---",
    "propose": "---YYY",
    "submit": "YYY---",
    "release": "------",
    "create": "YYYYYY",
}
DESK = {
    "view": "YYYYYY",
    "edit": "YYYYYY",
    "propose": "---YYY",
    "submit": "YYYYYY",
    "release": "YYYYYY",
    "create": "YYYYYY",
}
SYSTEM_ALL = {**DESK, "propose": "------"}
RELEASE_ONLY = {**NOBODY, "release": "YYYYYY"}
API_WRITER = {
    "view": "YYYY--",
    "edit": "YYY---",
    "propose": "------",
    "submit": "YYY---",
    "release": "------",
    "create": "YYYYYY",
}

EXPECTED = {
    "anonymous": NOBODY,
    "reader": NOBODY,
    "own_reporter": OWN_REPORTER,
    "byline_reporter": OWN_REPORTER,
    "other_reporter": READ_AND_WRITE_NEW,
    "desk": DESK,
    "desk_here": DESK,
    "desk_of_parent": DESK,
    "desk_elsewhere": READ_AND_WRITE_NEW,
    "admin": DESK,
    "inactive_desk": NOBODY,
    "inactive_superuser": NOBODY,
    "superuser": DESK,
    "system_import": SYSTEM_ALL,
    "system_schedule": RELEASE_ONLY,
    "system_weather": NOBODY,
    "system_demo": SYSTEM_ALL,
    "system_indexer": NOBODY,
    "api_without_publish": API_WRITER,
    "api_with_publish": SYSTEM_ALL,
}

SYSTEM = {
    "system_import": actors.IMPORT,
    "system_schedule": actors.SCHEDULE,
    "system_weather": actors.WEATHER,
    "system_demo": actors.DEMO,
    "system_indexer": actors.INDEXER,
    "api_without_publish": actors.api_client("wire"),
    "api_with_publish": actors.api_client("cms", may_publish=True),
}

USERS = {
    # name: (role group, is_active, is_superuser, desk sections)
    "reader": (None, True, False, ()),
    "own_reporter": (roles.REPORTER, True, False, ()),
    "byline_reporter": (roles.REPORTER, True, False, ()),
    "other_reporter": (roles.REPORTER, True, False, ()),
    "desk": (roles.DESK, True, False, ()),
    "desk_here": (roles.DESK, True, False, ("assembly",)),
    "desk_of_parent": (roles.DESK, True, False, ("politics",)),
    "desk_elsewhere": (roles.DESK, True, False, ("economy",)),
    "admin": (roles.ADMIN, True, False, ("economy",)),
    "inactive_desk": (roles.DESK, False, False, ()),
    "inactive_superuser": (None, False, True, ()),
    "superuser": (None, True, True, ()),
}


@pytest.fixture
def sections(db):
    politics = Section.objects.create(name="정치", slug="politics")
    return {
        "politics": politics,
        "assembly": Section.objects.create(name="국회", slug="assembly", parent=politics),
        "economy": Section.objects.create(name="경제", slug="economy"),
    }


def make_actor(name: str, django_user_model, sections):
    if name == "anonymous":
        return AnonymousUser()
    if name in SYSTEM:
        return SYSTEM[name]
    role, is_active, is_superuser, desk_of = USERS[name]
    user = django_user_model.objects.create_user(
        username=name, password=None, is_active=is_active, is_superuser=is_superuser
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    for slug in desk_of:
        sections[slug].desk_editors.add(user)
    return django_user_model.objects.get(pk=user.pk)  # a fresh object: permissions are cached


def make_article(state: str, section: Section | None = None, owner=None) -> Article:
    """Return an article in ``state`` (saved, in 국회 when ``section`` is given)."""
    now = timezone.now()
    status, first_published_at = {
        "draft": (Article.Status.DRAFT, None),
        "submitted": (Article.Status.SUBMITTED, None),
        "returned": (Article.Status.RETURNED, None),
        "published": (Article.Status.PUBLISHED, now - timedelta(hours=1)),
        "embargoed": (Article.Status.PUBLISHED, now + timedelta(hours=1)),
        "withdrawn": (Article.Status.WITHDRAWN, now - timedelta(hours=1)),
    }[state]
    article = Article(headline="셀 검사", status=status, first_published_at=first_published_at)
    if section is not None:
        article.section = section
        article.owner = owner
        article.body = "<p>본문</p>"
        article.save()
    return article


QUESTIONS = {
    "view": lambda actor, article: access.may_view_article(actor, article),
    "edit": lambda actor, article: access.may_edit_article(actor, article),
    "propose": lambda actor, article: access.may_propose_change(actor, article),
    "submit": lambda actor, article: access.may_submit_article(actor, article),
    "release": lambda actor, article: access.may_release_article(actor, article),
    "create": lambda actor, article: access.may_create_article(actor),
}

CELLS = [
    pytest.param(actor, state, question, row[question][i] == "Y", id=f"{actor}-{state}-{question}")
    for actor, row in EXPECTED.items()
    for i, state in enumerate(STATES)
    for question in QUESTIONS
]


def test_the_table_is_complete():
    """Every row answers every question for every state, with nothing but Y and -."""
    assert set(EXPECTED) == {"anonymous"} | set(USERS) | set(SYSTEM)
    for row in EXPECTED.values():
        assert set(row) == set(QUESTIONS)
        for cells in row.values():
            assert len(cells) == len(STATES)
            assert set(cells) <= {"Y", "-"}
    # Every system actor of actors.py has a row.
    assert set(actors.SYSTEM_ACTORS.values()) <= set(SYSTEM.values())


@pytest.mark.django_db
@pytest.mark.parametrize(("actor_name", "state", "question", "expected"), CELLS)
def test_cell(actor_name, state, question, expected, django_user_model, sections):
    actor = make_actor(actor_name, django_user_model, sections)
    owner = actor if actor_name == "own_reporter" else None
    article = make_article(state, sections["assembly"], owner=owner)
    if actor_name == "byline_reporter":
        reporter = Reporter.objects.create(name="문가온", slug="mun", user=actor)
        ArticleReporter.objects.create(article=article, reporter=reporter)
    assert QUESTIONS[question](actor, article) is expected


def test_public_means_published_and_its_time_has_come():
    assert access.article_is_public(make_article("published"))
    for state in ("draft", "submitted", "returned", "embargoed", "withdrawn"):
        assert not access.article_is_public(make_article(state)), state
    # Published without a 입력 time (never happens through the services) is not public.
    assert not access.article_is_public(Article(status=Article.Status.PUBLISHED))


@pytest.mark.django_db
def test_the_role_groups_carry_their_permissions(django_user_model):
    """The three groups exist after migrate, each with what its role needs and no more."""
    reporter, desk, admin = (
        django_user_model.objects.create_user(username=n, password=None) for n in "rda"
    )
    reporter.groups.add(Group.objects.get(name=roles.REPORTER))
    desk.groups.add(Group.objects.get(name=roles.DESK))
    admin.groups.add(Group.objects.get(name=roles.ADMIN))
    reporter, desk, admin = (
        django_user_model.objects.get(pk=u.pk) for u in (reporter, desk, admin)
    )
    assert [roles.role_of(u) for u in (reporter, desk, admin)] == [
        roles.REPORTER,
        roles.DESK,
        roles.ADMIN,
    ]
    assert not reporter.has_perm(actors.PUBLISH)
    assert desk.has_perm(actors.PUBLISH) and not desk.has_perm(actors.MANAGE_OUTLET)
    assert not desk.has_perm("newsroom.change_section")
    assert admin.has_perm("newsroom.change_section") and admin.has_perm("auth.add_user")
    # Nobody deletes: articles are withdrawn, records kept.
    assert not admin.has_perm("newsroom.delete_article")
    assert roles.role_of(django_user_model(username="x", is_active=False)) is None


@pytest.mark.django_db
def test_taxonomy_and_outlet_rights_follow_the_permissions(django_user_model):
    user = django_user_model.objects.create_user(username="taxonomist", password=None)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="newsroom", codename__in=["add_section", "change_reporter"]
        )
    )
    user = django_user_model.objects.get(pk=user.pk)
    assert access.may_manage(user, "section", creating=True) is True
    assert access.may_manage(user, "section", creating=False) is False
    assert access.may_manage(user, "reporter", creating=False) is True
    assert access.may_manage(user, "reporter", creating=True) is False
    assert access.may_manage_outlet(user) is False
    assert access.may_manage_outlet(actors.DEMO) is True
    assert access.may_manage_outlet(actors.IMPORT) is False
    assert access.may_manage(actors.IMPORT, "keyword", creating=False) is True
    assert access.may_manage(actors.SCHEDULE, "keyword", creating=False) is False
    assert access.may_manage(AnonymousUser(), "section", creating=True) is False


NOT_ACTORS = [
    pytest.param(None, id="none"),
    pytest.param(object(), id="object"),
    pytest.param("admin", id="username"),
    pytest.param(1, id="user-id"),
]

ASKED = [
    pytest.param(lambda actor: access.may_create_article(actor), id="create"),
    pytest.param(lambda actor: access.may_edit_article(actor, make_article("draft")), id="edit"),
    pytest.param(
        lambda actor: access.may_submit_article(actor, make_article("draft")), id="submit"
    ),
    pytest.param(
        lambda actor: access.may_release_article(actor, make_article("draft")), id="release"
    ),
    pytest.param(
        lambda actor: access.may_view_article(actor, make_article("draft")), id="view-draft"
    ),
    # Anyone may see a public article, but "anyone" is still an actor: a missing one is a bug
    # in the caller, whatever the article.
    pytest.param(
        lambda actor: access.may_view_article(actor, make_article("published")),
        id="view-published",
    ),
    pytest.param(lambda actor: access.may_manage_outlet(actor), id="outlet"),
    pytest.param(lambda actor: access.may_manage(actor, "section", creating=True), id="manage"),
]


@pytest.mark.parametrize("not_an_actor", NOT_ACTORS)
@pytest.mark.parametrize("ask", ASKED)
def test_a_missing_or_wrong_actor_is_a_type_error(ask, not_an_actor):
    with pytest.raises(TypeError) as excinfo:
        ask(not_an_actor)
    assert str(excinfo.value) == actors.ACTOR_REQUIRED


@pytest.mark.parametrize("not_an_actor", NOT_ACTORS)
def test_require_refuses_what_is_not_an_actor(not_an_actor):
    with pytest.raises(TypeError) as excinfo:
        actors.require(not_an_actor)
    assert str(excinfo.value) == actors.ACTOR_REQUIRED


def test_require_returns_an_actor_as_given():
    anonymous = AnonymousUser()
    assert actors.require(anonymous) is anonymous
    assert actors.require(actors.SCHEDULE) is actors.SCHEDULE
