"""The two requests every page view with banners makes, answered in front of Django.

``AdsFront`` wraps the WSGI application (``sinmun/wsgi.py``) like the page cache's front: a
cached page costs ~8 µs of CPU, and through Django's middleware ``GET /ads/serve/`` cost ~650
µs, most of it middleware (sessions, CSRF, auth, messages) these anonymous, cookie-less
requests never use. Here they run the same functions as the Django views (``views.serve_payload``
and ``views.count_views``, kept for the development server and the test client): same answers,
same Korean errors, no middleware. The inventory reads the database only when it is rebuilt
(at most every 30 s per process); that connection is then closed or kept as Django's own
request cycle would (``close_old_connections``).
"""

import json
from urllib.parse import parse_qsl

from django.db import connections

from . import views

SERVE = "/ads/serve/"
VIEW = "/ads/v/"
_NO_STORE = ("Cache-Control", "no-store")


def _json(start_response, status: int, payload: dict) -> list[bytes]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    reason = {200: "200 OK", 400: "400 Bad Request"}[status]
    start_response(
        reason,
        [
            _NO_STORE,
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


def _release_connections() -> None:
    """Close or keep each database connection as Django does at the end of a request
    (``close_old_connections``); one inside a transaction (a test's) is left alone."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class AdsFront:
    """Answer ``GET /ads/serve/`` and ``POST /ads/v/``; pass every other request to ``app``."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO")
        method = environ.get("REQUEST_METHOD")
        if path == SERVE and method == "GET":
            try:
                params = dict(parse_qsl(environ.get("QUERY_STRING", ""), max_num_fields=10))
            except ValueError:
                return _json(start_response, 400, {"error": views.BAD_SLOTS})
            try:
                status, payload = views.serve_payload(params)
            finally:
                _release_connections()
            return _json(start_response, status, payload)
        if path == VIEW and method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= views.MAX_BEACON_BYTES:
                return _json(start_response, 400, {"error": views.BAD_BEACON})
            body = environ["wsgi.input"].read(length)
            if not views.count_views(body, environ.get("HTTP_USER_AGENT")):
                return _json(start_response, 400, {"error": views.BAD_BEACON})
            start_response("204 No Content", [_NO_STORE])
            return []
        return self.app(environ, start_response)
