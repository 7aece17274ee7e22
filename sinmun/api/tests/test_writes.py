"""The write endpoints: scopes, 송고 unless ``publish``, the client as the actor in the audit
trail, a client changing only what it sent, and bad bodies refused with nothing written."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sinmun.api import services, writes
from sinmun.api.auth import SCOPE_MISSING, TOKEN_INVALID, TOKEN_REQUIRED
from sinmun.newsroom import actors
from sinmun.newsroom import services as newsroom_services
from sinmun.newsroom.models import Article, ArticleRevision

ITEMS = "/api/v1/items"
URI = "urn:newsml:wire.example:20261206:0001"


def item(**overrides):
    """Return a clean ninjs item naming only what the newsroom fixture has."""
    value = {
        "uri": URI,
        "type": "text",
        "language": "ko",
        "pubstatus": "usable",
        "headlines": [{"role": "main", "value": "통신 기사 제목"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>통신 기사 본문.</p>"}],
        "by": "김민준",
        "subjects": [
            {"name": "빅테크", "rel": "section", "uri": "sinmun:section:bigtech"},
            {"name": "반도체", "rel": "keyword"},
        ],
        "firstcreated": timezone.localtime().replace(microsecond=0).isoformat(),
    }
    value.update(overrides)
    return value


def counts():
    return (Article.objects.count(), ArticleRevision.objects.count())


@pytest.fixture
def wire(make_caller, newsroom):
    return make_caller("wire", "write")


@pytest.fixture
def trusted(make_caller, newsroom):
    return make_caller("partner", "write", "publish")


def test_a_write_client_sends_an_item_to_the_desk(wire):
    response = wire.post(ITEMS, item())
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    article = Article.objects.get(uri=URI)
    assert data["id"] == article.public_id
    assert (data["status"], data["created"], data["url"]) == ("submitted", True, None)
    assert article.status == Article.Status.SUBMITTED
    assert article.first_published_at is None
    assert set(article.revisions.values_list("actor", flat=True)) == {"api:wire"}
    assert response["Cache-Control"] == "no-store"


def test_a_write_client_never_releases_whatever_the_item_says(wire, client):
    wire.post(ITEMS, item(pubstatus="usable"))
    article = Article.objects.get(uri=URI)
    assert article.status == Article.Status.SUBMITTED
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_publish_client_imports_the_item_as_it_says(trusted, client):
    response = trusted.post(ITEMS, item())
    assert response.status_code == 201, response.content
    article = Article.objects.get(uri=URI)
    assert article.status == Article.Status.PUBLISHED
    assert response.json()["data"]["url"].endswith(article.get_absolute_url())
    assert client.get(article.get_absolute_url()).status_code == 200
    [revision] = article.revisions.all()
    assert (revision.action, revision.actor, revision.by) == ("import", "api:partner", None)


def test_an_embargoed_item_from_a_publish_client_waits_for_its_time(trusted, client):
    until = timezone.localtime().replace(microsecond=0) + timedelta(hours=2)
    response = trusted.post(ITEMS, item(embargoed=until.isoformat()))
    data = response.json()["data"]
    assert (data["status"], data["embargoed"]) == ("published", True)
    assert data["first_published_at"] == until.isoformat()
    article = Article.objects.get(uri=URI)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/articles/{article.public_id}").status_code == 404


def test_an_embargoed_item_from_a_write_client_keeps_its_release_time(wire):
    until = timezone.localtime().replace(microsecond=0) + timedelta(hours=2)
    data = wire.post(ITEMS, item(embargoed=until.isoformat())).json()["data"]
    assert (data["status"], data["embargoed"], data["release_at"]) == (
        "submitted",
        True,
        until.isoformat(),
    )


def test_a_client_updates_its_item_by_uri_or_id(wire):
    created = wire.post(ITEMS, item()).json()["data"]
    response = wire.put(f"{ITEMS}/{URI}", item(headlines=[{"value": "고친 제목"}]))
    assert response.status_code == 200, response.content
    assert response.json()["data"]["created"] is False
    response = wire.put(f"{ITEMS}/{created['id']}", {k: v for k, v in item().items() if k != "uri"})
    assert response.status_code == 200, response.content
    article = Article.objects.get(uri=URI)
    assert article.headline == "통신 기사 제목"
    assert article.status == Article.Status.SUBMITTED
    assert Article.objects.count() == 1


def test_a_client_cannot_touch_what_it_did_not_send(wire, make_caller, newsroom):
    """Not another client's item, not a reporter's article: 404, as if it did not exist."""
    other = make_caller("other", "write", "publish")
    other.post(ITEMS, item())
    reporters = newsroom.article(publish=False, headline="기자의 초고")
    before = counts()
    for key in (URI, reporters.uri, reporters.public_id, "urn:nothing"):
        response = wire.put(f"{ITEMS}/{key}", item(uri=key))
        assert response.status_code == 404, key
        assert response.json()["error"]["message"] == writes.ITEM_NOT_FOUND
    # An address no route takes (an encoded newline) is a 404 in the API's shape too.
    assert wire.put(f"{ITEMS}/a%0Ab", item()).json()["error"]["code"] == "not_found"
    wrong_method = wire.post(f"{ITEMS}/x/y", item())
    assert (wrong_method.status_code, wrong_method["Allow"]) == (405, "PUT")
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    assert counts() == before


def test_an_update_to_a_released_item_needs_publish(wire, newsroom):
    wire.post(ITEMS, item())
    article = Article.objects.get(uri=URI)
    newsroom_services.article_publish(article=article, by=actors.DEMO)
    before = counts()
    response = wire.put(f"{ITEMS}/{URI}", item(headlines=[{"value": "몰래 고친 제목"}]))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == writes.LIVE_NEEDS_PUBLISH
    assert counts() == before
    assert Article.objects.get(uri=URI).headline == "통신 기사 제목"


def test_a_publish_client_may_update_its_released_item(trusted):
    trusted.post(ITEMS, item())
    response = trusted.put(f"{ITEMS}/{URI}", item(headlines=[{"value": "고친 제목"}]))
    assert response.status_code == 200
    assert Article.objects.get(uri=URI).headline == "고친 제목"


def test_posting_a_uri_that_exists_is_409(wire):
    wire.post(ITEMS, item())
    before = counts()
    response = wire.post(ITEMS, item(headlines=[{"value": "덮어쓰기"}]))
    assert response.status_code == 409
    assert response.json()["error"]["message"] == writes.ITEM_EXISTS
    assert counts() == before


def test_a_body_uri_other_than_the_address_is_refused(wire):
    wire.post(ITEMS, item())
    response = wire.put(f"{ITEMS}/{URI}", item(uri="urn:else"))
    assert response.status_code == 422
    assert response.json()["error"]["message"] == writes.URI_MISMATCH


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "not_json"),
        (b"\xff\xfe{}", 400, "not_utf8"),
        (b"[" * 100_000 + b"]" * 100_000, 400, "not_json"),
        (b"[]", 422, "not_object"),
        (b'"text"', 422, "not_object"),
        (json.dumps(item(headlines=[])).encode(), 422, "invalid_item"),
        (json.dumps(item(pubstatus=["usable"])).encode(), 422, "invalid_item"),
        (json.dumps(item(embargoed="내일")).encode(), 422, "invalid_item"),
        (json.dumps(item(uri="a\u0000b")).encode(), 422, "invalid_item"),
        (json.dumps(item(subjects=[{"name": "없는 섹션", "rel": "section"}])).encode(), 422,
         "invalid_item"),
        (json.dumps(item(by="모르는 기자")).encode(), 422, "invalid_item"),
    ],
)  # fmt: skip
def test_a_bad_body_is_refused_and_nothing_is_written(wire, body, status, code):
    before = counts()
    response = wire.post(ITEMS, body)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert response["Cache-Control"] == "no-store"
    assert counts() == before


def test_item_errors_name_the_field_in_korean(wire):
    response = wire.post(ITEMS, item(embargoed="내일"))
    assert response.json()["error"]["details"] == [
        f"항목 1 ({URI}): embargoed: 엠바고(embargoed)는 시간대가 있는 ISO 8601 시각이어야 합니다"
    ]


def test_a_huge_body_is_413(wire):
    huge = item(bodies=[{"contenttype": "text/html", "value": "<p>" + "가" * 1_100_000 + "</p>"}])
    before = counts()
    response = wire.post(ITEMS, huge)
    assert response.status_code == 413
    assert response.json()["error"]["message"] == writes.TOO_LARGE
    assert counts() == before


def test_writing_needs_a_token(anonymous, newsroom):
    response = anonymous.post(ITEMS, item())
    assert response.status_code == 401
    assert response.json()["error"]["message"] == TOKEN_REQUIRED
    assert not Article.objects.exists()


def test_a_read_token_may_not_write(make_caller, newsroom):
    response = make_caller("reader", "read").post(ITEMS, item())
    assert response.status_code == 403
    assert response.json()["error"]["message"] == SCOPE_MISSING.format(scope="write")
    assert not Article.objects.exists()


def test_a_revoked_token_writes_nothing(wire):
    services.api_client_revoke(by=actors.DEMO, client=wire.api_client)
    response = wire.post(ITEMS, item())
    assert response.status_code == 401
    assert response.json()["error"]["message"] == TOKEN_INVALID
    assert not Article.objects.exists()


@pytest.mark.parametrize("header", ["Token {}", "Bearer", "Bearer sinmun_short", "Basic eDp5"])
def test_a_malformed_authorization_header_is_401(wire, header):
    response = wire.post(ITEMS, item(), HTTP_AUTHORIZATION=header.format(wire.token))
    assert response.status_code == 401
    assert not Article.objects.exists()


def test_no_csrf_token_is_asked_for_anywhere_under_the_api(wire):
    """Clients authenticate with a token, never a cookie: Django's CSRF check must not answer
    (with its HTML page) for an endpoint or for an unknown address."""
    wire.client = Client(enforce_csrf_checks=True)
    assert wire.post(ITEMS, item()).status_code == 201
    assert wire.put(f"{ITEMS}/a%0Ab", item()).json()["error"]["code"] == "not_found"
    assert wire.post(f"{ITEMS}/x/y", item()).json()["error"]["code"] == "method_not_allowed"
    assert wire.post("/api/v1/nothing", item()).json()["error"]["code"] == "not_found"
