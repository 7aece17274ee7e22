"""Flushing counts to the database (exactly once, whatever dies when) and the rankings."""

import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from sinmun.audience import counting, ranking, services, tasks
from sinmun.audience import store as stores
from sinmun.audience.models import DailyViews, FlushedBatch, ReferrerDaily, ViewBucket
from sinmun.newsroom import actors
from sinmun.newsroom import services as newsroom_services

from .conftest import redis_url

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def view(article, n: int = 1, *, at: float | None = None, referrer: str = "") -> None:
    """Record ``n`` views of ``article`` by ``n`` different readers."""
    for reader in range(n):
        services.view_record(
            public_id=article.public_id,
            referrer=referrer,
            user_agent=CHROME,
            address=f"198.51.100.{reader % 250}:{reader}",
            headers={},
            host="testserver",
            now=at,
        )


def total(article) -> int:
    return sum(ViewBucket.objects.filter(article=article).values_list("views", flat=True))


@pytest.mark.django_db
def test_flush_moves_every_count_and_empties_the_store(store, newsroom):
    one, two = newsroom.article(), newsroom.article(headline="둘째 기사")
    # A minute after midnight in Seoul today, and an hour later below: one Seoul day whenever
    # the test runs (now + 1 h crossed midnight KST for a run between 23:00 and 24:00 KST: two
    # day rows).
    today = timezone.now().astimezone(counting.SEOUL).date()
    midnight = datetime.combine(today, datetime.min.time(), counting.SEOUL)
    at = (midnight + timedelta(minutes=1)).timestamp()
    view(one, 7, referrer="https://search.naver.com/", at=at)
    view(two, 3, at=at)
    assert services.views_flush() == 10
    assert (total(one), total(two)) == (7, 3)
    assert DailyViews.objects.get(article=one).views == 7
    assert dict(ReferrerDaily.objects.values_list("domain", "views")) == {
        "naver.com": 7,
        "direct": 3,
    }
    assert store.open_views() == 0
    assert store.batches() == []
    # A second flush adds to the same rows, never overwrites them.
    view(one, 2, at=at + 3600)  # new readers' window
    services.views_flush()
    assert DailyViews.objects.get(article=one).views == 9


@pytest.mark.django_db
def test_views_of_unknown_withdrawn_and_embargoed_articles_are_dropped(store, newsroom):
    shown = newsroom.article()
    withdrawn = newsroom.article(headline="회수될 기사")
    newsroom_services.article_withdraw(article=withdrawn, by=actors.DEMO, reason="오보")
    embargoed = newsroom.article(headline="엠바고 기사", minutes_ago=-120)
    for article in (shown, withdrawn, embargoed):
        view(article, 2)
    services.view_record(
        public_id="zzzz9999",
        referrer="",
        user_agent=CHROME,
        address="x",
        headers={},
        host="testserver",
    )
    assert services.views_flush() == 2
    assert list(ViewBucket.objects.values_list("article_id", "views")) == [(shown.pk, 2)]


@pytest.mark.django_db
def test_a_worker_dying_before_the_database_commit_loses_nothing(store, newsroom, monkeypatch):
    article = newsroom.article()
    view(article, 5)

    def die(*args, **kwargs):
        raise IntegrityError("the worker died here")

    monkeypatch.setattr(services, "counters_add", die)
    with pytest.raises(IntegrityError):
        services.views_flush()
    assert len(store.batches()) == 1  # claimed, not forgotten
    assert not FlushedBatch.objects.exists()
    monkeypatch.undo()
    stores_current = store
    monkeypatch.setattr(stores, "current", lambda: stores_current)
    view(article, 1, at=timezone.now().timestamp() + 3600)
    assert services.views_flush() == 6
    assert total(article) == 6
    assert store.batches() == []


