"""When the store does not answer (Redis down): pages still render, the beacon gets a 503."""

import io

import pytest
from django.urls import reverse

from sinmun.audience import services
from sinmun.audience import store as stores
from sinmun.audience.front import BeaconFront

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture
def down(monkeypatch):
    """A Redis store on a port nothing listens on."""
    gone = stores.RedisStore("redis://127.0.0.1:9/0")
    monkeypatch.setattr(stores, "current", lambda: gone)
    return gone


@pytest.mark.django_db
def test_pages_render_without_the_lists(client, down, newsroom):
    article = newsroom.article()
    for url in ("/", article.get_absolute_url(), newsroom.politics.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert 'class="most-read"' not in response.content.decode()


@pytest.mark.django_db
def test_the_beacon_says_it_could_not_count(client, down):
    response = client.post(reverse("audience:beacon"), {"a": "abcd2345"}, HTTP_USER_AGENT=CHROME)
    assert response.status_code == 503
    assert response.content.decode() == services.STORE_DOWN
    answer = {}

    def start_response(status, headers):
        answer["status"] = status

    body = b"a=abcd2345"
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/audience/view/",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_USER_AGENT": CHROME,
    }
    assert b"".join(BeaconFront(None)(environ, start_response)).decode() == services.STORE_DOWN
    assert answer["status"] == "503 Service Unavailable"
