"""The beacon answered in front of Django: ``BeaconFront`` wraps the WSGI application.

A cached page is answered before Django's middleware (``public.pagecache.PageCacheFront``), in
tens of microseconds; the beacon each page view sends must not cost many times that. So
``POST /audience/view/`` is answered here with the same rules as the Django view
(``views.beacon``, kept for the development server and the test client): parse the small
form body, ``services.view_record``, 204. No middleware, no session, no database.
"""

from urllib.parse import parse_qs

from sinmun.clients import environ_address, environ_key

from . import counting, services
from .views import MAX_BODY

PATH = "/audience/view/"
_NO_STORE = [("Cache-Control", "no-store")]


class EnvironHeaders:
    """Request headers read from a WSGI environ by their HTTP names ('Sec-Purpose')."""

    def __init__(self, environ: dict):
        self.environ = environ

    def get(self, name: str, default: str = "") -> str:
        return self.environ.get(environ_key(name), default)


def _text(start_response, status: str, message: str) -> list[bytes]:
    body = message.encode()
    start_response(
        status,
        [
            *_NO_STORE,
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


class BeaconFront:
    """Answer the view beacon; pass every other request to ``app``."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return _text(start_response, "400 Bad Request", counting.NOT_AN_ARTICLE)
        body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
        try:
            form = parse_qs(body, max_num_fields=10)
        except ValueError:
            return _text(start_response, "400 Bad Request", counting.NOT_AN_ARTICLE)
        reason = services.view_record(
            public_id=form.get("a", [""])[0],
            referrer=form.get("r", [""])[0],
            user_agent=environ.get("HTTP_USER_AGENT", ""),
            address=environ_address(environ),
            headers=EnvironHeaders(environ),
            host=environ.get("HTTP_HOST", ""),
        )
        if reason == counting.NOT_AN_ARTICLE:
            return _text(start_response, "400 Bad Request", reason)
        if reason == services.STORE_DOWN:
            return _text(start_response, "503 Service Unavailable", reason)
        start_response("204 No Content", list(_NO_STORE))
        return []