@pytest.mark.django_db
def test_a_worker_dying_after_the_commit_adds_nothing_twice(store, newsroom, monkeypatch):
    article = newsroom.article()
    view(article, 4)
    finish = store.finish
    monkeypatch.setattr(store, "finish", lambda batch: None)  # dies before forgetting the batch
    assert services.views_flush() == 4
    assert len(store.batches()) == 1
    monkeypatch.setattr(store, "finish", finish)
    assert services.views_flush() == 0
    assert total(article) == 4
    assert store.batches() == []


@pytest.mark.django_db
def test_counts_survive_a_stopped_process(store, newsroom, tmp_path):
    """What one process counted is flushed by another: nothing waits in a process's memory."""
    article = newsroom.article()
    view(article, 3)
    if isinstance(store, stores.EmbeddedStore):
        again = stores.EmbeddedStore(store.path)
    else:
        again = stores.RedisStore(redis_url(), prefix=store.prefix)
    del store
    assert services.views_flush(store=again) == 3
    assert total(article) == 3


def hold_write_lock(store) -> sqlite3.Connection:
    """Take the embedded store's write lock from another connection, as the counting process
    does while it counts (and holds on to it while the cores are busy)."""
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


@pytest.mark.django_db
def test_the_worker_tick_leaves_a_busy_store_for_the_next_tick(embedded, newsroom, monkeypatch):
    monkeypatch.setattr(tasks, "FLUSH_PATIENCE", 0.2)
    article = newsroom.article()
    view(article, 3)
    other = hold_write_lock(embedded)
    started = time.monotonic()
    tasks.flush_views()  # neither waits the 20 s busy timeout nor fails
    assert time.monotonic() - started < stores.BUSY_SECONDS / 2
    assert total(article) == 0
    assert embedded.spooled() == 3  # left as it was: not drained, nothing claimed
    # The connection's own wait is back to the long one the other writes use.
    assert embedded._db().execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
    other.execute("ROLLBACK")
    tasks.flush_views()
    assert total(article) == 3
    assert embedded.open_views() == 0


@pytest.mark.django_db
def test_a_batch_the_busy_store_kept_is_finished_once(embedded, newsroom, monkeypatch):
    """The store turns busy after the database took the batch: the next tick only forgets it."""
    monkeypatch.setattr(tasks, "FLUSH_PATIENCE", 0.2)
    article = newsroom.article()
    view(article, 4)
    holding = []
    counters_add = services.counters_add

    def then_busy(*args, **kwargs):
        counters_add(*args, **kwargs)
        if not holding:
            holding.append(hold_write_lock(embedded))

    monkeypatch.setattr(services, "counters_add", then_busy)
    started = time.monotonic()
    tasks.flush_views()
    assert time.monotonic() - started < stores.BUSY_SECONDS / 2
    assert total(article) == 4
    assert len(embedded.batches()) == 1  # in the database, not yet forgotten in the store
    holding[0].execute("ROLLBACK")
    tasks.flush_views()
    assert total(article) == 4
    assert embedded.batches() == []


# Rankings with a frozen clock ---------------------------------------------------------------

NOW = datetime(2026, 12, 7, 3, 5, tzinfo=UTC)  # 12:05 KST


def put(article, views: int, *, ago: timedelta) -> None:
    """Write ``views`` straight into the bucket ``ago`` before NOW (as a flush would)."""
    start = datetime.fromtimestamp(counting.bucket_of((NOW - ago).timestamp()), UTC)
    services.counters_add(ViewBucket, ("article_id", "start"), {(article.pk, start): views})


