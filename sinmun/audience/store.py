"""Where counted views wait for the worker, and where the rankings wait for the pages.

Two backends with one interface, picked by configuration (docs/decisions/0020):

- ``EmbeddedStore``: a SQLite file of its own (``SINMUN_VAR_DIR/audience.sqlite3``, WAL) that
  every process of the machine opens: web workers, the worker, the command line. A counted view
  is one statement there (the 30-minute mark of the reader, whose trigger adds the view to the
  open counts when the mark is new or its window has passed), never a write to the content
  database.
- ``RedisStore`` (``SINMUN_REDIS_URL``): the same in Redis, one Lua script per view (the seen
  mark with an expiry, ``HINCRBY`` for the counter, atomically), so every app box agrees.

The worker moves counts to the database in batches (``flushing``): ``claim`` gives the counts
so far a batch id, atomically, while new views go on counting; ``finish`` forgets a batch once
the database holds it. A batch claimed but not finished (the worker died) is found again by
``batches`` and finished without being added twice (``FlushedBatch``).

Counts are keyed ``(public_id, bucket start, referrer domain)``. The store never holds an
address: only a keyed hash (``counting.reader_key``) that expires after the dedup window, and
the day's salt, which is dropped when the day ends.

Written by hand: the job queue's storage (Huey) has no counters, and Django's cache API has no
atomic "add if absent, then increment another key" nor a rename.
"""

import functools
import json
import os
import secrets
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings

DEDUP_SECONDS = 30 * 60
REDIS_PREFIX = "sinmun:audience:"


@dataclass(frozen=True)
class Count:
    public_id: str
    bucket: int  # the bucket's start, seconds since the epoch (UTC)
    domain: str
    views: int


