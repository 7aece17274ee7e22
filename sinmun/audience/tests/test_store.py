"""The spool (``store.spool_add``, ``store.drain``): what the web processes hand over is counted
by the worker once, the 30-minute dedup applied, whatever dies when."""

import multiprocessing
import os
import threading
import time

import pytest

from sinmun.audience import services
from sinmun.audience import store as stores

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
ADDRESS = "198.51.100.{}"


def readers(n: int, *, now: float, public_id: str = "abcd2345") -> list[tuple]:
    """Return ``n`` page views of ``public_id`` by ``n`` different readers, as a web process
    keeps them (``pageviews``)."""
    return [(public_id, ADDRESS.format(r), CHROME, "", "saenaru.example", now) for r in range(n)]


def test_a_drain_counts_each_reader_once_and_empties_the_spool(store):
    now = time.time()
    assert services.views_spool(readers(5, now=now) + readers(2, now=now + 60), store=store) == 7
    assert store.spooled() == 1
    assert store.drain() == 5  # the two repeats within 30 minutes are not views
    assert (store.spooled(), store.drain(), store.open_views()) == (0, 0, 5)
    # The same reader after the window is a view again.
    services.views_spool(readers(1, now=now + stores.DEDUP_SECONDS), store=store)
    assert store.drain() == 1
    assert store.open_views() == 6


def test_hand_overs_are_split_and_drained_a_few_at_a_time(store, monkeypatch):
    monkeypatch.setattr(stores, "SPOOL_VIEWS", 2)
    services.views_spool(readers(5, now=time.time()), store=store)
    assert store.spooled() == 3
    assert store.drain(hand_overs=2) == 5
    assert store.spooled() == 0


def test_the_spool_keeps_no_address_and_no_user_agent(embedded):
    services.views_spool(readers(3, now=time.time()), store=embedded)
    (text,) = embedded._db().execute("SELECT views FROM spool").fetchone()
    assert "abcd2345" in text
    assert "198.51.100" not in text
    assert "Mozilla" not in text


class DiesBeforeCommit:
    """A connection whose process is killed just before the drain deletes what it counted."""

    def __init__(self, db):
        self.db = db

    def __getattr__(self, name):
        return getattr(self.db, name)

    def execute(self, sql, *args):
        if sql.startswith("DELETE FROM spool"):
            os._exit(3)  # as SIGKILL: no rollback, no clean-up
        return self.db.execute(sql, *args)


def _drain_and_die(path: str) -> None:
    store = stores.EmbeddedStore(path)
    db = store._db()
    store._db = lambda: DiesBeforeCommit(db)
    store.drain()


def test_a_worker_killed_in_the_middle_of_a_drain_counted_nothing(tmp_path):
    path = str(tmp_path / "audience.sqlite3")
    spool = stores.EmbeddedStore(path)
    services.views_spool(readers(4, now=time.time()), store=spool)
    worker = multiprocessing.get_context("fork").Process(target=_drain_and_die, args=(path,))
    worker.start()
    worker.join(60)
    assert worker.exitcode == 3
    assert (spool.spooled(), spool.open_views()) == (1, 0)
    # The next worker counts them, once.
    assert spool.drain() == 4
    assert spool.drain() == 0
    assert spool.open_views() == 4


@pytest.mark.django_db
def test_the_workers_flush_counts_the_spool_into_the_database(store, newsroom):
    from sinmun.audience.models import DailyViews

    article = newsroom.article()
    views = readers(3, now=time.time(), public_id=article.public_id)
    services.views_spool(views + views, store=store)
    assert services.views_flush() == 3
    assert DailyViews.objects.get(article=article).views == 3
    assert (store.spooled(), store.open_views()) == (0, 0)


def test_only_bulk_counting_gets_the_large_page_cache(embedded):
    """The counting process and the worker's drain get a large page cache and rare checkpoints;
    a web process's connection (a beacon's count) keeps SQLite's defaults."""

    def pragmas() -> tuple[int, int]:
        db = embedded._db()
        return (
            db.execute("PRAGMA cache_size").fetchone()[0],
            db.execute("PRAGMA wal_autocheckpoint").fetchone()[0],
        )

    seen = {}

    def beacon():
        embedded.record(key=b"\1" * 8, public_id="abcd2345", bucket=0, domain="direct", now=1.0)
        seen["beacon"] = pragmas()

    thread = threading.Thread(target=beacon)
    thread.start()
    thread.join()
    services.views_count(readers(3, now=time.time()), store=embedded)
    seen["counting"] = pragmas()
    assert seen["beacon"] == (-2000, 1000)
    assert seen["counting"] == (-65536, 10000)