@pytest.fixture
def clock(monkeypatch):
    """Freeze 'now' for the newsroom's visibility check too (embargoes are judged by it)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.mark.django_db
def test_windows_hour_day_week(store, newsroom, clock):
    fresh = newsroom.article(headline="방금 많이 읽힌 기사", minutes_ago=30)
    today = newsroom.article(headline="오늘 오전 기사", minutes_ago=600)
    week = newsroom.article(headline="사흘 전 기사", minutes_ago=5 * 24 * 60)
    old = newsroom.article(headline="열흘 전 기사", minutes_ago=12 * 24 * 60)
    put(fresh, 10, ago=timedelta(minutes=20))
    put(today, 50, ago=timedelta(hours=3))
    put(week, 200, ago=timedelta(days=3))
    put(old, 999, ago=timedelta(days=8, minutes=30))
    lists = services.rankings_refresh(now=NOW)
    assert lists[ranking.popular_name("1h")] == [fresh.pk]
    assert lists[ranking.popular_name("24h")] == [today.pk, fresh.pk]
    assert lists[ranking.popular_name("7d")] == [week.pk, today.pk, fresh.pk]
    assert store.rankings([ranking.popular_name("7d")]) == {
        ranking.popular_name("7d"): [week.pk, today.pk, fresh.pk]
    }
    # Buckets older than the 8 days kept are gone.
    assert not ViewBucket.objects.filter(article=old).exists()


@pytest.mark.django_db
def test_section_lists_include_sub_sections(store, newsroom, clock):
    assembly = newsroom.article(headline="국회 기사", section=newsroom.assembly)
    politics = newsroom.article(headline="정치 기사", section=newsroom.politics)
    tech = newsroom.article(headline="빅테크 기사", section=newsroom.bigtech)
    put(assembly, 5, ago=timedelta(minutes=10))
    put(politics, 3, ago=timedelta(minutes=10))
    put(tech, 9, ago=timedelta(minutes=10))
    lists = services.rankings_refresh(now=NOW)
    assert lists[ranking.popular_name("1h")] == [tech.pk, assembly.pk, politics.pk]
    assert lists[ranking.popular_name("1h", newsroom.politics.pk)] == [assembly.pk, politics.pk]
    assert lists[ranking.popular_name("1h", newsroom.assembly.pk)] == [assembly.pk]
    assert lists[ranking.popular_name("1h", newsroom.tech.pk)] == [tech.pk]


@pytest.mark.django_db
def test_withdrawn_and_embargoed_articles_are_never_ranked(store, newsroom, clock):
    shown = newsroom.article(headline="보이는 기사")
    withdrawn = newsroom.article(headline="회수된 기사")
    embargoed = newsroom.article(headline="엠바고 기사", minutes_ago=-60)
    for article in (shown, withdrawn, embargoed):
        put(article, 40, ago=timedelta(minutes=10))
    newsroom_services.article_withdraw(article=withdrawn, by=actors.DEMO, reason="오보")
    lists = services.rankings_refresh(now=NOW)
    for name, ids in lists.items():
        assert withdrawn.pk not in ids, name
        assert embargoed.pk not in ids, name
    assert lists[ranking.popular_name("1h")] == [shown.pk]


@pytest.mark.django_db
def test_trending_prefers_a_rising_story_to_a_steady_favourite(store, newsroom, clock):
    favourite = newsroom.article(headline="꾸준히 읽히는 기사", minutes_ago=3 * 24 * 60)
    rising = newsroom.article(headline="갑자기 뜨는 기사", minutes_ago=3 * 24 * 60)
    for hour in range(26):
        for part in range(6):
            ago = timedelta(hours=hour, minutes=10 * part + 5)
            put(favourite, 20, ago=ago)  # 120 an hour, every hour
            put(rising, 2 if hour >= 1 else 15, ago=ago)  # 12 an hour, then 90 in the last
    lists = services.rankings_refresh(now=NOW)
    assert lists[ranking.popular_name("1h")] == [favourite.pk, rising.pk]
    assert lists[ranking.trending_name()] == [rising.pk]
    assert lists[ranking.trending_name(newsroom.tech.pk)] == [rising.pk]


@pytest.mark.django_db
def test_a_new_story_trends_against_its_short_life(store, newsroom, clock):
    new = newsroom.article(headline="30분 전 속보", minutes_ago=30)
    few = newsroom.article(headline="조용한 새 기사", minutes_ago=30)
    put(new, 40, ago=timedelta(minutes=10))
    put(few, 3, ago=timedelta(minutes=10))
    lists = services.rankings_refresh(now=NOW)
    assert lists[ranking.trending_name()] == [new.pk]
