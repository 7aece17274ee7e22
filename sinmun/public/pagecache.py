"""Full-page cache for the reader's site (DESIGN.md: "full-page cache hit (or render)").

Two halves (docs/decisions/0016-page-cache-in-front.md):

- ``cached_page`` marks a reader view's answer as cacheable: an anonymous GET that rendered a
  200 without cookies gets ``X-Page-Cache: miss``, HTTP caching headers (``Cache-Control``,
  ``Last-Modified``) and a ``Surrogate-Key`` header naming what the page shows.
- ``PageCacheFront`` wraps the whole WSGI application (``sinmun/wsgi.py``). It keeps such
  answers — status, every header the middleware added, the body and its gzip form — in this
  process's memory, and answers the next anonymous GET/HEAD of the same path and query itself:
  a dictionary lookup and one generation read, no Django view, middleware, template or query.
  It also answers ``If-None-Match`` / ``If-Modified-Since`` with a 304.

An entry is good while the content generation (``newsroom.generation``, shared by every process
through a file or Redis) is the one it was stored under and its ``PAGE_CACHE_SECONDS`` have not
run out (they bound how old ``3분 전`` and the minute-refreshed lists get). This app subscribes
to the newsroom's follow-ups (``purge_on_change``) and starts a new generation after every change
readers could see commits, so the next request in any process renders afresh. Desk users (who
carry a session cookie) always pass through, and nothing with a cookie is ever stored. Search
result pages are also kept under the search generation, which the worker starts when it has
analysed a saved article (the publish had already renewed every other page).

Written by hand because Django's ``cache_page`` keys by URL and headers only, offers no
invalidation on publish, and answers from inside the middleware stack.
"""

import gzip
import hashlib
import re
import threading
import time
from dataclasses import dataclass
from functools import cached_property, wraps

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import reverse
from django.utils.http import http_date

from sinmun.newsroom import generation
from sinmun.newsroom.followups import Event

HIT = "hit"
MISS = "miss"
# Links that name what a page shows, for the Surrogate-Key header (what a CDN purges by).
_LINK = re.compile(r'href="/(article|section|reporter|keyword|series)/([^/"?#]+)/')
_KEY_PREFIX = {"article": "a", "section": "s", "reporter": "r", "keyword": "k", "series": "e"}
# Pages smaller than this are not worth compressing.
GZIP_MIN_BYTES = 860


def surrogate_keys(html: str, path: str) -> str:
    """Return the page's surrogate keys: ``site``, the page's own, and what its ``<main>`` links.

    The menu and footer link every section on every page; they change with the outlet
    (``site``), so only the main content's links name what the page shows.
    """
    keys = {"site"}
    start, end = html.find("<main"), html.rfind("</main>")
    main = html[start:end] if 0 <= start < end else ""
    for kind, slug in [*_LINK.findall(f'href="{path}"'), *_LINK.findall(main)]:
        keys.add(f"{_KEY_PREFIX[kind]}-{slug}")
    return " ".join(sorted(keys))


