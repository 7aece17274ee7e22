"""Check the embargo sweep: each embargo is announced once, when its time has come, and only
embargoes are; a sweep after an outage catches up. Every sweep gets its ``now`` explicitly.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.newsroom import actors, followups, services
from sinmun.newsroom.followups import Event, Phase
from sinmun.newsroom.models import Article, SweepMark
from sinmun.newsroom.services.schedule import EMBARGO_MARK


class Lifted:
    """The ``EMBARGO_LIFTED`` announcements heard in each phase."""

    def __init__(self):
        self.heard: dict[Phase, list[followups.Happened]] = {phase: [] for phase in Phase}
        self.handlers = {phase: self.heard[phase].append for phase in Phase}

    def __getitem__(self, phase: Phase) -> list[int]:
        return [h.article_id for h in self.heard[phase]]

    @property
    def actors(self) -> list[str]:
        return [h.actor for h in self.heard[Phase.INSIDE]]


@pytest.fixture
def lifted():
    lifted = Lifted()
    for phase, handler in lifted.handlers.items():
        followups.subscribe(Event.EMBARGO_LIFTED, handler, phase=phase)
    yield lifted
    for phase, handler in lifted.handlers.items():
        followups.unsubscribe(Event.EMBARGO_LIFTED, handler, phase=phase)


@pytest.fixture
def t0(db):
    """Return the time of a first sweep already run: the mark stands at it."""
    now = timezone.now()
    assert services.embargoes_announce_due(by=actors.SCHEDULE, now=now) == []
    return now


def sweep(now):
    return services.embargoes_announce_due(by=actors.SCHEDULE, now=now)


def embargo(newsroom, until, headline="엠바고 기사"):
    article = newsroom.article(publish=False, headline=headline)
    services.article_publish(article=article, by=actors.DEMO, at=until)
    return article


def mark():
    return SweepMark.objects.get(name=EMBARGO_MARK).at


def test_the_first_sweep_only_sets_the_mark(newsroom):
    now = timezone.now()
    embargo(newsroom, now + timedelta(minutes=1))
    assert not SweepMark.objects.exists()
    assert sweep(now + timedelta(minutes=5)) == []
    assert mark() == now + timedelta(minutes=5)
    assert SweepMark.objects.count() == 1


def test_an_embargo_is_announced_once_after_its_time(newsroom, t0, lifted, committed):
    article = embargo(newsroom, t0 + timedelta(minutes=10))
    assert sweep(t0 + timedelta(minutes=5)) == []
    assert mark() == t0 + timedelta(minutes=5)
    with committed():
        assert sweep(t0 + timedelta(minutes=11)) == [article.pk]
        assert lifted[Phase.AFTER_COMMIT] == []
    assert lifted[Phase.INSIDE] == [article.pk]
    assert lifted[Phase.AFTER_COMMIT] == [article.pk]
    assert lifted.actors == ["schedule"]
    assert mark() == t0 + timedelta(minutes=11)
    # Never twice: neither at a later sweep nor at a sweep repeating the same time.
    assert sweep(t0 + timedelta(minutes=12)) == []
    assert sweep(t0 + timedelta(minutes=12)) == []
    assert sweep(t0 + timedelta(hours=3)) == []
    assert lifted[Phase.INSIDE] == [article.pk]


def test_an_embargo_is_announced_at_exactly_its_time(newsroom, t0, lifted):
    article = embargo(newsroom, t0 + timedelta(minutes=10))
    assert sweep(t0 + timedelta(minutes=10)) == [article.pk]
    assert sweep(t0 + timedelta(minutes=10, seconds=15)) == []
    assert lifted[Phase.INSIDE] == [article.pk]


def test_a_sweep_behind_the_mark_announces_nothing(newsroom, t0, lifted):
    article = embargo(newsroom, t0 + timedelta(minutes=10))
    assert sweep(t0 + timedelta(minutes=11)) == [article.pk]
    # A worker whose clock lags the last one's does not announce again nor move the mark back.
    assert sweep(t0 + timedelta(minutes=2)) == []
    assert mark() == t0 + timedelta(minutes=11)
    assert lifted[Phase.INSIDE] == [article.pk]


def test_a_plain_publish_is_not_announced_by_the_sweep(newsroom, t0, lifted):
    # Published after the mark and before the sweep: inside the sweep's window, but it was
    # announced PUBLISHED when it happened.
    plain = newsroom.article(publish=False)
    services.article_publish(article=plain, by=actors.DEMO)
    backdated = newsroom.article(publish=False)
    services.article_publish(article=backdated, by=actors.DEMO, at=timezone.now())
    assert t0 < plain.first_published_at
    assert sweep(timezone.now() + timedelta(minutes=1)) == []
    assert lifted[Phase.INSIDE] == []


def test_a_withdrawn_embargo_is_not_announced(newsroom, t0, lifted):
    article = embargo(newsroom, t0 + timedelta(minutes=10))
    services.article_withdraw(article=article, by=actors.DEMO)
    assert sweep(t0 + timedelta(minutes=11)) == []
    assert lifted[Phase.INSIDE] == []


def test_an_embargo_edited_before_its_time_is_still_announced(newsroom, t0, lifted):
    article = embargo(newsroom, t0 + timedelta(minutes=10))
    services.article_update(article=article, by=actors.DEMO, headline="엠바고 기사 (고침)")
    assert sweep(t0 + timedelta(minutes=11)) == [article.pk]


def test_an_imported_item_with_a_future_time_is_an_embargo(newsroom, t0, lifted):
    """A wire item released ahead of its 입력 time is announced when that time comes."""
    article, _ = services.article_import(
        by=actors.IMPORT,
        uri="urn:newsml:wire:embargo",
        status=Article.Status.PUBLISHED,
        first_published_at=t0 + timedelta(minutes=30),
        updated_at=None,
        headline="통신 엠바고 기사",
        body="<p>오전 9시 이후 보도.</p>",
        section=newsroom.bigtech,
    )
    assert sweep(t0 + timedelta(minutes=20)) == []
    assert sweep(t0 + timedelta(minutes=31)) == [article.pk]


def test_an_embargo_edited_before_its_time_shows_no_update_time(client, newsroom, monkeypatch):
    """Readers never saw the version before the edit: a 수정 time ahead of 입력 is nonsense
    on the page ("입력 09:00 수정 08:30")."""
    now = timezone.now()
    article = embargo(newsroom, now + timedelta(minutes=10))
    services.article_update(article=article, by=actors.DEMO, headline="엠바고 기사 (고침)")
    article.refresh_from_db()
    assert article.updated_at is None
    due = now + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: due)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "엠바고 기사 (고침)" in page
    assert "수정 <time" not in page


def test_after_a_gap_every_embargo_that_came_due_is_announced(newsroom, t0, lifted):
    first = embargo(newsroom, t0 + timedelta(hours=1), headline="첫째")
    third = embargo(newsroom, t0 + timedelta(hours=5), headline="셋째")
    second = embargo(newsroom, t0 + timedelta(hours=2), headline="둘째")
    later = embargo(newsroom, t0 + timedelta(days=2), headline="아직")
    # The worker was down for a day: the mark is far behind.
    SweepMark.objects.filter(name=EMBARGO_MARK).update(at=t0 - timedelta(days=30))
    assert sweep(t0 + timedelta(days=1)) == [first.pk, second.pk, third.pk]
    assert lifted[Phase.INSIDE] == [first.pk, second.pk, third.pk]
    assert sweep(t0 + timedelta(days=2)) == [later.pk]


def test_an_inside_failure_keeps_the_mark_so_the_next_sweep_retries(newsroom, t0):
    article = embargo(newsroom, t0 + timedelta(minutes=10))

    def broken(happened):
        raise RuntimeError("down")

    followups.subscribe(Event.EMBARGO_LIFTED, broken, phase=Phase.INSIDE)
    try:
        with pytest.raises(RuntimeError):
            sweep(t0 + timedelta(minutes=11))
    finally:
        followups.unsubscribe(Event.EMBARGO_LIFTED, broken, phase=Phase.INSIDE)
    assert mark() == t0
    assert sweep(t0 + timedelta(minutes=12)) == [article.pk]


def test_a_user_may_run_the_sweep_and_is_named(newsroom, t0, lifted, admin_user):
    """A desk user running the sweep by hand is an actor like any other (``by.name`` is a
    system actor's attribute only)."""
    article = embargo(newsroom, t0 + timedelta(minutes=10))
    assert services.embargoes_announce_due(by=admin_user, now=t0 + timedelta(minutes=11)) == [
        article.pk
    ]
    assert lifted.actors == ["admin"]


def test_the_home_page_shows_the_embargoed_article_after_the_sweep(
    front, newsroom, t0, committed, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 60
    newsroom.article(headline="먼저 나간 기사")
    with committed():
        embargo(newsroom, t0 + timedelta(minutes=10), headline="엠바고 풀린 특종")
    first = front.get("/")
    assert first["X-Page-Cache"] == "miss"
    assert "먼저 나간 기사" in first.content.decode()
    assert "엠바고 풀린 특종" not in first.content.decode()

    # The embargo's time comes; nothing is saved, so the cached page is still the old one.
    due = t0 + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: due)
    stale = front.get("/")
    assert stale["X-Page-Cache"] == "hit"
    assert "엠바고 풀린 특종" not in stale.content.decode()

    with committed():
        assert len(sweep(due)) == 1
    fresh = front.get("/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "엠바고 풀린 특종" in fresh.content.decode()


# --- When the worker's watcher runs the sweep (embargo_next_due) ------------------------------


def test_nothing_is_due_before_the_first_sweep(newsroom):
    embargo(newsroom, timezone.now() + timedelta(minutes=1))
    assert services.embargo_next_due() is None


def test_the_next_due_is_the_earliest_embargo_not_yet_announced(newsroom, t0):
    later = embargo(newsroom, t0 + timedelta(minutes=30), "늦은 엠바고")
    sooner = embargo(newsroom, t0 + timedelta(minutes=10), "이른 엠바고")
    newsroom.article(headline="바로 출고된 기사")  # published at its 입력 time: no embargo
    assert services.embargo_next_due() == sooner.first_published_at
    sweep(t0 + timedelta(minutes=11))
    assert services.embargo_next_due() == later.first_published_at
    sweep(t0 + timedelta(minutes=31))
    assert services.embargo_next_due() is None


def test_a_plain_publish_and_a_withdrawn_embargo_are_never_due(newsroom, t0):
    newsroom.article(headline="바로 출고된 기사")
    pulled = embargo(newsroom, t0 + timedelta(minutes=10))
    services.article_unschedule(article=pulled, by=actors.DEMO)
    assert services.embargo_next_due() is None


def test_the_worker_runs_the_sweep_the_moment_an_embargo_is_due():
    from django.utils.module_loading import autodiscover_modules

    from sinmun.jobs import queue

    autodiscover_modules("tasks")
    assert services.embargo_next_due in [due for due, _, _ in queue._due]
