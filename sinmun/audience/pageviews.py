"""Article views counted by the server itself, on the way out of every answer (the default).

``PageViewFront`` wraps the WSGI application outside the page cache (``sinmun/wsgi.py``), so it
sees every answer to ``GET /article/<id>/`` — cache hit, render or 304 — and counts a reader's
200 or 304 without a second request. The reader is judged by the same rules as the beacon
(``counting``: crawlers, programs and prefetches are not readers); a navigation from a portal
is ``cross-site`` and counts, what another page fetches or frames (``Sec-Fetch-Dest`` other
than ``document``) does not.

The request only keeps the environ's values counting needs, raw, in this process's
``ViewBuffer`` (``raw_view``: no reader test, no address parsing, no hash). Ten times a second
a thread hands them on: under ``sinmun serve``, to the worker forked beside the web processes,
memory to memory (``handover``), which judges, hashes and counts them at low priority; anywhere
else (once a second), or when the worker is behind, the thread judges and hashes them itself
and appends them to the store's spool (``services.views_spool``), which the worker counts
(``store.drain``). Either way the 30-minute dedup across every process is the worker's, and so
is most of the cost.

What it costs in exactness (docs/decisions/0020): a web process that is killed loses the views
it had not handed on: its last tenth of a second (its last second where it spools); a clean
stop hands them to the spool, which is durable once written (a killed worker: ``handover``). A
page served by a CDN or proxy in front never reaches the server: such set-ups choose
``SINMUN_AUDIENCE_COUNTING=beacon``, where ``beacon.js`` counts in the reader's browser. A
prerendered page the reader later looks at is not counted here (its request said
``prerender``); the beacon would count it.

Written by hand: it is one deque and one thread; a queue library would add a process.
Measured: judging a reader in the request cost ~3 µs a new User-Agent, parsing the address and
keeping a tuple ~2 µs; keeping the raw values costs ~1 µs (docs/decisions/0020, revision 3).
"""

import atexit
import contextlib
import logging
import multiprocessing.util
import os
import threading
import time
import weakref
from collections import deque

from django.conf import settings
from django.core.signals import setting_changed

from sinmun import clients

from . import counting, handover, services

logger = logging.getLogger(__name__)

# A web process hands its views to the counting process ten times a second: a tenth of a
# second's views (~2,000 at full load) are still in the core's cache when they are packed, and
# fewer are kept alive in between (in-process, 0.83 against 0.62 µs a counted view with the
# packing; docs/decisions/0020, revision 8).
FLUSH_SECONDS = 0.1
# Where there is no counting process, the views go to the store's spool, a write each hand-over:
# once a second.
SPOOL_SECONDS = 1.0
# Views waiting while the store is down are kept up to this many (then the oldest are dropped,
# and the log says how many): a bounded memory cost for an outage. While the worker's counting
# process is behind, views wait up to this many and up to HOLD_SECONDS, then are spooled here.
MAX_WAITING = 200_000
HOLD_SECONDS = 15.0
# Hand-overs tried at a clean exit before the last views are given up (logged).
EXIT_ATTEMPTS = 3
_AGENTS_KEPT = 4096


def raw_view(public_id: str, environ: dict, now: float, forwarded_key: str = ""):
    """Return what the request keeps of a view, one flat tuple of plain values (``handover``
    sends them with ``marshal``; ``readers`` judges them), None where the request had none:
    ``(public_id, now, REMOTE_ADDR, User-Agent, Referer, Host, Sec-Fetch-Dest, the four
    prefetch headers of counting.PREFETCH_HEADERS, the client-address header's value)``;
    ``forwarded_key`` is that header's environ key (``clients.header_key()``), '' when none is
    configured. A test reads each prefetch header through here.
    """
    # One flat tuple of explicit lookups, not a tuple of map(environ.get, keys) inside another:
    # 0.96 against 1.27 µs a counted view with the flush's marshal (measured in-process).
    get = environ.get
    return (
        public_id,
        now,
        get("REMOTE_ADDR"),
        get("HTTP_USER_AGENT"),
        get("HTTP_REFERER"),
        get("HTTP_HOST"),
        get("HTTP_SEC_FETCH_DEST"),
        get("HTTP_SEC_PURPOSE"),
        get("HTTP_PURPOSE"),
        get("HTTP_X_PURPOSE"),
        get("HTTP_X_MOZ"),
        get(forwarded_key) if forwarded_key else None,
    )


