"""Rate limits: per client token and per address without one, a fixed minute, 429 with
Retry-After, counted in the shared cache."""

import pytest

from sinmun.api import ratelimit

ARTICLES = "/api/v1/articles"


@pytest.fixture
def clock(monkeypatch):
    """Freeze the limiter's clock at 10 s into a minute; ``clock.now`` moves it."""

    class Clock:
        now = 1_800_000_010.0

    monkeypatch.setattr(ratelimit.time, "time", lambda: Clock.now)
    return Clock


def test_a_client_over_its_rate_gets_429_until_the_minute_ends(make_caller, newsroom, clock):
    caller = make_caller("partner", "read", rate=3)
    assert [caller.get(ARTICLES).status_code for _ in range(3)] == [200, 200, 200]
    refused = caller.get(ARTICLES)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert refused["Cache-Control"] == "no-store"
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "50초" in refused.json()["error"]["message"]
    clock.now += 50
    assert caller.get(ARTICLES).status_code == 200


def test_each_client_has_its_own_count(make_caller, newsroom, clock):
    first, second = make_caller("first", "read", rate=1), make_caller("second", "read", rate=1)
    assert first.get(ARTICLES).status_code == 200
    assert first.get(ARTICLES).status_code == 429
    assert second.get(ARTICLES).status_code == 200


def test_writes_count_against_the_same_rate(make_caller, newsroom, clock):
    caller = make_caller("wire", "write", rate=1)
    assert caller.post("/api/v1/items", {"uri": "x"}).status_code == 422
    response = caller.post("/api/v1/items", {"uri": "x"})
    assert response.status_code == 429
    assert response["Retry-After"] == "50"


def test_readers_without_a_token_are_counted_by_address(anonymous, newsroom, clock, settings):
    settings.API_ANONYMOUS_RATE = 2
    assert [anonymous.get(ARTICLES).status_code for _ in range(3)] == [200, 200, 429]
    elsewhere = anonymous.get(ARTICLES, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 200


def test_behind_a_proxy_the_configured_header_names_the_reader(
    anonymous, newsroom, clock, settings
):
    settings.API_ANONYMOUS_RATE = 1
    settings.API_CLIENT_IP_HEADER = "X-Real-IP"
    assert anonymous.get(ARTICLES, HTTP_X_REAL_IP="198.51.100.1").status_code == 200
    assert anonymous.get(ARTICLES, HTTP_X_REAL_IP="198.51.100.1").status_code == 429
    assert anonymous.get(ARTICLES, HTTP_X_REAL_IP="198.51.100.2").status_code == 200


def test_a_token_is_not_limited_as_its_address(make_caller, anonymous, newsroom, clock, settings):
    settings.API_ANONYMOUS_RATE = 1
    assert anonymous.get(ARTICLES).status_code == 200
    assert anonymous.get(ARTICLES).status_code == 429
    assert make_caller("partner", "read").get(ARTICLES).status_code == 200


def test_the_docs_and_schema_are_not_limited(anonymous, db, clock, settings):
    settings.API_ANONYMOUS_RATE = 1
    for _ in range(3):
        assert anonymous.get("/api/openapi.json").status_code == 200


def test_the_window_is_fixed_to_the_clock_minute(db, clock):
    clock.now = 1_800_000_059.5
    assert ratelimit.over_limit("k", 1) is None
    assert ratelimit.over_limit("k", 1) == 1
    clock.now = 1_800_000_060.0
    assert ratelimit.over_limit("k", 1) is None