class EmbeddedStore:
    """The store on a SQLite file every local process opens."""

    # A counted view is one statement: the upsert of the seen mark, whose triggers add the view
    # to the open counts only when the mark was new or its window had passed (measured: one
    # statement and one lock instead of a transaction of two, docs/decisions/0020).
    # Every statement is idempotent, so processes opening the file at once cannot undo each
    # other's work. ``seen`` was the first layout's table (no article columns): dropped.
    SCHEMA = """
    DROP TABLE IF EXISTS seen;
    CREATE TABLE IF NOT EXISTS marks (
        key BLOB PRIMARY KEY, until REAL NOT NULL,
        article TEXT NOT NULL, bucket INTEGER NOT NULL, domain TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS pending (
        article TEXT NOT NULL, bucket INTEGER NOT NULL, domain TEXT NOT NULL,
        batch TEXT NOT NULL DEFAULT '', views INTEGER NOT NULL,
        PRIMARY KEY (batch, article, bucket, domain)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS salt (day TEXT PRIMARY KEY, value BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS rankings (name TEXT PRIMARY KEY, ids TEXT NOT NULL);
    CREATE TRIGGER IF NOT EXISTS marks_first AFTER INSERT ON marks BEGIN
        INSERT INTO pending (article, bucket, domain, views)
        VALUES (NEW.article, NEW.bucket, NEW.domain, 1)
        ON CONFLICT DO UPDATE SET views = views + 1;
    END;
    CREATE TRIGGER IF NOT EXISTS marks_again AFTER UPDATE ON marks BEGIN
        INSERT INTO pending (article, bucket, domain, views)
        VALUES (NEW.article, NEW.bucket, NEW.domain, 1)
        ON CONFLICT DO UPDATE SET views = views + 1;
    END;
    """
    RECORD = (
        "INSERT INTO marks (key, until, article, bucket, domain) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET until = excluded.until, article = excluded.article,"
        " bucket = excluded.bucket, domain = excluded.domain WHERE marks.until <= ?"
    )

    def __init__(self, path):
        self.path = str(path)
        self._local = threading.local()
        self._salts: dict[str, bytes] = {}

    def _db(self) -> sqlite3.Connection:
        # One connection per thread and per process: a forked web worker opens its own.
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=20, isolation_level=None)
            db.execute("PRAGMA busy_timeout=20000")
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a crashed process loses nothing it committed; only a power
            # cut can lose the last commits before a checkpoint.
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(self.SCHEMA)
            self._local.db, self._local.pid = db, os.getpid()
        return db

    def record(self, *, key: bytes, public_id: str, bucket: int, domain: str, now: float) -> bool:
        """Count one view unless ``key`` was counted within the dedup window; return if counted."""
        args = (key, now + DEDUP_SECONDS, public_id, bucket, domain, now)
        return bool(self._db().execute(self.RECORD, args).rowcount)

    def record_many(self, views: list[tuple[bytes, str, int, str, float]]) -> int:
        """Count many views ``(key, public_id, bucket, domain, now)`` in one transaction.

        The web processes' page-view buffers (``pageviews``) hand over a second's views at once:
        one lock and one commit instead of one per view. Return how many were counted.
        """
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            before = db.total_changes
            db.executemany(
                self.RECORD,
                [
                    (k, now + DEDUP_SECONDS, pid, bucket, dom, now)
                    for k, pid, bucket, dom, now in views
                ],
            )
            # total_changes counts the triggers' rows too: each counted view is two changes.
            counted = (db.total_changes - before) // 2
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return counted

    def salt(self, day: str) -> bytes:
        """Return the day's salt (made by whichever process asks first); drop older days'."""
        if day in self._salts:
            return self._salts[day]
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "INSERT OR IGNORE INTO salt (day, value) VALUES (?, ?)",
                (day, secrets.token_bytes(32)),
            )
            db.execute("DELETE FROM salt WHERE day < ?", (day,))
            value = db.execute("SELECT value FROM salt WHERE day = ?", (day,)).fetchone()[0]
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._salts = {day: value}
        return value

    def claim(self) -> str | None:
        """Give every open count a new batch id and return it (None when nothing is open)."""
        batch = uuid.uuid4().hex
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            moved = db.execute("UPDATE pending SET batch = ? WHERE batch = ''", (batch,)).rowcount
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return batch if moved else None

    def batches(self) -> list[str]:
        """Return the batches claimed and not finished."""
        rows = self._db().execute("SELECT DISTINCT batch FROM pending WHERE batch != ''")
        return [row[0] for row in rows]

    def batch(self, batch: str) -> list[Count]:
        rows = self._db().execute(
            "SELECT article, bucket, domain, views FROM pending WHERE batch = ?", (batch,)
        )
        return [Count(*row) for row in rows]

    def finish(self, batch: str) -> None:
        self._db().execute("DELETE FROM pending WHERE batch = ?", (batch,))

    def open_views(self) -> int:
        """Return the views counted and not yet claimed (for the tests and the benchmark)."""
        row = self._db().execute("SELECT COALESCE(SUM(views), 0) FROM pending WHERE batch = ''")
        return row.fetchone()[0]

    def prune(self, now: float) -> None:
        """Forget the seen marks whose window has passed."""
        self._db().execute("DELETE FROM marks WHERE until <= ?", (now,))

    def put_rankings(self, rankings: dict[str, list[int]]) -> None:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM rankings")
            db.executemany(
                "INSERT INTO rankings (name, ids) VALUES (?, ?)",
                [(name, json.dumps(ids)) for name, ids in rankings.items()],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def rankings(self, names: list[str]) -> dict[str, list[int]]:
        marks = ",".join("?" * len(names))
        rows = self._db().execute(
            f"SELECT name, ids FROM rankings WHERE name IN ({marks})",  # noqa: S608 (only ?s)
            names,
        )
        return {name: json.loads(ids) for name, ids in rows}


# KEYS: seen mark, pending hash; ARGV: window seconds, hash field, now (epoch seconds).
# The mark holds the end of its window, compared with the caller's clock (the same clock the
# embedded store uses, so a frozen clock in tests means the same thing); Redis's own expiry
# only cleans it up.
_RECORD = """
local ends = redis.call('GET', KEYS[1])
if ends and tonumber(ends) > tonumber(ARGV[3]) then
  return 0
end
redis.call('SET', KEYS[1], tostring(tonumber(ARGV[3]) + tonumber(ARGV[1])), 'EX', ARGV[1])
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
return 1
"""
# KEYS: pending hash, batch hash, set of batches; ARGV: batch id.
_CLAIM = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], ARGV[1])
  return 1
