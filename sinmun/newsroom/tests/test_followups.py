"""Check the follow-up registry: when each phase runs, what a failure does, and what each
service announces.

``INSIDE`` handlers share the change's transaction; ``AFTER_COMMIT`` handlers run only once
it commits (``django_capture_on_commit_callbacks(execute=True)`` stands in for the commit).
"""

import contextlib
import functools
import logging
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sinmun.newsroom import actors, followups, generation, services
from sinmun.newsroom.followups import Event, Happened, Phase
from sinmun.newsroom.models import Article, ArticleRevision
from sinmun.search.models import SearchDocument

BODY = "<p>한결전자가 새 공장을 짓기로 했다.</p>"


class Boom(Exception):
    pass


class Recorder:
    """Record every announcement with its phase, in the order the handlers ran."""

    def __init__(self):
        self.calls: list[tuple[Phase, Happened]] = []
        self.handlers = {
            phase: (lambda happened, phase=phase: self.calls.append((phase, happened)))
            for phase in Phase
        }

    def of(self, phase: Phase) -> list[Happened]:
        return [h for p, h in self.calls if p == phase]

    def events(self, phase: Phase) -> list[tuple]:
        return [(h.event, h.article_id, h.kind, h.object_id, h.actor) for h in self.of(phase)]


@pytest.fixture
def recorder():
    recorder = Recorder()
    for phase, handler in recorder.handlers.items():
        followups.subscribe(tuple(Event), handler, phase=phase)
    yield recorder
    for phase, handler in recorder.handlers.items():
        followups.unsubscribe(tuple(Event), handler, phase=phase)
    for phase, handler in recorder.handlers.items():
        assert not any(handler in followups.subscribers(event, phase) for event in Event)


@pytest.fixture
def extra_handlers():
    """Subscribe handlers for one test and remove them afterwards, even if it fails."""
    added: list[tuple[Event, object, Phase]] = []

    def add(event, handler, *, phase):
        followups.subscribe(event, handler, phase=phase)
        added.append((event, handler, phase))

    yield add
    for event, handler, phase in added:
        followups.unsubscribe(event, handler, phase=phase)


HAPPENED = Happened(Event.SITE_CHANGED, actor="demo")


# The registry -----------------------------------------------------------------------------------


def test_subscribe_once_per_handler_and_unsubscribe(extra_handlers):
    def handler(happened):
        pass

    extra_handlers(Event.UPDATED, handler, phase=Phase.INSIDE)
    extra_handlers((Event.UPDATED, Event.PUBLISHED), handler, phase=Phase.INSIDE)
    assert followups.subscribers(Event.UPDATED, Phase.INSIDE).count(handler) == 1
    assert handler in followups.subscribers(Event.PUBLISHED, Phase.INSIDE)
    assert handler not in followups.subscribers(Event.UPDATED, Phase.AFTER_COMMIT)
    followups.unsubscribe((Event.UPDATED, Event.PUBLISHED), handler, phase=Phase.INSIDE)
    assert handler not in followups.subscribers(Event.UPDATED, Phase.INSIDE)
    assert handler not in followups.subscribers(Event.PUBLISHED, Phase.INSIDE)


def test_a_handler_hears_only_the_events_it_subscribed_to(db, extra_handlers, committed):
    heard = []
    extra_handlers(Event.WITHDRAWN, heard.append, phase=Phase.INSIDE)
    extra_handlers(Event.WITHDRAWN, heard.append, phase=Phase.AFTER_COMMIT)
    with committed():
        followups.announce(HAPPENED)
    assert heard == []


# The phases -------------------------------------------------------------------------------------


def test_inside_runs_at_once_and_after_commit_only_on_commit(db, recorder, committed):
    with committed() as callbacks:
        followups.announce(HAPPENED)
        assert recorder.of(Phase.INSIDE) == [HAPPENED]
        assert recorder.of(Phase.AFTER_COMMIT) == []
        assert len(callbacks) == 0  # captured at the end of the block
    assert len(callbacks) == 1
    assert recorder.of(Phase.AFTER_COMMIT) == [HAPPENED]
    assert [p for p, _ in recorder.calls] == [Phase.INSIDE, Phase.AFTER_COMMIT]


def test_after_commit_does_not_run_when_the_transaction_rolls_back(db, recorder, committed):
    with committed() as callbacks:
        with pytest.raises(Boom):
            with transaction.atomic():
                followups.announce(HAPPENED)
                assert recorder.of(Phase.INSIDE) == [HAPPENED]
                raise Boom
    assert callbacks == []
    assert recorder.of(Phase.AFTER_COMMIT) == []
    # The same announcement, committed, does run: the rollback is what kept it from running.
    with committed():
        followups.announce(HAPPENED)
    assert recorder.of(Phase.AFTER_COMMIT) == [HAPPENED]


