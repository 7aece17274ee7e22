"""The content generation: a number that changes whenever readers could see something new.

Every public change bumps it after it commits (a publish, an update of a published article,
a withdrawal, an import, an embargo coming due, the outlet, a section, a weather refresh), and
everything cached for readers is keyed on it: whole pages (``public.pagecache``), the outlet
and the menu (``selectors``), the weather rows. So a change made by any process — a web
worker, the ``sinmun`` command, the background worker, another app box — is on every page the
next time that page is asked for (docs/decisions/0012-shared-state.md).

Where it lives is the one thing every process must share:
- ``SINMUN_REDIS_URL`` set: a Redis counter (``INCR`` is atomic, so two bumps at once are two
  generations), read with one ``GET`` per request; every app box sees the same number.
- otherwise: eight bytes of a file under ``SINMUN_VAR_DIR``, which every process maps into its
  memory (``_Mapped``): the operating system shows all of them the same page, so a read is a
  memory load and a bump is seen by every process at its next read. A bump is a clock
  reading, taken under the file's lock, so two bumps at once still move it forward.

The cached values themselves stay in each process's memory (``cached`` below, the page
store of ``public.pagecache``): a page-cache hit costs a dictionary lookup and one read of the
mapped file (~0.1 µs; the ``stat`` of the file's modification time this replaced cost 2 µs, two
thirds of the page cache's own work on a hit) — or, with Redis, a ``GET`` read at most every
``REDIS_READ_INTERVAL`` seconds per process (a round trip costs ~50 µs, as much as the rest of a
hit together). A bump made in this process is seen by it at once; other processes see it
within that interval.
"""

import fcntl
import functools
import itertools
import mmap
import os
import struct
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver

REDIS_KEY = "sinmun:content-generation"
# How long a process trusts the Redis generation it last read (docs/decisions/0016).
REDIS_READ_INTERVAL = 0.1
# A second, slower counter: names shown inside article pages (reporters, sections, series,
# keywords) and the outlet changed. Fragments of one article's page that survive other
# articles' publishes are keyed on it and on the article's own last save.
CONTENT = "content"
NAMES = "names"
# A third: the search index caught up with a change (the worker analysed a saved article).
# Only search result pages are kept under it; a publish already started a content generation
# for every other page, and a second one a moment later made every page render twice.
SEARCH = "search"
# The ads app's own counter (sinmun.ads.inventory): campaigns and banner counts changed. Kept
# here because it is kept the same way; nothing of the newsroom is keyed on it.
ADS = "ads"
_last_read: dict[str, list] = {kind: [0.0, 0] for kind in (CONTENT, NAMES, SEARCH, ADS)}
# Held around each Redis round trip that sets a ``_last_read``: without it two threads'
# answers could land in the other order, and a bump's INCR of 100 be overwritten by another
# thread's INCR (or GET) of 99 that was answered first: this process would then serve, for up
# to REDIS_READ_INTERVAL, pages kept before its own change (seen in CI: 99 after 100 bumps).
_redis_lock = threading.Lock()


def _new_lock_in_child() -> None:
    # A process forked while another thread held the lock (the worker forks its counting process
    # beside its job threads) would find it held for ever.
    global _redis_lock
    _redis_lock = threading.Lock()


os.register_at_fork(after_in_child=_new_lock_in_child)


@functools.cache
def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def _redis_key(kind: str) -> str:
    return REDIS_KEY if kind == CONTENT else f"sinmun:{kind}-generation"


def _path(kind: str = CONTENT):
    return settings.VAR_DIR / f"{kind}-generation"


_VALUE = struct.Struct("<q")
# How often a process checks that the generation file it maps is still the one at its path: a
# file removed and made again (a var folder restored by hand) would otherwise never be seen.
RECHECK_SECONDS = 1.0


class _Mapped:
    """One generation file, mapped into this process's memory (shared with every process).

    The value is the file's first eight bytes. A file of the earlier layout (empty, the value
    in its modification time) is taken over with a value later than that time, so no page kept
    under an old generation can match the new one.
    """

    def __init__(self, path: str):
        self.path = path
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            with _locked(fd):
                info = os.fstat(fd)
                if info.st_size < _VALUE.size:
                    start = max(time.time_ns(), info.st_mtime_ns + 1)
                    os.pwrite(fd, _VALUE.pack(start), 0)
            self.map = mmap.mmap(fd, _VALUE.size)
            self.inode = os.fstat(fd).st_ino
        finally:
            os.close(fd)
        self.checked = time.monotonic()

    def read(self) -> int:
        return _VALUE.unpack_from(self.map)[0]

    def replaced(self, every: float = RECHECK_SECONDS) -> bool:
        """Return whether the path now names another file (looked at once ``every`` seconds)."""
        now = time.monotonic()
        if now - self.checked < every:
            return False
        self.checked = now
        try:
            return os.stat(self.path).st_ino != self.inode
        except FileNotFoundError:
            return True

    def bump(self) -> None:
        fd = os.open(self.path, os.O_RDWR)
        try:
            with _locked(fd):
                # Strictly later, even when two bumps fall into one clock tick.
                self.map[: _VALUE.size] = _VALUE.pack(max(time.time_ns(), self.read() + 1))
        finally:
            os.close(fd)


