"""The beacon answered in front of Django (``BeaconFront``), as the server's WSGI app runs it."""

import io

import pytest

from sinmun.audience import counting
from sinmun.audience.front import BeaconFront

from .conftest import counted

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def behind(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"django"]


def call(body: bytes, *, method="POST", path="/audience/view/", length=None, **extra):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body) if length is None else length),
        "wsgi.input": io.BytesIO(body),
        "REMOTE_ADDR": "198.51.100.20",
        "HTTP_HOST": "saenaru.example",
        "HTTP_USER_AGENT": CHROME,
        **extra,
    }
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(BeaconFront(behind)(environ, start_response))
    return answer


@pytest.mark.django_db
def test_a_view_is_counted_without_django(store, newsroom):
    article = newsroom.article()
    answer = call(f"a={article.public_id}&r=https%3A%2F%2Fv.daum.net%2Fv%2F1".encode())
    assert answer["status"] == "204 No Content"
    assert answer["headers"]["Cache-Control"] == "no-store"
    assert counted(store) == 1
    assert store.batch(store.claim())[0].domain == "daum.net"


def test_repeats_crawlers_and_prefetches_count_nothing_more(store):
    call(b"a=abcd2345")
    call(b"a=abcd2345")
    call(b"a=abcd2345", HTTP_USER_AGENT="Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)")
    call(b"a=abcd2345", HTTP_SEC_PURPOSE="prefetch", REMOTE_ADDR="198.51.100.21")
    assert counted(store) == 1


@pytest.mark.parametrize(
    ("body", "length"),
    [(b"a=../x", None), (b"a=" + b"x" * 5000, None), (b"a=abcd2345", "nonsense"), (b"", -5)],
)
def test_bad_beacons_get_a_korean_400(store, body, length):
    answer = call(body, length=length)
    assert answer["status"] == "400 Bad Request"
    assert answer["body"].decode() == counting.NOT_AN_ARTICLE
    assert counted(store) == 0


def test_too_many_fields_get_a_400():
    answer = call("&".join(f"f{n}=1" for n in range(50)).encode())
    assert answer["status"] == "400 Bad Request"


def test_everything_else_goes_to_django():
    assert call(b"", method="GET")["body"] == b"django"
    assert call(b"a=abcd2345", path="/article/abcd2345/")["body"] == b"django"


def test_the_proxy_header_names_the_reader(store, settings):
    settings.API_CLIENT_IP_HEADER = "X-Real-IP"
    call(b"a=abcd2345", HTTP_X_REAL_IP="203.0.113.1")
    call(b"a=abcd2345", HTTP_X_REAL_IP="203.0.113.2")
    assert counted(store) == 2