end
return 0
"""


class RedisStore:
    """The store in Redis: every app box counts into the same keys."""

    def __init__(self, url: str, prefix: str = REDIS_PREFIX):
        import redis

        self.prefix = prefix
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._record = self.client.register_script(_RECORD)
        self._claim = self.client.register_script(_CLAIM)
        self._salts: dict[str, bytes] = {}

    def _key(self, name: str) -> str:
        return self.prefix + name

    def record(self, *, key: bytes, public_id: str, bucket: int, domain: str, now: float) -> bool:
        field = f"{public_id}|{bucket}|{domain}"
        keys = [self._key("seen:" + key.hex()), self._key("pending")]
        return bool(self._record(keys=keys, args=[DEDUP_SECONDS, field, repr(now)]))

    def record_many(self, views: list[tuple[bytes, str, int, str, float]]) -> int:
        """Count many views ``(key, public_id, bucket, domain, now)`` in one round trip."""
        pipe = self.client.pipeline(transaction=False)
        for key, public_id, bucket, domain, now in views:
            self._record(
                keys=[self._key("seen:" + key.hex()), self._key("pending")],
                args=[DEDUP_SECONDS, f"{public_id}|{bucket}|{domain}", repr(now)],
                client=pipe,
            )
        return sum(int(done) for done in pipe.execute())

    def salt(self, day: str, *, expires_at: int | None = None) -> bytes:
        """Return the day's salt; it expires in Redis when the day ends (``expires_at``)."""
        if day in self._salts:
            return self._salts[day]
        key = self._key("salt:" + day)
        expire = expires_at or int(time.time()) + 86400
        self.client.set(key, secrets.token_bytes(32), nx=True, exat=expire)
        value = self.client.get(key)
        self._salts = {day: value}
        return value

    def claim(self) -> str | None:
        batch = uuid.uuid4().hex
        keys = [self._key("pending"), self._key("batch:" + batch), self._key("batches")]
        return batch if self._claim(keys=keys, args=[batch]) else None

    def batches(self) -> list[str]:
        return sorted(member.decode() for member in self.client.smembers(self._key("batches")))

    def batch(self, batch: str) -> list[Count]:
        counts = []
        for field, views in self.client.hgetall(self._key("batch:" + batch)).items():
            public_id, bucket, domain = field.decode().split("|", 2)
            counts.append(Count(public_id, int(bucket), domain, int(views)))
        return counts

    def finish(self, batch: str) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(self._key("batch:" + batch))
        pipe.srem(self._key("batches"), batch)
        pipe.execute()

    def open_views(self) -> int:
        return sum(int(v) for v in self.client.hvals(self._key("pending")))

    def prune(self, now: float) -> None:
        """Nothing to do: seen marks expire by themselves (``EX``)."""

    def put_rankings(self, rankings: dict[str, list[int]]) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(self._key("rankings"))
        if rankings:
            pipe.hset(
                self._key("rankings"),
                mapping={name: json.dumps(ids) for name, ids in rankings.items()},
            )
        pipe.execute()

    def rankings(self, names: list[str]) -> dict[str, list[int]]:
        values = self.client.hmget(self._key("rankings"), names)
        return {name: json.loads(v) for name, v in zip(names, values, strict=True) if v}

    def clear(self) -> None:
        """Delete every key under this store's prefix (tests)."""
        keys = list(self.client.scan_iter(match=self.prefix + "*", count=1000))
        if keys:
            self.client.delete(*keys)


@functools.cache
def _store(redis_url: str, var_dir: str) -> EmbeddedStore | RedisStore:
    if redis_url:
        return RedisStore(redis_url)
    return EmbeddedStore(f"{var_dir}/audience.sqlite3")


def current() -> EmbeddedStore | RedisStore:
    """Return the configured store (one per process and configuration)."""
    return _store(settings.REDIS_URL, str(settings.VAR_DIR))