def readers(views) -> list:
    """Return ``(public_id, address, user_agent, referrer, host, epoch)`` for each of ``views``
    (``raw_view``) that is a reader's own look at the page (``counting``'s rules): no crawler or
    program, no prefetch, a document.

    One loop that builds a list, every rule in it: the counting process runs it for every view
    the web processes see, and a generator with a test function a view (``is_reader``) was a
    fifth of that process's time (py-spy, ``make bench-audience``; decision 0020, revision 9).
    """
    # Unpacked by position, the address rule bound once: building an environ back per view and
    # asking Django's settings for the header cost a fifth of the counting process's time.
    address_of = clients.address_of
    is_crawler = counting.is_crawler
    agents = _agents
    found = []
    keep = found.append
    # Every field named: a starred name builds a list a view (7% of the counting process).
    for (
        public_id, epoch, remote, agent, referrer, host, dest, sec, purpose, x_purpose, moz,
        forwarded,
    ) in views:  # fmt: skip
        agent = agent or ""
        crawler = agents.get(agent)
        if crawler is None:
            # The same few browser strings come again and again: judge each once per process.
            if len(agents) >= _AGENTS_KEPT:
                agents.clear()
            crawler = agents[agent] = is_crawler(agent)
        if crawler or (dest is not None and dest != "document"):
            continue
        if (sec or purpose or x_purpose or moz) and _says_prefetch(sec, purpose, x_purpose, moz):
            continue
        keep((public_id, address_of(forwarded, remote), agent, referrer or "", host or "", epoch))
    return found


def _says_prefetch(*values) -> bool:
    return any(value and counting.says_prefetch(value) for value in values)


def count_handed_over(views: list, *, store=None, holding=contextlib.nullcontext) -> int:
    """Count views handed over by the web processes (the worker, ``handover``); return how many
    were readers' new views. ``holding``: as ``EmbeddedStore.count`` takes it."""
    return services.views_count(readers(views), store=store, holding=holding)


class ViewBuffer:
    """This process's views since the last hand-over to the store."""

    def __init__(
        self, store=None, flush_seconds: float = FLUSH_SECONDS, spool_seconds: float = SPOOL_SECONDS
    ):
        self.store = store
        self.flush_seconds = flush_seconds
        self.spool_seconds = spool_seconds
        self._views: deque = deque()
        # Views packed for the counting process that the socket could not take yet (it waits for
        # an idle core): ``(oldest view's time, views, datagram)``, packed once, sent in order.
        self._unsent: deque = deque()
        self._unsent_views = 0
        self._lock = threading.Lock()
        self._started = False
        # A forked child starts empty and starts its own thread: what the parent saw is the
        # parent's to hand over. (Asking os.getpid() on every view instead cost ~0.25 µs.)
        forked = weakref.WeakMethod(self._forked)
        os.register_at_fork(after_in_child=lambda: (method := forked()) and method())

    def _forked(self) -> None:
        self._views = deque()
        self._unsent = deque()
        self._unsent_views = 0
        self._lock = threading.Lock()
        self._started = False

    def add(self, view: tuple) -> None:
        if not self._started:
            self._start()
        # deque.append is atomic: request threads never wait for the flushing thread.
        self._views.append(view)

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
            threading.Thread(target=self._run, name="audience-views", daemon=True).start()
            # A clean exit hands the last views over. A granian web process is a
            # multiprocessing child, which leaves through multiprocessing's exit function: that
            # runs its finalizers, not atexit's. Other processes (the development server, the
            # command line) run atexit's. A second flush finds nothing to do.
            multiprocessing.util.Finalize(None, self.flush_at_exit, exitpriority=10)
            atexit.register(self.flush_at_exit)

    def _run(self) -> None:
        flushed_at = time.monotonic()
        while True:
            time.sleep(self.flush_seconds)
            now = time.monotonic()
            if handover.is_open() or now - flushed_at >= self.spool_seconds:
                self.flush()
                flushed_at = now

    def flush_at_exit(self) -> None:
        """Hand the last views over, trying again a few times: there is no next second.

        The store may be busy at that moment (the worker draining holds SQLite's write lock;
        Redis restarting); a failed hand-over at exit would lose them.
        """
        for attempt in range(EXIT_ATTEMPTS):
            self.flush(exiting=True)
            if not self.waiting():
                return
            time.sleep(0.2 * (attempt + 1))

    def waiting(self) -> int:
        return len(self._views) + self._unsent_views

    def _send(self, views: list) -> tuple[int, list]:
        """Send the unsent datagrams, then ``views``, to the counting process; return how many
        views were sent and the views to spool here instead."""
        for at in range(0, len(views), handover.VIEWS_A_DATAGRAM):
            chunk = views[at : at + handover.VIEWS_A_DATAGRAM]
            self._unsent.append((chunk[0][1], len(chunk), handover.pack(chunk)))
            self._unsent_views += len(chunk)
        sent, later = handover.send(self._unsent)
        self._unsent_views -= sent
        # Each view is packed once and kept as bytes while the socket is full: a second's
        # flush costs what is new, not what waits (re-sorting the whole backlog every second
        # cost the web processes ~3 µs a view while the counting process waited).
        return sent, self._take_unsent(everything=not later)

    def _take_unsent(self, *, everything: bool) -> list:
        """Take back, unpacked, the unsent views to spool here: all of them, or those older than
        HOLD_SECONDS (the most a crash can lose) and beyond MAX_WAITING."""
        oldest = time.time() - HOLD_SECONDS
        views = []
        while self._unsent and (
            everything or self._unsent[0][0] < oldest or self._unsent_views > MAX_WAITING
        ):
            _, count, datagram = self._unsent.popleft()
            self._unsent_views -= count
            views.extend(handover.unpack(datagram))
        return views

    def flush(self, *, exiting: bool = False) -> int:
        """Hand every waiting view on (to the worker, or judged and hashed to the store's spool);
        return how many were handed on.

        At exit they go to the spool: the worker may be gone already.
        """
        with self._lock:
            views = []
            try:
                while True:
                    views.append(self._views.popleft())
            except IndexError:
                pass
            if not views and not self._unsent:
                return 0
            if not exiting and handover.is_open():
                sent, views = self._send(views)
                if not views:
                    return sent
            else:
                sent = 0
                views = self._take_unsent(everything=True) + views
            try:
                services.views_spool(readers(views), store=self.store)
                return sent + len(views)
            except Exception:
                # Redis down, the disk full: keep them for the next second, within bounds.
                logger.exception(
                    "조회수 %d건을 넘기지 못했습니다; 다음에 다시 넘깁니다", len(views)
                )
                self._views.extendleft(reversed(views))
                dropped = len(self._views) - MAX_WAITING
                for _ in range(max(dropped, 0)):
                    self._views.popleft()
                if dropped > 0:
                    logger.error("저장소가 멈춘 동안 조회수 %d건을 버렸습니다", dropped)
                return sent


