"""Check that every write names its actor, and that the audit trail it leaves cannot be lost.

Every service refuses a missing actor before it changes anything; a revision names a system
actor by its name and a user by its row; revisions outlive any attempt to delete their article,
and the desk offers no delete at all.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db.models import ProtectedError
from django.utils import timezone

from sinmun.newsroom import actors, followups, services
from sinmun.newsroom.followups import Event, Phase
from sinmun.newsroom.models import (
    Article,
    ArticleReporter,
    ArticleRevision,
    Keyword,
    OutletSettings,
    Reporter,
    Section,
    Series,
    SweepMark,
)

BODY = "<p>한결전자가 새 공장을 짓기로 했다.</p>"

MODELS = [
    OutletSettings,
    Section,
    Series,
    Reporter,
    Keyword,
    Article,
    ArticleReporter,
    Article.keywords.through,
    ArticleRevision,
    SweepMark,
]


def state() -> dict[str, list[dict]]:
    """Return every newsroom row, field by field: a refused call must leave all of them."""
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in MODELS}


@pytest.fixture
def announced():
    """Record every announcement in both phases; unsubscribe afterwards."""
    calls: list[tuple[Phase, followups.Happened]] = []
    handlers = {phase: (lambda h, phase=phase: calls.append((phase, h))) for phase in Phase}
    for phase, handler in handlers.items():
        followups.subscribe(tuple(Event), handler, phase=phase)
    yield calls
    for phase, handler in handlers.items():
        followups.unsubscribe(tuple(Event), handler, phase=phase)


@pytest.fixture
def world(newsroom):
    """A draft, a published article, a keyword and an embargo the sweep would announce."""
    newsroom.draft = newsroom.article(publish=False, headline="초안 제목")
    newsroom.live = newsroom.article(headline="출고된 제목", keywords=["반도체"])
    newsroom.keyword = Keyword.objects.get(name="반도체")
    newsroom.t0 = timezone.now()
    services.embargoes_announce_due(by=actors.SCHEDULE, now=newsroom.t0)
    embargoed = newsroom.article(publish=False, headline="엠바고 기사")
    services.article_publish(
        article=embargoed, by=actors.DEMO, at=newsroom.t0 + timedelta(minutes=1)
    )
    return newsroom


def _import(w, by, uri, status):
    return services.article_import(
        by=by,
        uri=uri,
        status=status,
        first_published_at=w.t0 - timedelta(hours=1),
        updated_at=None,
        headline="통신 기사",
        body=BODY,
        section=w.bigtech,
    )


CALLS = {
    "article_create": lambda w, by: services.article_create(
        by=by, headline="새 기사", body=BODY, section=w.bigtech, keywords=["새 키워드"]
    ),
    "article_update_draft": lambda w, by: services.article_update(
        article=w.draft, by=by, headline="몰래 고친 제목", keywords=["새 키워드"]
    ),
    "article_update_live": lambda w, by: services.article_update(
        article=w.live, by=by, headline="몰래 고친 제목"
    ),
    "article_submit": lambda w, by: services.article_submit(article=w.draft, by=by),
    "article_publish": lambda w, by: services.article_publish(article=w.draft, by=by),
    "article_withdraw": lambda w, by: services.article_withdraw(article=w.live, by=by),
    "article_import_new": lambda w, by: _import(
        w, by, "urn:newsml:wire:new", Article.Status.PUBLISHED
    ),
    "article_import_existing": lambda w, by: _import(w, by, w.live.uri, Article.Status.WITHDRAWN),
    "outlet_update": lambda w, by: services.outlet_update(by=by, name="몰래 바꾼 매체명"),
    "section_create": lambda w, by: services.section_create(by=by, name="경제", slug="economy"),
    "section_update": lambda w, by: services.section_update(
        by=by, section=w.politics, name="몰래 바꾼 섹션"
    ),
    "series_create": lambda w, by: services.series_create(by=by, name="사설", slug="editorial"),
    "series_update": lambda w, by: services.series_update(
        by=by, series=w.column, name="몰래 바꾼 연재"
    ),
    "reporter_create": lambda w, by: services.reporter_create(by=by, name="최서윤"),
    "reporter_update": lambda w, by: services.reporter_update(
        by=by, reporter=w.kim, name="몰래 바꾼 이름"
    ),
    "keyword_create": lambda w, by: services.keyword_create(by=by, name="새 키워드"),
    "keyword_rename": lambda w, by: services.keyword_rename(
        by=by, keyword=w.keyword, name="몰래 바꾼 키워드"
    ),
    "embargoes_announce_due": lambda w, by: services.embargoes_announce_due(
        by=by, now=w.t0 + timedelta(minutes=2)
    ),
}


@pytest.mark.parametrize(
    "not_an_actor", [pytest.param(None, id="none"), pytest.param("admin", id="username")]
)
@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_every_service_refuses_a_missing_actor_and_changes_nothing(
    world, call, not_an_actor, announced, django_capture_on_commit_callbacks
):
    before = state()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(TypeError) as excinfo:
            call(world, not_an_actor)
    assert str(excinfo.value) == actors.ACTOR_REQUIRED
    assert state() == before
    assert announced == []
    assert callbacks == []


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_the_same_call_with_an_actor_changes_rows(world, call):
    """With an actor that may do everything, each refused call does change rows: the refusal
    tests above cannot pass because the call would have changed nothing anyway."""
    before = state()
    call(world, actors.DEMO)
    assert state() != before


# Revisions name their actor --------------------------------------------------------------------


@pytest.fixture
def desk(django_user_model):
    user = django_user_model.objects.create_user(username="desk", password=None)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="newsroom",
            codename__in=["add_article", "change_article", "publish_article"],
        )
    )
    return django_user_model.objects.get(pk=user.pk)


def every_action(newsroom, by) -> Article:
    """Create, update, submit, publish, withdraw and import one article as ``by``."""
    article = services.article_create(by=by, headline="기사", body=BODY, section=newsroom.bigtech)
    services.article_update(article=article, by=by, headline="고친 기사")
    services.article_submit(article=article, by=by)
    services.article_publish(article=article, by=by)
    services.article_withdraw(article=article, by=by, reason="오보 확인")
    services.article_import(
        by=by,
        uri=article.uri,
        status=Article.Status.PUBLISHED,
        first_published_at=article.first_published_at,
        updated_at=timezone.now(),
        headline="다시 들어온 기사",
        body=BODY,
        section=newsroom.bigtech,
    )
    return article


ALL_ACTIONS = ["create", "update", "submit", "publish", "withdraw", "import"]


@pytest.mark.parametrize(
    ("actor", "name"),
    [
        (actors.IMPORT, "import"),
        (actors.DEMO, "demo"),
        (actors.api_client("cms", may_publish=True), "api:cms"),
    ],
)
def test_a_system_actors_revisions_carry_its_name_and_no_user(newsroom, actor, name):
    article = every_action(newsroom, actor)
    rows = list(article.revisions.order_by("id").values_list("action", "by", "actor"))
    assert rows == [(action, None, name) for action in ALL_ACTIONS]
    assert {r.done_by for r in article.revisions.all()} == {f"시스템:{name}"}


def test_a_users_revisions_carry_the_user_and_no_system_name(newsroom, desk):
    article = every_action(newsroom, desk)
    rows = list(article.revisions.order_by("id").values_list("action", "by", "actor"))
    assert rows == [(action, desk.pk, "") for action in ALL_ACTIONS]
    assert {r.done_by for r in article.revisions.all()} == {"desk"}


def test_done_by_names_the_user_or_the_system(newsroom, desk):
    article = services.article_create(by=desk, headline="기사", body=BODY, section=newsroom.bigtech)
    services.article_publish(article=article, by=actors.SCHEDULE)
    by_user, by_system = article.revisions.order_by("id")
    assert by_user.done_by == "desk"
    assert by_system.done_by == "시스템:schedule"


# Revisions cannot be lost -----------------------------------------------------------------------


def test_an_article_with_revisions_cannot_be_deleted(newsroom):
    article = newsroom.article()
    revisions = list(article.revisions.values_list("pk", flat=True))
    assert len(revisions) == 2  # create, publish
    with pytest.raises(ProtectedError):
        article.delete()
    with pytest.raises(ProtectedError):
        Article.objects.filter(pk=article.pk).delete()
    assert Article.objects.filter(pk=article.pk).exists()
    assert sorted(article.revisions.values_list("pk", flat=True)) == sorted(revisions)


def test_a_user_with_revisions_cannot_be_deleted(newsroom, desk):
    services.article_create(by=desk, headline="기사", body=BODY, section=newsroom.bigtech)
    with pytest.raises(ProtectedError):
        desk.delete()
    assert ArticleRevision.objects.filter(by=desk).count() == 1


# The desk offers no delete ----------------------------------------------------------------------


def _rows(newsroom):
    article = newsroom.article()
    return {
        "article": article,
        "articlerevision": article.revisions.first(),
        "section": newsroom.politics,
        "series": newsroom.column,
        "reporter": newsroom.kim,
        "keyword": article.keywords.first(),
        "outletsettings": OutletSettings.objects.get(),
    }


ADMINS = [
    "article",
    "articlerevision",
    "section",
    "series",
    "reporter",
    "keyword",
    "outletsettings",
]


@pytest.mark.parametrize("model", ADMINS)
def test_a_superuser_cannot_delete_from_the_desk(admin_client, newsroom, model):
    row = _rows(newsroom)[model]
    url = f"/admin/newsroom/{model}/{row.pk}/delete/"
    before = state()
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert state() == before


@pytest.mark.parametrize("model", ADMINS)
def test_no_changelist_offers_delete_selected(admin_client, newsroom, model):
    _rows(newsroom)
    response = admin_client.get(f"/admin/newsroom/{model}/")
    assert response.status_code == 200
    action_form = response.context["action_form"]
    names = [] if action_form is None else [n for n, _ in action_form.fields["action"].choices]
    assert "delete_selected" not in names
    if model == "article":
        assert {"publish", "withdraw"} <= set(names)


def test_posting_delete_selected_anyway_deletes_nothing(admin_client, newsroom):
    article = newsroom.article()
    before = state()
    admin_client.post(
        "/admin/newsroom/article/",
        {"action": "delete_selected", "_selected_action": [str(article.pk)], "post": "yes"},
    )
    assert state() == before