class _locked:
    def __init__(self, fd: int):
        self.fd = fd

    def __enter__(self):
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)


# The mapped generation files, opened at the first read (a page-cache hit reads the generation:
# building the path each time cost more than the read). Empty with Redis, and emptied whenever a
# test changes where the generations live.
_files: dict[str, _Mapped] = {}
_files_lock = threading.Lock()


@receiver(setting_changed)
def _where_changed(*, setting: str, **kwargs) -> None:
    if setting in ("VAR_DIR", "REDIS_URL"):
        _files.clear()
        _kept_generation[0] = 0  # another home counts from elsewhere


def current(kind: str = CONTENT) -> int:
    """Return the current generation."""
    mapped = _files.get(kind)
    if mapped is not None and not mapped.replaced():
        return _VALUE.unpack_from(mapped.map)[0]
    if settings.REDIS_URL:
        last = _last_read[kind]
        read_at, value = last
        if time.monotonic() - read_at < REDIS_READ_INTERVAL:
            return value
        with _redis_lock:
            # Another thread may have read (or bumped) while this one waited for the lock.
            read_at, value = last
            now = time.monotonic()
            if now - read_at < REDIS_READ_INTERVAL:
                return value
            value = int(_redis().get(_redis_key(kind)) or 0)
            last[:] = [now, value]
            return value
    return _mapped(kind).read()


def _mapped(kind: str) -> _Mapped:
    """Return this process's mapping of ``kind``'s file, mapping it again if it was replaced.

    Looks at the path every time: ``current`` comes here when its once-a-second look found the
    file replaced (a second look within the second would say no), and a bump must write to the
    file that is there now.
    """
    with _files_lock:
        mapped = _files.get(kind)
        if mapped is None or mapped.replaced(every=0):
            path = _path(kind)
            path.parent.mkdir(parents=True, exist_ok=True)
            mapped = _files[kind] = _Mapped(os.fspath(path))
        return mapped


def bump(kind: str = CONTENT) -> None:
    """Start a new generation."""
    if settings.REDIS_URL:
        with _redis_lock:
            _last_read[kind][:] = [time.monotonic(), int(_redis().incr(_redis_key(kind)))]
        return
    _mapped(kind).bump()


def forget_reads() -> None:
    """Drop the remembered Redis reads (tests that switch Redis on and off)."""
    for last in _last_read.values():
        last[:] = [0.0, 0]


# The values ``cached`` keeps: versioned key -> (ticket, value). The objects stay in this
# dictionary and Django's local-memory cache holds only their ticket, because that cache pickles
# every value on the way in and out: unpickling the outlet, the menu, the weather and the
# article row was a seventh of a render from kept fragments (docs/decisions/0016). The ticket
# keeps the cache's timeouts, and a cleared local cache still means "compute again". Every
# request of the process gets the same object: callers read it and never change it.
MAX_KEPT = 5000
_kept: dict[str, tuple[int, object]] = {}
_kept_generation = [0]  # the newest generation a value was kept under
_tickets = itertools.count(1)
_kept_lock = threading.Lock()


def cached(key: str, compute, timeout: int):
    """Return ``compute()`` from this process's memory, kept until the next generation.

    ``timeout`` bounds how long a value lives even if nothing changes (relative times age).
    """
    local = caches["local"]
    now = current()
    versioned = f"{key}:{now}"
    ticket = local.get(versioned)
    kept = _kept.get(versioned)
    if ticket is not None and kept is not None and kept[0] == ticket:
        return kept[1]
    value = compute()
    ticket = next(_tickets)
    with _kept_lock:
        if now > _kept_generation[0]:
            # Every kept value is keyed on an older generation now, so none can be asked for
            # again: let them go at once instead of when MAX_KEPT pushes them out. (Generations
            # only grow, so a slow render still holding an older one clears nothing.)
            _kept.clear()
            _kept_generation[0] = now
        _kept.pop(versioned, None)
        while len(_kept) >= MAX_KEPT:
            _kept.pop(next(iter(_kept)))
        _kept[versioned] = (ticket, value)
    local.set(versioned, ticket, timeout)
    return value