def _is_anonymous(request) -> bool:
    # Desk users (who have a session) see pages as they are, never a cached copy.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def cached_page(view):
    """Mark ``view``'s anonymous 200 answers as cacheable by ``PageCacheFront``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return response
        if not _is_anonymous(request):
            # What a desk user sees may differ from the public page: no shared cache keeps it.
            response["Cache-Control"] = "private, no-store"
            return response
        if response.status_code == 200 and not response.streaming and not response.cookies:
            response["X-Page-Cache"] = MISS
            response["Cache-Control"] = (
                f"public, max-age=0, s-maxage={settings.EDGE_CACHE_SECONDS}, "
                f"stale-while-revalidate={settings.EDGE_STALE_SECONDS}"
            )
            response["Last-Modified"] = http_date()
            response["Surrogate-Key"] = surrogate_keys(
                response.content.decode(errors="replace"), request.get_full_path().split("?")[0]
            )
        return response

    return wrapper


def purge_on_change(happened) -> None:
    """Start a new generation: every cached page (in every process) is now out of date.

    A rename or a change of the outlet also starts a names generation: it ends the fragments
    of every article page (bylines, section labels, keywords, the outlet's own settings).
    """
    if happened.event in (Event.RENAMED, Event.SITE_CHANGED):
        generation.bump(generation.NAMES)
    generation.bump()


@dataclass(slots=True)
class Entry:
    """One stored answer, ready to send."""

    generation: int | tuple[int, int]  # (content, search) for search result pages
    expires: float  # time.monotonic()
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    gzip_headers: list[tuple[str, str]] | None
    gzip_body: bytes | None
    etag: str
    last_modified: str
    not_modified: list[tuple[str, str]]

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzip_body or b"") + 512


class PageStore:
    """This process's pages, bounded by bytes; the oldest stored go first when it is full.

    First-in-first-out rather than least-recently-used: a hit then changes nothing, so hits
    need no lock, and pages expire within a minute anyway.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: dict[str, Entry] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        return self._entries.get(key)

    def put(self, key: str, entry: Entry) -> None:
        if entry.size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            while self._entries and self._bytes + entry.size > self.max_bytes:
                evicted = self._entries.pop(next(iter(self._entries)))
                self._bytes -= evicted.size
            self._entries[key] = entry
            self._bytes += entry.size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


store = PageStore(max_bytes=int(getattr(settings, "PAGE_CACHE_MAX_BYTES", 64 * 1024 * 1024)))

# Headers that describe one particular answer and are rebuilt for each stored form.
_PER_BODY = {"content-length", "content-encoding", "x-page-cache", "etag", "vary"}


def _make_entry(status: str, headers: list[tuple[str, str]], body: bytes) -> Entry:
    kept = [(k, v) for k, v in headers if k.lower() not in _PER_BODY]
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    last_modified = next((v for k, v in headers if k.lower() == "last-modified"), "")
    vary = [("Vary", "Accept-Encoding")]
    plain = [
        *kept,
        *vary,
        ("ETag", etag),
        ("Content-Length", str(len(body))),
        ("X-Page-Cache", HIT),
    ]
    gzip_headers = gzip_body = None
    if len(body) >= GZIP_MIN_BYTES:
        gzip_body = gzip.compress(body, compresslevel=6, mtime=0)
        gzip_headers = [
            *kept,
            *vary,
            ("ETag", etag[:-1] + '-gz"'),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(gzip_body))),
            ("X-Page-Cache", HIT),
        ]
    # A 304 repeats the validators and caching headers, never the body's own.
    not_modified = [
        (k, v)
        for k, v in plain
        if k.lower() in ("cache-control", "etag", "last-modified", "vary", "surrogate-key")
    ] + [("X-Page-Cache", HIT)]
    return Entry(
        generation=0,
        expires=0.0,
        status=status,
        headers=plain,
        body=body,
        gzip_headers=gzip_headers,
        gzip_body=gzip_body,
        etag=etag,
        last_modified=last_modified,
        not_modified=not_modified,
    )


# Keys of pages whose minute ran out and that one request is rendering again right now.
_renewing: dict[str, bool] = {}


@dataclass(slots=True)
class _Render:
    """A render of a page under way in this process, and the generation it was asked under."""

    generation: int | tuple[int, int]
    done: threading.Event


# Pages being rendered right now, by key: after a change, the other requests for the page wait
# for that render instead of rendering it again beside it (docs/decisions/0016).
_rendering: dict[str, _Render] = {}
# How long a request waits for another's render before rendering the page itself.
RENDER_WAIT_SECONDS = 5.0


