"""The banner request and the view beacon answered in front of Django (``front.AdsFront``, as
``sinmun/wsgi.py`` runs it): the same answers as the Django views, other requests untouched."""

import io
import json

import pytest

from sinmun.ads import counting, front, tokens, views
from sinmun.ads.models import DailyStat

AGENT = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36"


def call(app, path, *, method="GET", query="", body=b"", agent=AGENT):
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(),
        "CONTENT_LENGTH": str(len(body)), "HTTP_USER_AGENT": agent,
    }  # fmt: skip
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(app(environ, start_response))
    return answer


@pytest.fixture
def app():
    # Django's own application behind the front; the site's (sinmun/wsgi.py) is tested from
    # the project's tests (sinmun/tests/test_ads_in_front.py): an app never imports wsgi.
    from django.core.wsgi import get_wsgi_application

    return front.AdsFront(get_wsgi_application())


def test_serve_is_answered_in_front_of_django(app, booked):
    answer = call(app, "/ads/serve/", query="slots=rail-top,header&device=m&section=")
    assert answer["status"] == "200 OK"
    assert answer["headers"]["Cache-Control"] == "no-store"
    assert answer["headers"]["Content-Type"] == "application/json"
    slots = json.loads(answer["body"])["slots"]
    assert slots["rail-top"]["img"]["m"]["w"] == 300 and slots["header"]["href"].startswith(
        "/ads/c/"
    )
    assert "Set-Cookie" not in answer["headers"]  # no session, no CSRF cookie


@pytest.mark.parametrize(
    "query, message",
    [
        ("slots=nope&device=d", views.BAD_SLOTS),
        ("slots=header&device=tv", views.BAD_DEVICE),
        ("slots=header&device=d&section=-1", views.BAD_SECTION),
        ("&".join(f"x{n}=1" for n in range(20)), views.BAD_SLOTS),
    ],
)
def test_bad_serve_requests_get_the_same_korean_errors(app, booked, query, message):
    answer = call(app, "/ads/serve/", query=query)
    assert answer["status"] == "400 Bad Request"
    assert json.loads(answer["body"]) == {"error": message}


def test_the_beacon_counts_once_and_refuses_forgeries(app, booked, spool):
    fill = json.loads(call(app, "/ads/serve/", query="slots=rail-top&device=d")["body"])
    token = fill["slots"]["rail-top"]["view"]
    for _ in range(2):
        assert (
            call(app, "/ads/v/", method="POST", body=token.encode())["status"] == "204 No Content"
        )
    forged = token[:-4] + "AAAA"
    answer = call(app, "/ads/v/", method="POST", body=forged.encode())
    assert answer["status"] == "400 Bad Request"
    assert json.loads(answer["body"]) == {"error": views.BAD_BEACON}
    robot = call(app, "/ads/v/", method="POST", body=token.encode(), agent="Googlebot/2.1")
    assert robot["status"] == "204 No Content"
    counting.flush()
    creative = tokens.read(token, salt=tokens.VIEW, max_age=None).creative_id
    assert list(DailyStat.objects.values_list("creative_id", "impressions")) == [(creative, 1)]


def test_other_requests_pass_through():
    seen = []

    def inner(environ, start_response):
        seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
        start_response("204 No Content", [])
        return []

    wrapped = front.AdsFront(inner)
    for method, path in (("GET", "/"), ("POST", "/ads/serve/"), ("GET", "/ads/v/")):
        call(wrapped, path, method=method)
    assert seen == [("GET", "/"), ("POST", "/ads/serve/"), ("GET", "/ads/v/")]