def test_an_inside_handler_raising_rolls_the_change_back(
    newsroom, recorder, extra_handlers, committed
):
    with committed():
        article = newsroom.article(headline="누리호 발사 성공", keywords=[])
    assert SearchDocument.objects.filter(article=article).exists()
    revisions = article.revisions.count()
    generation_before = generation.current()
    recorder.calls.clear()

    def refuse(happened):
        raise Boom

    extra_handlers(Event.WITHDRAWN, refuse, phase=Phase.INSIDE)
    with committed() as callbacks:
        with pytest.raises(Boom):
            services.article_withdraw(article=article, by=actors.DEMO)
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.PUBLISHED
    assert stored.revisions.count() == revisions
    # Search's own INSIDE handler ran before this one and dropped the row; that rolled back too.
    assert SearchDocument.objects.filter(article=article).exists()
    assert callbacks == []
    assert recorder.of(Phase.AFTER_COMMIT) == []
    assert generation.current() == generation_before


def test_an_after_commit_handler_raising_is_logged_and_the_next_one_runs(
    newsroom, extra_handlers, committed, caplog
):
    article = newsroom.article(publish=False)
    ran = []

    def broken(happened):
        raise Boom("down")

    def after(happened):
        ran.append(happened.event)

    extra_handlers(Event.PUBLISHED, broken, phase=Phase.AFTER_COMMIT)
    extra_handlers(Event.PUBLISHED, after, phase=Phase.AFTER_COMMIT)
    subscribers = followups.subscribers(Event.PUBLISHED, Phase.AFTER_COMMIT)
    assert subscribers.index(broken) < subscribers.index(after)
    with caplog.at_level(logging.ERROR, logger="sinmun.newsroom.followups"), committed():
        services.article_publish(article=article, by=actors.DEMO)
    assert ran == [Event.PUBLISHED]
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    [record] = [r for r in caplog.records if r.name == "sinmun.newsroom.followups"]
    assert record.levelno == logging.ERROR
    assert "broken" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is Boom


def test_a_failing_handler_without_a_name_is_logged_too(
    newsroom, extra_handlers, committed, caplog
):
    """A handler is any callable (a partial, an object with ``__call__``), not only a function:
    logging its failure must not itself fail and skip the handlers after it."""
    article = newsroom.article(publish=False)
    ran = []

    def fail(reason, happened):
        raise Boom(reason)

    broken = functools.partial(fail, "down")
    extra_handlers(Event.PUBLISHED, broken, phase=Phase.AFTER_COMMIT)
    extra_handlers(Event.PUBLISHED, ran.append, phase=Phase.AFTER_COMMIT)
    with caplog.at_level(logging.ERROR, logger="sinmun.newsroom.followups"), committed():
        services.article_publish(article=article, by=actors.DEMO)
    assert [h.event for h in ran] == [Event.PUBLISHED]
    [record] = [r for r in caplog.records if r.name == "sinmun.newsroom.followups"]
    assert record.exc_info is not None and record.exc_info[0] is Boom


# What each service announces --------------------------------------------------------------------


def both_phases(recorder, committed, action):
    """Run ``action`` committed; return what INSIDE heard before the commit and AFTER_COMMIT
    after it (they must be the same announcements)."""
    recorder.calls.clear()
    with committed():
        result = action()
        inside = recorder.events(Phase.INSIDE)
        assert recorder.of(Phase.AFTER_COMMIT) == []
    assert recorder.events(Phase.AFTER_COMMIT) == inside
    return inside, result


def test_publish_announces_published(newsroom, recorder, committed):
    article = newsroom.article(publish=False)
    heard, _ = both_phases(
        recorder, committed, lambda: services.article_publish(article=article, by=actors.DEMO)
    )
    assert heard == [(Event.PUBLISHED, article.pk, "", None, "demo")]


def test_a_users_announcement_carries_the_username(newsroom, recorder, committed, admin_user):
    article = newsroom.article(publish=False)
    heard, _ = both_phases(
        recorder, committed, lambda: services.article_publish(article=article, by=admin_user)
    )
    assert heard == [(Event.PUBLISHED, article.pk, "", None, "admin")]


def test_update_of_a_published_article_announces_updated(newsroom, recorder, committed):
    article = newsroom.article()
    heard, _ = both_phases(
        recorder,
        committed,
        lambda: services.article_update(article=article, by=actors.DEMO, headline="고친 제목"),
    )
    assert heard == [(Event.UPDATED, article.pk, "", None, "demo")]


def test_create_submit_and_update_of_a_draft_announce_nothing(newsroom, recorder, committed):
    def write():
        article = services.article_create(
            by=actors.DEMO, headline="초안", body=BODY, section=newsroom.bigtech
        )
        services.article_update(article=article, by=actors.DEMO, headline="고친 초안")
        services.article_submit(article=article, by=actors.DEMO)
        services.article_update(article=article, by=actors.DEMO, headline="송고 뒤 고친 초안")

    heard, _ = both_phases(recorder, committed, write)
    assert heard == []


def test_publishing_a_live_article_again_changes_nothing(newsroom, recorder, committed):
    """The desk's 출고 action run over a selection that includes live articles: nothing was
    changed, so no 수정 time appears and nothing is announced (refusing, as withdraw does for a
    draft, would be as good)."""
    article = newsroom.article()
    times = Article.objects.filter(pk=article.pk).values("first_published_at", "updated_at")
    before = times.get()
    assert before["updated_at"] is None
    recorder.calls.clear()
    with committed(), contextlib.suppress(ValidationError):
        services.article_publish(article=article, by=actors.DEMO)
    assert times.get() == before
    assert recorder.calls == []


