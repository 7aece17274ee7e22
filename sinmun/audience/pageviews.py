"""Article views counted by the server itself, on the way out of every answer (the default).

``PageViewFront`` wraps the WSGI application outside the page cache (``sinmun/wsgi.py``), so it
sees every answer to ``GET /article/<id>/`` — cache hit, render or 304 — and counts a reader's
200 or 304 without a second request. The reader is judged by the same rules as the beacon
(``counting``: crawlers, programs and prefetches are not readers); a navigation from a portal
is ``cross-site`` and counts, what another page fetches or frames (``Sec-Fetch-Dest`` other
than ``document``) does not.

The request only appends a tuple to this process's ``ViewBuffer``; a thread hashes the views
and appends them to the store's spool once a second (``services.views_spool``: one row or one
``RPUSH`` for the lot). The worker counts the spool (``store.drain``): the 30-minute dedup
across every process happens there, and its cost is the worker's, at low priority.

What it costs in exactness (docs/decisions/0020): a web process that is killed loses the views
of its last second; a clean stop hands them to the spool, which is durable once written. A page
served by a CDN or proxy in front never reaches the server: such set-ups choose
``SINMUN_AUDIENCE_COUNTING=beacon``, where ``beacon.js`` counts in the reader's browser. A
prerendered page the reader later looks at is not counted here (its request said
``prerender``); the beacon would count it.

Written by hand: it is one deque and one thread; a queue library would add a process.
"""

import atexit
import logging
import multiprocessing.util
import os
import re
import threading
import time
import weakref
from collections import deque

from django.conf import settings
from django.core.signals import setting_changed

from sinmun.clients import environ_address

from . import counting, services

logger = logging.getLogger(__name__)

ARTICLE_PATH = re.compile(r"^/article/([a-z0-9]{4,16})/$")
FLUSH_SECONDS = 1.0
# Views waiting while the store is down are kept up to this many (then the oldest are dropped,
# and the log says how many): a bounded memory cost for an outage.
MAX_WAITING = 200_000
# Hand-overs tried at a clean exit before the last views are given up (logged).
EXIT_ATTEMPTS = 3
_COUNTED_STATUS = ("200", "304")
_AGENTS_KEPT = 4096
# The environ's keys of counting.PREFETCH_HEADERS, read directly (no header object a request).
_PREFETCH_KEYS = tuple(
    "HTTP_" + name.upper().replace("-", "_") for name in counting.PREFETCH_HEADERS
)


class ViewBuffer:
    """This process's views since the last hand-over to the store."""

    def __init__(self, store=None, flush_seconds: float = FLUSH_SECONDS):
        self.store = store
        self.flush_seconds = flush_seconds
        self._views: deque = deque()
        self._lock = threading.Lock()
        self._started = False
        # A forked child starts empty and starts its own thread: what the parent saw is the
        # parent's to hand over. (Asking os.getpid() on every view instead cost ~0.25 µs.)
        forked = weakref.WeakMethod(self._forked)
        os.register_at_fork(after_in_child=lambda: (method := forked()) and method())

    def _forked(self) -> None:
        self._views = deque()
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
            # A clean exit hands the last second over. A granian web process is a
            # multiprocessing child, which leaves through multiprocessing's exit function: that
            # runs its finalizers, not atexit's. Other processes (the development server, the
            # command line) run atexit's. A second flush finds nothing to do.
            multiprocessing.util.Finalize(None, self.flush_at_exit, exitpriority=10)
            atexit.register(self.flush_at_exit)

    def _run(self) -> None:
        while True:
            time.sleep(self.flush_seconds)
            self.flush()

    def flush_at_exit(self) -> None:
        """Hand the last views over, trying again a few times: there is no next second.

        The store may be busy at that moment (the worker draining holds SQLite's write lock;
        Redis restarting); a failed hand-over at exit would lose them.
        """
        for attempt in range(EXIT_ATTEMPTS):
            self.flush()
            if not self._views:
                return
            time.sleep(0.2 * (attempt + 1))

    def waiting(self) -> int:
        return len(self._views)

    def flush(self) -> int:
        """Hand every waiting view to the store's spool; return how many were handed over."""
        with self._lock:
            views = []
            try:
                while True:
                    views.append(self._views.popleft())
            except IndexError:
                pass
            if not views:
                return 0
            try:
                return services.views_spool(views, store=self.store)
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
                return 0


buffer = ViewBuffer()
_agents: dict[str, bool] = {}


def is_reader(environ: dict) -> bool:
    """Return whether this request is a reader's own look at the page (``counting``'s rules)."""
    agent = environ.get("HTTP_USER_AGENT", "")
    crawler = _agents.get(agent)
    if crawler is None:
        # The same few browser strings come again and again: judge each once per process.
        if len(_agents) >= _AGENTS_KEPT:
            _agents.clear()
        crawler = _agents[agent] = counting.is_crawler(agent)
    if crawler:
        return False
    for name in _PREFETCH_KEYS:
        value = environ.get(name)
        if value and counting.says_prefetch(value):
            return False
    return environ.get("HTTP_SEC_FETCH_DEST", "document") == "document"


class PageViewFront:
    """Count readers' article page views answered by ``app`` (when the site counts them)."""

    def __init__(self, app, views: ViewBuffer | None = None):
        self.app = app
        self.views = views or buffer
        self._read_settings()
        # A request reads no setting: each read through Django's lazy settings cost ~0.4 µs.
        setting_changed.connect(self._settings_changed)

    def _read_settings(self) -> None:
        self.on = settings.AUDIENCE_COUNTING == "server"

    def _settings_changed(self, *, setting: str, **kwargs) -> None:
        if setting == "AUDIENCE_COUNTING":
            self._read_settings()

    def __call__(self, environ, start_response):
        if (
            not self.on
            or environ.get("REQUEST_METHOD") != "GET"
            or (match := ARTICLE_PATH.match(environ.get("PATH_INFO", ""))) is None
        ):
            return self.app(environ, start_response)
        statuses = []

        def noting(status, headers, exc_info=None):
            statuses.append(status)
            return start_response(status, headers, exc_info)

        result = self.app(environ, noting)
        if statuses and statuses[0][:3] in _COUNTED_STATUS and is_reader(environ):
            self.views.add(
                (
                    match[1],
                    environ_address(environ),
                    environ.get("HTTP_USER_AGENT", ""),
                    environ.get("HTTP_REFERER", ""),
                    environ.get("HTTP_HOST", ""),
                    time.time(),
                )
            )
        return result
