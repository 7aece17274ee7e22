"""Where counted views wait for the worker, and where the rankings wait for the pages.

Two backends with one interface, picked by configuration (docs/decisions/0020):

- ``EmbeddedStore``: a SQLite file of its own (``SINMUN_VAR_DIR/audience.sqlite3``, WAL) that
  every process of the machine opens: web workers, the worker, the command line. The readers'
  30-minute windows are appended there, a block a transaction, and kept in memory by the process
  that counts (``_Windows``); a counted view is never a write to the content database.
- ``RedisStore`` (``SINMUN_REDIS_URL``): the same in Redis, one Lua script per view (the seen
  mark with an expiry, ``HINCRBY`` for the counter, atomically), so every app box agrees.

Page views the web processes saw themselves (``pageviews``) are not counted there: a web
process appends a second's views, hashed, to the *spool* (``spool_add``: one unindexed row in
SQLite, one ``RPUSH`` in Redis), and the worker counts them (``drain``: the 30-minute dedup,
then the spool's rows are deleted in the same transaction, or the same Redis script). The dedup
is then done by one process for every web process and box, and its cost is the worker's.

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

import contextlib
import functools
import json
import operator
import os
import secrets
import sqlite3
import sys
import threading
import time
import uuid
from array import array
from dataclasses import dataclass

from django.conf import settings

DEDUP_SECONDS = 30 * 60
# How long a write waits for another process's write lock before it fails (SQLite's busy
# timeout); the worker's flush waits less (``waiting_at_most``) and tries again at its next tick.
BUSY_SECONDS = 20
REDIS_PREFIX = "sinmun:audience:"
# How long a day's salt outlives the day in Redis, for views of its last seconds handed over
# after it (up to the worker's 15-s tick, longer after a stop).
SALT_GRACE_SECONDS = 600
# A web process hands its views to the spool once a second, at most this many a hand-over (one
# row, one list entry); the worker counts DRAIN_HAND_OVERS of them a SQLite transaction and
# fewer a Redis script, which holds Redis while it runs (4,000 views: a few milliseconds).
SPOOL_VIEWS = 1000
DRAIN_HAND_OVERS = 40
REDIS_DRAIN_HAND_OVERS = 4


def spool_line(key: str, public_id: str, bucket: int, domain: str, now: float) -> str:
    """Return one spooled view (``key``: the reader's key in hex) as the spool keeps it:
    ``<key> <article|bucket|domain> <now>``.

    Text both stores read (SQLite in Python, Redis in Lua): a referrer's domain and an article's
    id never hold a space (``counting.referrer_domain``, ``counting.PUBLIC_ID``).
    """
    return f"{key} {public_id}|{bucket}|{domain} {now:.3f}"


def spool_views(hand_overs):
    """Yield ``(key, public_id, bucket, domain, now)`` for every view of ``hand_overs`` (``key``
    in hex)."""
    for text in hand_overs:
        for line in text.split("\n"):
            key, field, now = line.split(" ")
            public_id, bucket, domain = field.split("|", 2)
            yield key, public_id, int(bucket), domain, float(now)


def integer_key(key: bytes) -> int:
    """Return a reader's 8-byte key as SQLite's integer (signed 64 bits)."""
    return int.from_bytes(key, "big", signed=True)


_AT = operator.itemgetter(4)


def _packed(typecode: str, values) -> bytes:
    """Return ``values`` as an array's bytes, little-endian whatever the machine."""
    packed = array(typecode, values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpacked(typecode: str, data: bytes) -> array:
    values = array(typecode)
    values.frombytes(data)
    if sys.byteorder == "big":
        values.byteswap()
    return values


class StoreBusy(Exception):
    """Another process held the store's write lock longer than the caller would wait."""


@contextlib.contextmanager
def _writing(db: sqlite3.Connection, *, undo=None):
    """Run the block in one write transaction (``BEGIN IMMEDIATE``: the lock taken first, so
    its reads are the state it writes over); roll back, and call ``undo``, if it raises."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if undo is not None:
            undo()
        db.execute("ROLLBACK")
        raise


@dataclass(frozen=True)
class Count:
    public_id: str
    bucket: int  # the bucket's start, seconds since the epoch (UTC)
    domain: str
    views: int


class _Windows:
    """The live windows as this process last read the blocks: reader key → when it ends.

    About 100 bytes a window (a million readers' windows: ~100 MB), held only by a process that
    counts: the worker's counting process (or the worker, draining a spool). Written by hand: a
    dictionary and the last block's id; nothing off the shelf tails a SQLite table.
    """

    SWEEP_SECONDS = 60.0

    def __init__(self):
        self.until: dict[int, float] = {}
        self.read_to = 0  # the last block's id read
        self.swept_at = time.time()

    def catch_up(self, db: sqlite3.Connection) -> None:
        """Read the windows appended since the last look (all of them, the first time)."""
        until = self.until
        now = time.time()
        rows = db.execute(
            "SELECT id, keys, ends FROM window_blocks WHERE id > ? ORDER BY id", (self.read_to,)
        )
        for block, keys, ends in rows:
            for key, end in zip(_unpacked("q", keys), _unpacked("d", ends), strict=True):
                if end > now and end > until.get(key, 0.0):
                    until[key] = end
            self.read_to = block

    def sweep(self) -> None:
        """Drop the windows that have passed, once a minute (as ``prune`` drops their blocks: a
        view of an earlier time that comes later counts again, as it did before)."""
        now = time.time()
        if now - self.swept_at >= self.SWEEP_SECONDS:
            self.until = {key: ends for key, ends in self.until.items() if ends > now}
            self.swept_at = now


def _move_old_windows(db: sqlite3.Connection) -> None:
    """Move the live windows of an earlier layout into one block: ``windows`` (a table keyed by
    reader) and ``window_log`` (a row a window)."""
    for table in ("windows", "window_log"):
        exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        if db.execute(exists, (table,)).fetchone() is None:
            continue
        with _writing(db):
            if db.execute(exists, (table,)).fetchone() is None:  # another process moved them
                continue
            rows = db.execute(
                f"SELECT key, until FROM {table} WHERE until > ? ORDER BY until",  # noqa: S608
                (time.time(),),
            ).fetchall()
            if rows:
                db.execute(EmbeddedStore.BLOCK, _block([k for k, _ in rows], [u for _, u in rows]))
            db.execute(f"DROP TABLE {table}")


def _block(keys: list[int], ends: list[float]) -> tuple:
    """Return the values of one ``window_blocks`` row for these windows."""
    return (max(ends), _packed("q", keys), _packed("d", ends))


class EmbeddedStore:
    """The store on a SQLite file every local process opens."""

    # The readers' windows a transaction opened are one row of ``window_blocks``, appended,
    # never updated: the keys (integers of the readers' 8-byte hashes) and when each window
    # ends, as two packed arrays, and the last end (for ``prune``). The open counts are
    # ``pending``. A process that counts (the worker's counting process, the worker's drain)
    # keeps the live windows in memory (``_Windows``), reads the blocks others appended since
    # it last looked, and appends its own, inside the transaction that adds the counts
    # (``_count``). Measured (docs/decisions/0020): a table keyed by the reader's hash rewrote
    # most of its B-tree every transaction (23–25 µs a view at a million windows); a row a
    # window (revision 4) cost ~1.1 µs a window to insert, a block ~0.1.
    # ``seen``, ``marks``, ``windows`` and ``window_log`` were earlier layouts' tables (the
    # last two are moved into a block when a connection first finds them).
    SCHEMA = """
    DROP TABLE IF EXISTS seen;
    DROP TRIGGER IF EXISTS marks_first;
    DROP TRIGGER IF EXISTS marks_again;
    DROP TABLE IF EXISTS marks;
    CREATE TABLE IF NOT EXISTS window_blocks (
        id INTEGER PRIMARY KEY AUTOINCREMENT, until REAL NOT NULL,
        keys BLOB NOT NULL, ends BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS pending (
        article TEXT NOT NULL, bucket INTEGER NOT NULL, domain TEXT NOT NULL,
        batch TEXT NOT NULL DEFAULT '', views INTEGER NOT NULL,
        PRIMARY KEY (batch, article, bucket, domain)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS salt (day TEXT PRIMARY KEY, value BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS rankings (name TEXT PRIMARY KEY, ids TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS spool (id INTEGER PRIMARY KEY, views TEXT NOT NULL);
    """
    BLOCK = "INSERT INTO window_blocks (until, keys, ends) VALUES (?, ?, ?)"
    ADD = (
        "INSERT INTO pending (article, bucket, domain, views) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO UPDATE SET views = views + excluded.views"
    )

    def __init__(self, path):
        self.path = str(path)
        self._local = threading.local()
        self._salts: dict[str, bytes] = {}
        self._windows = _Windows()

    def _db(self) -> sqlite3.Connection:
        # One connection per thread and per process: a forked web worker opens its own.
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            db.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a crashed process loses nothing it committed; only a power
            # cut can lose the last commits before a checkpoint.
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(self.SCHEMA)
            _move_old_windows(db)
            self._local.db, self._local.pid = db, os.getpid()
        return db

    @contextlib.contextmanager
    def waiting_at_most(self, seconds: float):
        """Within the block, this thread's writes wait at most ``seconds`` for another process's
        write lock, then raise ``StoreBusy`` (and the block's transaction is rolled back).

        The worker's flush runs so: the counting process holds the lock while it counts, in the
        idle CPU class, and while the cores are busy it may hold it for seconds; the worker must
        not wait that long behind it with its other jobs (docs/decisions/0020, revision 4).
        """
        db = self._db()
        db.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")
        try:
            yield
        except sqlite3.OperationalError as error:
            # The extended codes (SQLITE_BUSY_SNAPSHOT…) keep the primary one in the low byte.
            if getattr(error, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
                raise
            raise StoreBusy(str(error)) from error
        finally:
            db.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")

    def _count(self, db: sqlite3.Connection, views: list[tuple]) -> int:
        """Count ``views`` ``(key, public_id, bucket, domain, now)`` (``key`` the 8-byte hash as a
        signed integer) but those within an earlier view's window, in the order of their
        ``now``, inside the caller's write transaction; return how many counted.

        The caller forgets this process's windows (``_forget``) if the transaction does not
        commit: they were changed here first. The caller reads the others' windows
        (``_read_windows``) before it takes the lock, so only the last moment's are read here.
        """
        views.sort(key=_AT)
        windows = self._windows
        windows.catch_up(db)
        until = windows.until
        opened, opened_ends = [], []
        counts: dict[tuple[str, int, str], int] = {}
        for key, public_id, bucket, domain, now in views:
            ends = until.get(key)
            if ends is None or ends <= now:
                ends = until[key] = now + DEDUP_SECONDS
                opened.append(key)
                opened_ends.append(ends)
                field = (public_id, bucket, domain)
                counts[field] = counts.get(field, 0) + 1
        if opened:
            # The last block: catch_up read every earlier one inside this write transaction.
            windows.read_to = db.execute(self.BLOCK, _block(opened, opened_ends)).lastrowid
        db.executemany(self.ADD, [(*field, views) for field, views in counts.items()])
        return len(opened)

    def _read_windows(self, db: sqlite3.Connection) -> None:
        """Read the windows other processes appended, and drop the passed ones, outside any
        write transaction (WAL: others write meanwhile).

        Inside one, a process that had not counted for a while (the worker's drain, a new
        counting process) read every window since its last look — a million readers' windows
        are seconds of Python — while holding the lock every web process's spool waits for;
        starved of CPU on a saturated machine it held it past their 20-s busy timeout, and
        views were dropped (decision 0020, revision 7).
        """
        self._windows.catch_up(db)
        self._windows.sweep()

    def _forget(self) -> None:
        """Forget this process's windows (a transaction that changed them did not commit): the
        next count reads them back from the blocks."""
        self._windows = _Windows()

    def record(self, *, key: bytes, public_id: str, bucket: int, domain: str, now: float) -> bool:
        """Put one beacon's view in the spool, to be counted at the worker's next drain; return
        True (whether it is a repeat is known then).

        Not counted here: the dedup needs the live windows in memory, and a web process that
        answers beacons should not hold them (``_Windows``).
        """
        self.spool_add(spool_line(key.hex(), public_id, bucket, domain, now))
        return True

    def count(self, views: list[tuple], *, holding=contextlib.nullcontext) -> int:
        """Count ``views`` ``(key, public_id, bucket, domain, now)`` (``key`` the reader's hash as
        ``integer_key`` gives it) in one transaction, but those within a window; return how
        many counted.

        For the processes that count many views at a time (the worker's counting process).
        ``holding()`` is entered before the write lock is taken and left after it is let go
        (the counting process holds it at normal priority: ``handover.normal_priority``).
        """
        db = self._bulk_db()
        self._read_windows(db)
        with holding(), _writing(db, undo=self._forget):
            return self._count(db, views)

    def _bulk_db(self) -> sqlite3.Connection:
        """Return this thread's connection, set for counting thousands of views a transaction.

        A 64 MB page cache (used only as far as the file goes) and a checkpoint every ~40 MB of
        WAL rather than every 4 MB. Measured when the windows were still a table keyed by
        reader, whose pages each transaction rewrote: 19–22 against 24–26 µs a view at a million
        windows; with the windows appended it saves a checkpoint after nearly every commit. Not
        for the web processes' connections, which write a row at a time.
        """
        db = self._db()
        if getattr(self._local, "bulk", None) is not db:
            db.execute("PRAGMA cache_size=-65536")
            db.execute("PRAGMA wal_autocheckpoint=10000")
            self._local.bulk = db
        return db

    def spool_add(self, views: str) -> None:
        """Append one hand-over of spooled views (``spool_lines``): one row, its own commit.

        Durable once this returns (WAL: a crashed process loses nothing it committed). The
        table has no index but its row id, so the write costs the same however long it is.
        """
        self._db().execute("INSERT INTO spool (views) VALUES (?)", (views,))

    def spooled(self) -> int:
        """Return how many hand-overs wait in the spool (tests, the benchmark)."""
        return self._db().execute("SELECT COUNT(*) FROM spool").fetchone()[0]

    def drain(self, hand_overs: int = DRAIN_HAND_OVERS) -> int:
        """Count the spooled views (the 30-minute dedup) and delete them, in one transaction per
        ``hand_overs`` rows; return how many were counted (not repeats).

        Reading, counting and deleting commit together: a worker killed at any point leaves the
        rows to the next drain and has counted none of them.
        """
        db = self._bulk_db()
        counted = 0
        while True:
            self._read_windows(db)
            with _writing(db, undo=self._forget):
                rows = db.execute(
                    "SELECT id, views FROM spool ORDER BY id LIMIT ?", (hand_overs,)
                ).fetchall()
                if not rows:
                    return counted
                views = [
                    (integer_key(bytes.fromhex(key)), public_id, bucket, domain, now)
                    for key, public_id, bucket, domain, now in spool_views(r[1] for r in rows)
                ]
                counted += self._count(db, views)
                db.execute("DELETE FROM spool WHERE id <= ?", (rows[-1][0],))

    def salt(self, day: str) -> bytes:
        """Return the day's salt (made by whichever process asks first); drop older days'."""
        if day in self._salts:
            return self._salts[day]
        db = self._db()
        with _writing(db):
            db.execute(
                "INSERT OR IGNORE INTO salt (day, value) VALUES (?, ?)",
                (day, secrets.token_bytes(32)),
            )
            db.execute("DELETE FROM salt WHERE day < ?", (day,))
            value = db.execute("SELECT value FROM salt WHERE day = ?", (day,)).fetchone()[0]
        self._salts = {day: value}
        return value

    def claim(self) -> str | None:
        """Give every open count a new batch id and return it (None when nothing is open)."""
        batch = uuid.uuid4().hex
        db = self._db()
        with _writing(db):
            moved = db.execute("UPDATE pending SET batch = ? WHERE batch = ''", (batch,)).rowcount
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
        """Forget the readers' windows that have passed: the blocks whose last window has (a
        block a counting transaction, ~1,800 of them in 30 minutes: a scan reads little)."""
        self._db().execute("DELETE FROM window_blocks WHERE until <= ?", (now,))

    def put_rankings(self, rankings: dict[str, list[int]]) -> None:
        db = self._db()
        with _writing(db):
            db.execute("DELETE FROM rankings")
            db.executemany(
                "INSERT INTO rankings (name, ids) VALUES (?, ?)",
                [(name, json.dumps(ids)) for name, ids in rankings.items()],
            )

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


# KEYS: the spool list, the pending hash; ARGV: how many hand-overs, the seen marks' prefix,
# the window in seconds. Pops up to that many hand-overs and counts their views (as _RECORD
# does, one view a line ``key field now``) in one script: Redis runs it whole or not at all.
_DRAIN = """
local entries = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local counted = 0
local window = tonumber(ARGV[3])
local counts = {}
for _, entry in ipairs(entries) do
  for key, field, now in string.gmatch(entry, '(%x+) (%S+) (%S+)') do
    local mark = ARGV[2] .. key
    local ends = redis.call('GET', mark)
    local at = tonumber(now)
    if not (ends and tonumber(ends) > at) then
      redis.call('SET', mark, tostring(at + window), 'EX', window)
      counts[field] = (counts[field] or 0) + 1
      counted = counted + 1
    end
  end
end
for field, views in pairs(counts) do
  redis.call('HINCRBY', KEYS[2], field, views)
end
redis.call('LTRIM', KEYS[1], #entries, -1)
return {#entries, counted}
"""


class RedisStore:
    """The store in Redis: every app box counts into the same keys."""

    def __init__(self, url: str, prefix: str = REDIS_PREFIX):
        import redis

        self.prefix = prefix
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._record = self.client.register_script(_RECORD)
        self._claim = self.client.register_script(_CLAIM)
        self._drain = self.client.register_script(_DRAIN)
        self._salts: dict[str, bytes] = {}

    def _key(self, name: str) -> str:
        return self.prefix + name

    @contextlib.contextmanager
    def waiting_at_most(self, seconds: float):
        """Nothing to wait for: each script runs whole, in a few milliseconds."""
        yield

    def record(self, *, key: bytes, public_id: str, bucket: int, domain: str, now: float) -> bool:
        field = f"{public_id}|{bucket}|{domain}"
        keys = [self._key("seen:" + key.hex()), self._key("pending")]
        return bool(self._record(keys=keys, args=[DEDUP_SECONDS, field, repr(now)]))

    def spool_add(self, views: str) -> None:
        """Append one hand-over of spooled views: one ``RPUSH``."""
        self.client.rpush(self._key("spool"), views)

    def spooled(self) -> int:
        return self.client.llen(self._key("spool"))

    def drain(self, hand_overs: int = REDIS_DRAIN_HAND_OVERS) -> int:
        """Count the spooled views and drop them, ``hand_overs`` at a time, each time in one
        script (atomic: a worker killed in between has counted none of that lot, or all)."""
        counted = 0
        while True:
            taken, added = self._drain(
                keys=[self._key("spool"), self._key("pending")],
                args=[hand_overs, self._key("seen:"), DEDUP_SECONDS],
            )
            counted += added
            if not taken:
                return counted

    def salt(self, day: str, *, expires_at: int | None = None) -> bytes:
        """Return the day's salt; it expires in Redis when the day ends (``expires_at``)."""
        if day in self._salts:
            return self._salts[day]
        key = self._key("salt:" + day)
        # A view of a day that has just ended (seen at 23:59:59, counted at 00:00:01) still
        # needs that day's salt: an expiry already past made Redis drop the salt at once, and
        # the view was lost (TypeError on a None key).
        now = int(time.time())
        expire = max(expires_at if expires_at is not None else now + 86400, now)
        expire += SALT_GRACE_SECONDS
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
