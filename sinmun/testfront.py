"""A test client that goes through the page cache in front of Django, as a real server does.

Django's test ``Client`` calls the request handler directly, so it never meets
``PageCacheFront`` (sinmun/public/pagecache.py), which wraps the WSGI application. This client
builds the WSGI environ with Django's ``RequestFactory`` and calls ``sinmun.wsgi.application``.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core import signals
from django.db import close_old_connections
from django.test import RequestFactory


@dataclass
class FrontResponse:
    status_code: int
    headers: dict[str, str]
    content: bytes

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]

    def __contains__(self, name: str) -> bool:
        return name.lower() in self.headers


@dataclass
class FrontClient:
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, *, method: str = "GET", headers: dict | None = None):
        from sinmun.wsgi import application

        factory = RequestFactory()
        request = factory.generic(method, path, headers=headers or {})
        environ = dict(request.environ)
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        seen = {}

        def start_response(status, response_headers, exc_info=None):
            seen["status"] = int(status.split()[0])
            seen["headers"] = {k.lower(): v for k, v in response_headers}

        # As Django's own test client does: a request must not close the test's connection.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            result = application(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return FrontResponse(seen["status"], seen["headers"], body)

    def head(self, path: str, **kwargs):
        return self.get(path, method="HEAD", **kwargs)


@contextmanager
def serving_front():
    """Serve ``sinmun.wsgi.application`` on a free port for the browser, as ``live_server``
    serves Django alone: the page cache, the view counter and the other fronts answer too.

    pytest-django's ``LiveServer`` builds the thread (and shares an in-memory SQLite test
    database with it); only the application it serves is swapped for the site's whole one.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from pytest_django.live_server_helper import LiveServer

    from sinmun.wsgi import application

    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda _django_alone: StaticFilesHandler(application)
    server._live_server_modified_settings.enable()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server._live_server_modified_settings.disable()


def article_html(client, article) -> str:
    """Return ``article``'s page as a reader's ``client`` gets it (it must answer 200)."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200, response.status_code  # noqa: S101 - a test helper
    return response.content.decode()
