"""Timeouts, retries and backoff of the HTTP client, with urlopen replaced (no network)."""

import io
from urllib.error import HTTPError, URLError

import pytest

from sinmun.weather import client

URL = "https://apihub.kma.go.kr/api/typ01/url/kma_sfctm2.php"


class Answer:
    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body

    def read(self, limit: int) -> bytes:
        return self.body[:limit]

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


def http_error(code: int, body: bytes = b"") -> HTTPError:
    return HTTPError(URL, code, "error", {}, io.BytesIO(body))


@pytest.fixture
def network(monkeypatch):
    """Script ``urlopen``: each call takes the next outcome (an answer or an exception)."""
    outcomes: list = []
    calls: list = []

    def urlopen(request, timeout):
        calls.append((request.full_url, timeout))
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(client, "urlopen", urlopen)
    return outcomes, calls


def test_answer_on_first_try(network):
    outcomes, calls = network
    outcomes.append(Answer(200, b"#START7777"))
    waits = []
    response = client.fetch(URL, {"stn": "108", "authKey": "k"}, sleep=waits.append)
    assert response == client.Response(200, b"#START7777")
    assert calls == [(f"{URL}?stn=108&authKey=k", client.TIMEOUT_SECONDS)]
    assert waits == []


def test_network_errors_and_5xx_are_retried_with_exponential_backoff(network):
    outcomes, calls = network
    outcomes += [URLError("timed out"), http_error(503), Answer(200, b"ok")]
    waits = []
    response = client.fetch(URL, {}, sleep=waits.append)
    assert response.body == b"ok"
    assert len(calls) == 3
    assert waits == [2.0, 4.0]


def test_after_the_last_attempt_fetch_error(network):
    outcomes, _ = network
    outcomes += [TimeoutError("timed out")] * client.ATTEMPTS
    waits = []
    with pytest.raises(client.FetchError) as caught:
        client.fetch(URL, {}, sleep=waits.append)
    assert str(caught.value) == client.UNREACHABLE.format(
        attempts=client.ATTEMPTS, reason="timed out"
    )
    assert waits == [2.0, 4.0]


def test_4xx_answers_come_back_without_retry(network):
    outcomes, calls = network
    outcomes.append(http_error(401, b'{"result":{"status":401}}'))
    response = client.fetch(URL, {}, sleep=lambda s: None)
    assert response == client.Response(401, b'{"result":{"status":401}}')
    assert len(calls) == 1


def test_only_https(network):
    with pytest.raises(ValueError):
        client.fetch("http://apihub.kma.go.kr/x", {})