buffer = ViewBuffer()
_agents: dict[str, bool] = {}


def is_reader(view: tuple) -> bool:
    """Return whether a view (``raw_view``) is a reader's own look at the page (``readers``)."""
    return bool(readers((view,)))


class PageViewFront:
    """Count readers' article page views answered by ``app`` (when the site counts them).

    ``answered``: the environ's key where a front inside puts the status of an answer it gave
    itself (``PageCacheFront.ANSWERED``, a kept page or its 304). An answer it did not give is
    Django's response, which carries its ``status_code``. Reading the status there, rather than
    watching ``start_response``, saves a wrapper call a request (~0.8 µs of ~3.5 this front
    cost a counted view, measured in-process).
    """

    def __init__(self, app, views: ViewBuffer | None = None, *, answered: str = ""):
        self.app = app
        self.views = views or buffer
        self.answered = answered
        self._read_settings()
        # A request reads no setting: each read through Django's lazy settings cost ~0.4 µs.
        setting_changed.connect(self._settings_changed)

    def _read_settings(self) -> None:
        self.on = settings.AUDIENCE_COUNTING == "server"
        self.forwarded_key = clients.header_key()

    def _settings_changed(self, *, setting: str, **kwargs) -> None:
        if setting in ("AUDIENCE_COUNTING", "API_CLIENT_IP_HEADER"):
            self._read_settings()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        # /article/<public_id>/ and nothing under it (its related/ list is not a view); a string
        # test, not a pattern (a third of a microsecond less): an id that is not one is a 404.
        public_id = path[9:-1]
        if (
            not self.on
            or path[:9] != "/article/"
            or path[-1] != "/"
            or not public_id
            or "/" in public_id
            or environ.get("REQUEST_METHOD") != "GET"
        ):
            return self.app(environ, start_response)
        result = self.app(environ, start_response)
        status = environ.get(self.answered) or getattr(result, "status_code", 0)
        if status == 200 or status == 304:
            # Only what is read here is kept: the reader test, the address and the hash are
            # the worker's (``readers``), off the request.
            self.views.add(raw_view(public_id, environ, time.time(), self.forwarded_key))
        return result
