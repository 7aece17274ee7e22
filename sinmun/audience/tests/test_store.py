"""The spool (``store.spool_add``, ``store.drain``): what the web processes hand over is counted
by the worker once, the 30-minute dedup applied, whatever dies when."""

import multiprocessing
import os
import sqlite3
import threading
import time
import uuid

import pytest

from sinmun.audience import counting, services
from sinmun.audience import store as stores

from .conftest import redis_url

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


def hashed(readers_range: range, *, now: float, public_id: str = "abcd2345") -> list[tuple]:
    """Return views as the counting process hands them to ``count``: the reader's 8-byte key
    as the store's integer."""
    return [
        (
            stores.integer_key(reader.to_bytes(8, "big")),
            public_id,
            counting.bucket_of(now),
            "direct",
            now,
        )
        for reader in readers_range
    ]


def test_processes_counting_into_one_file_see_each_others_windows(tmp_path):
    """Each counting process keeps the windows in memory; what another appended to the log
    since it last looked is read before it decides."""
    path = tmp_path / "audience.sqlite3"
    one, other = stores.EmbeddedStore(path), stores.EmbeddedStore(path)
    now = time.time()
    assert one.count(hashed(range(0, 10), now=now)) == 10
    assert other.count(hashed(range(5, 15), now=now + 1)) == 5
    assert one.count(hashed(range(10, 20), now=now + 2)) == 5
    # A new process reads them all back from the log.
    assert stores.EmbeddedStore(path).count(hashed(range(0, 21), now=now + 3)) == 1
    assert one.open_views() == 21


@pytest.mark.parametrize("how", ["count", "drain"])
def test_others_windows_are_read_before_the_write_lock_is_taken(tmp_path, monkeypatch, how):
    """A process that has not counted for a while reads every window appended since (a million
    readers': seconds); the web processes must be able to spool meanwhile, whatever its CPU."""
    path = tmp_path / "audience.sqlite3"
    other, late = stores.EmbeddedStore(path), stores.EmbeddedStore(path)
    now = time.time()
    late.count(hashed(range(0, 1), now=now))
    other.count(hashed(range(1, 5000), now=now))
    spooler = sqlite3.connect(path, timeout=0, isolation_level=None)
    spooled_meanwhile = []
    real_catch_up = stores._Windows.catch_up

    def catch_up(windows, db):
        before = windows.read_to
        real_catch_up(windows, db)
        if windows.read_to > before and not spooled_meanwhile:
            # A web process's spool row while the late one reads the other's block.
            row = spooler.execute("INSERT INTO spool (views) VALUES ('')").lastrowid
            spooler.execute("DELETE FROM spool WHERE id = ?", (row,))
            spooled_meanwhile.append(True)

    monkeypatch.setattr(stores._Windows, "catch_up", catch_up)
    if how == "count":
        assert late.count(hashed(range(0, 5001), now=now + 1)) == 1
    else:
        services.views_spool(readers(2, now=now + 1), store=late)
        assert late.drain() == 2
    assert spooled_meanwhile == [True]


def test_a_count_that_does_not_commit_leaves_no_window_behind(embedded, monkeypatch):
    now = time.time()
    views = hashed(range(3), now=now)
    with monkeypatch.context() as patched:
        patched.setattr(stores.EmbeddedStore, "ADD", "not SQL")  # the counts' write fails
        with pytest.raises(sqlite3.OperationalError):
            embedded.count(views)
    # The windows opened in memory before the failure are not taken for counted readers.
    assert embedded.count(views) == 3
    assert embedded.open_views() == 3


@pytest.mark.parametrize(
    "table",
    [
        "windows (key INTEGER PRIMARY KEY, until REAL NOT NULL)",
        "window_log (id INTEGER PRIMARY KEY AUTOINCREMENT, key INTEGER NOT NULL, until REAL)",
    ],
    ids=["table-keyed-by-reader", "row-a-window"],
)
def test_the_windows_of_the_layouts_before_the_blocks_are_kept(tmp_path, table):
    path = tmp_path / "audience.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE {table}")
    name = table.split()[0]
    now = time.time()
    live, passed = (int.from_bytes((n).to_bytes(8, "big"), "big", signed=True) for n in (7, 9))
    insert = f"INSERT INTO {name} (key, until) VALUES (?, ?)"  # noqa: S608 (the test's names)
    db.executemany(insert, [(live, now + 600), (passed, now - 1)])
    db.commit()
    db.close()
    store = stores.EmbeddedStore(path)
    # Reader 7's window still runs; 8 is new; 9's window had passed.
    assert store.count(hashed(range(7, 10), now=now)) == 2
    tables = {row[0] for row in store._db().execute("SELECT name FROM sqlite_master")}
    assert name not in tables
    # Moved once: a second process finds the blocks only.
    assert stores.EmbeddedStore(path).count(hashed(range(7, 10), now=now + 1)) == 0


def test_prune_drops_the_blocks_whose_windows_have_passed(embedded):
    now = time.time()
    embedded.count(hashed(range(0, 4), now=now - stores.DEDUP_SECONDS - 60))
    embedded.count(hashed(range(4, 6), now=now))
    embedded.prune(now)
    # A block a counting transaction: the first one's windows have all passed.
    blocks = embedded._db().execute("SELECT COUNT(*) FROM window_blocks").fetchone()[0]
    assert blocks == 1
    # The passed windows are gone, the live ones still hold.
    assert stores.EmbeddedStore(embedded.path).count(hashed(range(0, 6), now=now + 1)) == 4


def test_a_day_that_has_just_ended_still_has_its_salt_in_redis():
    """A view seen at 23:59:59 and handed over at 00:00:01 is hashed with its own day's salt;
    the salt then goes SALT_GRACE_SECONDS after its day (found at midnight KST: an expiry in
    the past made Redis drop it at once, and such views were lost)."""
    store = stores.RedisStore(redis_url(), prefix=f"sinmun:audience-test:{uuid.uuid4().hex}:")
    try:
        now = int(time.time())
        ended = store.salt("2026-01-01", expires_at=now - 1)
        assert isinstance(ended, bytes) and len(ended) == 32
        lives = store.client.ttl(store._key("salt:2026-01-01"))
        assert 0 < lives <= stores.SALT_GRACE_SECONDS
        # Today's lives to its day's end and the grace after it, no longer.
        store.salt("2026-12-31", expires_at=now + 3600)
        lives = store.client.ttl(store._key("salt:2026-12-31"))
        assert 3600 < lives <= 3600 + stores.SALT_GRACE_SECONDS
    finally:
        store.clear()