class PageCacheFront:
    """WSGI middleware: answer cached reader pages before Django is entered at all."""

    def __init__(self, app):
        self.app = app
        self._read_settings()
        # A hit reads no setting: each read through Django's lazy settings cost ~0.5 µs.
        setting_changed.connect(self._settings_changed)

    def _read_settings(self) -> None:
        self.on = settings.PAGE_CACHE_SECONDS > 0
        self.session_marker = settings.SESSION_COOKIE_NAME + "="

    @cached_property
    def search_path(self) -> str:
        # Taken at the first request: the URLconf is not loaded when the front is built.
        return reverse("public:search")

    def _settings_changed(self, *, setting: str, **kwargs) -> None:
        if setting in ("PAGE_CACHE_SECONDS", "SESSION_COOKIE_NAME"):
            self._read_settings()

    # Where this front puts the status of an answer it gave itself (a kept page, or its 304),
    # for the fronts around it (``sinmun/wsgi.py``: the audience's view counting): one item in
    # the environ, where watching ``start_response`` cost each of them ~0.8 µs a request.
    ANSWERED = "sinmun.page_cache.answered"

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        if (
            not self.on
            or (method != "GET" and method != "HEAD")
            or self.session_marker in environ.get("HTTP_COOKIE", "")
        ):
            return self.app(environ, start_response)
        path = environ.get("PATH_INFO", "")
        key = path + "?" + environ.get("QUERY_STRING", "")
        entry = store.get(key)
        current = generation.current()
        if path == self.search_path:
            # Results also change when the worker has analysed a saved article.
            current = (current, generation.current(generation.SEARCH))
        if entry is not None and entry.generation == current:
            if entry.expires > time.monotonic():
                return self._answer(entry, environ, start_response, method)
            # Only its minute ran out (nothing readers see changed): one request renders it
            # again while the others keep getting it, so the page's expiry is no stampede.
            if key in _renewing:
                return self._answer(entry, environ, start_response, method)
        # After a change every request for a busy page misses at once; the old page may not be
        # answered, so one request renders the new one and the others of this process wait for
        # it. Rendered side by side on shared cores, each copy took as long as all of them
        # (the scale-out benchmark: two renders of the article page, ~500 ms each under load).
        mine = _Render(current, threading.Event())
        underway = _rendering.setdefault(key, mine)
        if underway is not mine:
            if underway.generation == current and underway.done.wait(RENDER_WAIT_SECONDS):
                entry = store.get(key)
                if entry is not None and entry.generation == current:
                    return self._answer(entry, environ, start_response, method)
            elif underway.generation != current:
                _rendering[key] = mine  # a render from before the change: not worth waiting for
        _renewing[key] = True
        try:
            return self._render_and_keep(key, current, environ, start_response, method)
        finally:
            _renewing.pop(key, None)
            mine.done.set()
            if _rendering.get(key) is mine:
                del _rendering[key]

    @staticmethod
    def _answer(entry: Entry, environ, start_response, method, marker: str = HIT):
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match is not None:
            if entry.etag in match or entry.etag[:-1] + '-gz"' in match or match.strip() == "*":
                environ[PageCacheFront.ANSWERED] = 304
                start_response("304 Not Modified", entry.not_modified)
                return []
        elif entry.last_modified and environ.get("HTTP_IF_MODIFIED_SINCE") == entry.last_modified:
            environ[PageCacheFront.ANSWERED] = 304
            start_response("304 Not Modified", entry.not_modified)
            return []
        if entry.gzip_body is not None and "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
            headers, body = entry.gzip_headers, entry.gzip_body
        else:
            headers, body = entry.headers, entry.body
        if marker != HIT:
            headers = [*headers[:-1], ("X-Page-Cache", marker)]
        environ[PageCacheFront.ANSWERED] = 200  # only 200s are kept
        start_response(entry.status, headers)
        return [] if method == "HEAD" else [body]

    def _render_and_keep(self, key, current, environ, start_response, method="GET"):
        """Render through Django; keep the answer when the view marked it cacheable.

        The answer's headers are held back until the body is in hand, so that a kept page goes
        out exactly as its later hits will (ETag, gzip) and nothing else is delayed. A HEAD is
        rendered as its GET (a body to keep, whatever the view does with a HEAD) and answered
        with the headers only: the same ETag and length as the GET's, where passing it through
        had given neither until a GET had kept the page.
        """
        seen: dict[str, object] = {}

        def capture(status, headers, exc_info=None):
            seen.update(status=status, headers=headers, exc_info=exc_info)
            return _no_write

        environ["REQUEST_METHOD"] = "GET"
        result = self.app(environ, capture)
        environ["REQUEST_METHOD"] = method
        status, headers = seen.get("status", ""), seen.get("headers") or []
        if (
            not status.startswith("200")
            or not any(k == "X-Page-Cache" and v == MISS for k, v in headers)
            or any(k.lower() == "set-cookie" for k, _ in headers)
        ):
            start_response(status, headers, seen.get("exc_info"))
            if method == "HEAD":
                _close(result)
                return []
            return result
        try:
            body = b"".join(result)
        finally:
            _close(result)
        entry = _make_entry(status, headers, body)
        entry.generation = current
        entry.expires = time.monotonic() + settings.PAGE_CACHE_SECONDS
        store.put(key, entry)
        return self._answer(entry, environ, start_response, method, marker=MISS)


def _close(result) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _no_write(data):
    raise RuntimeError("write() is not supported behind the page cache; return the body")
