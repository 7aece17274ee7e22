"""The site's WSGI application (what `sinmun serve` runs) answers the view beacon itself."""

import io

import pytest
from django.core.handlers.base import BaseHandler

from sinmun.audience import store as stores

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.mark.django_db
def test_the_served_application_counts_a_beacon(tmp_path, monkeypatch, newsroom):
    from sinmun import wsgi

    made = stores.EmbeddedStore(tmp_path / "audience.sqlite3")
    monkeypatch.setattr(stores, "current", lambda: made)

    def django_was_asked(*args, **kwargs):
        raise AssertionError("the beacon reached Django")

    # Answered in front of Django: Django's request handling is never entered.
    monkeypatch.setattr(BaseHandler, "get_response", django_was_asked)
    article = newsroom.article()
    body = f"a={article.public_id}".encode()
    answer = {}
    chunks = wsgi.application(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/audience/view/",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "REMOTE_ADDR": "198.51.100.30",
            "HTTP_HOST": "testserver",
            "HTTP_USER_AGENT": CHROME,
        },
        lambda status, headers: answer.update(status=status),
    )
    assert b"".join(chunks) == b""
    assert answer["status"] == "204 No Content"
    made.drain()  # a beacon waits in the spool for the worker (EmbeddedStore.record)
    assert made.open_views() == 1
