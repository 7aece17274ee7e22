"""Check ``newsroom.access`` cell by cell: every kind of actor against every article state.

The expected answers are written out by hand from the rules in access.py's docstring, never
computed by calling the code under test:

- readers see an article that is published and whose 입력 time has come; anything else only
  whoever may edit it sees;
- editing a draft or a 송고 article needs ``change_article``; editing a published (embargoed
  included: its status is 출고) or withdrawn one needs ``publish_article`` too;
- creating needs ``add_article``, 송고 needs ``change_article``;
- releasing, withdrawing and scheduling need ``publish_article``;
- an inactive user may do nothing.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.utils import timezone

from sinmun.newsroom import access, actors
from sinmun.newsroom.models import Article

STATES = ("draft", "submitted", "published", "embargoed", "withdrawn")

# One row per actor; each question answers for the states in ``STATES`` order
# (draft, submitted, published, embargoed, withdrawn): Y = may, - = may not.
# ``create`` does not depend on the article, so its five cells are all alike.
NOBODY = {
    "view": "--Y--",
    "edit": "-----",
    "submit": "-----",
    "release": "-----",
    "create": "-----",
}
WRITER = {
    "view": "YYY--",
    "edit": "YY---",
    "submit": "YYYYY",
    "release": "-----",
    "create": "YYYYY",
}
EVERYTHING = {
    "view": "YYYYY",
    "edit": "YYYYY",
    "submit": "YYYYY",
    "release": "YYYYY",
    "create": "YYYYY",
}
RELEASE_ONLY = {
    "view": "--Y--",
    "edit": "-----",
    "submit": "-----",
    "release": "YYYYY",
    "create": "-----",
}

EXPECTED = {
    "anonymous": NOBODY,
    "reader": NOBODY,
    "reporter": WRITER,
    "desk": EVERYTHING,
    "inactive_desk": NOBODY,
    "inactive_superuser": NOBODY,
    "superuser": EVERYTHING,
    "system_import": EVERYTHING,
    "system_schedule": RELEASE_ONLY,
    "system_weather": NOBODY,
    "system_demo": EVERYTHING,
    "system_indexer": NOBODY,
    "api_without_publish": WRITER,
    "api_with_publish": EVERYTHING,
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
    # name: (permission codenames, is_active, is_superuser)
    "reader": ((), True, False),
    "reporter": (("add_article", "change_article"), True, False),
    "desk": (("add_article", "change_article", "publish_article"), True, False),
    "inactive_desk": (("add_article", "change_article", "publish_article"), False, False),
    "inactive_superuser": ((), False, True),
    "superuser": ((), True, True),
}


def make_actor(name: str, django_user_model):
    if name == "anonymous":
        return AnonymousUser()
    if name in SYSTEM:
        return SYSTEM[name]
    codenames, is_active, is_superuser = USERS[name]
    user = django_user_model.objects.create_user(
        username=name, password=None, is_active=is_active, is_superuser=is_superuser
    )
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="newsroom", codename__in=codenames)
    )
    assert user.user_permissions.count() == len(codenames)
    return django_user_model.objects.get(pk=user.pk)  # a fresh object: permissions are cached


def make_article(state: str) -> Article:
    """Return an article in ``state``; access reads only the status and the 입력 time."""
    now = timezone.now()
    status, first_published_at = {
        "draft": (Article.Status.DRAFT, None),
        "submitted": (Article.Status.SUBMITTED, None),
        "published": (Article.Status.PUBLISHED, now - timedelta(hours=1)),
        "embargoed": (Article.Status.PUBLISHED, now + timedelta(hours=1)),
        "withdrawn": (Article.Status.WITHDRAWN, now - timedelta(hours=1)),
    }[state]
    return Article(headline="셀 검사", status=status, first_published_at=first_published_at)


QUESTIONS = {
    "view": lambda actor, article: access.may_view_article(actor, article),
    "edit": lambda actor, article: access.may_edit_article(actor, article),
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
def test_cell(actor_name, state, question, expected, django_user_model):
    actor = make_actor(actor_name, django_user_model)
    article = make_article(state)
    assert QUESTIONS[question](actor, article) is expected


def test_public_means_published_and_its_time_has_come():
    assert access.article_is_public(make_article("published"))
    for state in ("draft", "submitted", "embargoed", "withdrawn"):
        assert not access.article_is_public(make_article(state)), state
    # Published without a 입력 time (never happens through the services) is not public.
    assert not access.article_is_public(Article(status=Article.Status.PUBLISHED))


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