def test_withdraw_announces_withdrawn(newsroom, recorder, committed):
    article = newsroom.article()
    heard, _ = both_phases(
        recorder, committed, lambda: services.article_withdraw(article=article, by=actors.DEMO)
    )
    assert heard == [(Event.WITHDRAWN, article.pk, "", None, "demo")]


def test_a_refused_withdraw_announces_nothing(newsroom, recorder, committed):
    article = newsroom.article(publish=False)
    recorder.calls.clear()
    with committed(), pytest.raises(ValidationError):
        services.article_withdraw(article=article, by=actors.DEMO)
    assert recorder.calls == []


def _import(newsroom, uri, status):
    return services.article_import(
        by=actors.IMPORT,
        uri=uri,
        status=status,
        first_published_at=timezone.now() - timedelta(hours=1),
        updated_at=None,
        headline="통신 기사",
        body=BODY,
        section=newsroom.bigtech,
    )


def test_import_announces_published_then_updated_then_withdrawn(newsroom, recorder, committed):
    uri = "urn:newsml:wire:7"
    heard, (article, created) = both_phases(
        recorder, committed, lambda: _import(newsroom, uri, Article.Status.PUBLISHED)
    )
    assert created
    assert heard == [(Event.PUBLISHED, article.pk, "", None, "import")]
    heard, _ = both_phases(
        recorder, committed, lambda: _import(newsroom, uri, Article.Status.PUBLISHED)
    )
    assert heard == [(Event.UPDATED, article.pk, "", None, "import")]
    # ninjs pubstatus "canceled" imports as 출고 취소 over the live article.
    heard, _ = both_phases(
        recorder, committed, lambda: _import(newsroom, uri, Article.Status.WITHDRAWN)
    )
    assert heard == [(Event.WITHDRAWN, article.pk, "", None, "import")]
    assert Article.objects.get(pk=article.pk).status == Article.Status.WITHDRAWN


def test_import_of_a_new_draft_announces_nothing(newsroom, recorder, committed):
    heard, _ = both_phases(
        recorder, committed, lambda: _import(newsroom, "urn:newsml:wire:8", Article.Status.DRAFT)
    )
    assert heard == []


@pytest.mark.parametrize(
    ("kind", "rename"),
    [
        (
            "section",
            lambda n: services.section_update(by=actors.DEMO, section=n.politics, name="정치일반"),
        ),
        (
            "series",
            lambda n: services.series_update(by=actors.DEMO, series=n.column, name="현장수첩"),
        ),
        (
            "reporter",
            lambda n: services.reporter_update(by=actors.DEMO, reporter=n.kim, name="김민재"),
        ),
    ],
)
def test_a_rename_announces_renamed_with_kind_and_id(newsroom, recorder, committed, kind, rename):
    heard, renamed = both_phases(recorder, committed, lambda: rename(newsroom))
    assert heard == [(Event.RENAMED, None, kind, renamed.pk, "demo")]


def test_a_keyword_rename_announces_renamed(newsroom, recorder, committed):
    article = newsroom.article(keywords=["반도체"])
    keyword = article.keywords.get()
    heard, _ = both_phases(
        recorder,
        committed,
        lambda: services.keyword_rename(by=actors.DEMO, keyword=keyword, name="시스템반도체"),
    )
    assert heard == [(Event.RENAMED, None, "keyword", keyword.pk, "demo")]


def test_a_section_reorder_announces_site_changed(newsroom, recorder, committed):
    heard, _ = both_phases(
        recorder,
        committed,
        lambda: services.section_update(by=actors.DEMO, section=newsroom.tech, order=0),
    )
    assert heard == [(Event.SITE_CHANGED, None, "section", newsroom.tech.pk, "demo")]


def test_a_new_section_and_the_outlet_announce_site_changed(newsroom, recorder, committed):
    heard, _ = both_phases(
        recorder,
        committed,
        lambda: services.section_create(by=actors.DEMO, name="경제", slug="economy"),
    )
    assert heard == [(Event.SITE_CHANGED, None, "", None, "demo")]
    heard, _ = both_phases(
        recorder, committed, lambda: services.outlet_update(by=actors.DEMO, phone="02-1111-1111")
    )
    assert heard == [(Event.SITE_CHANGED, None, "", None, "demo")]


def test_the_announcement_follows_the_revision_it_reports(newsroom, recorder):
    """A subscriber that reads the audit trail finds the revision of what it was told."""
    article = newsroom.article(publish=False)
    services.article_publish(article=article, by=actors.DEMO)
    [happened] = recorder.of(Phase.INSIDE)
    latest = ArticleRevision.objects.filter(article_id=happened.article_id).first()
    assert (latest.action, latest.actor) == (ArticleRevision.Action.PUBLISH, happened.actor)
