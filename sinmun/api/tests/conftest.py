"""API test fixtures: clients made through the services, and a caller that sends their tokens."""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from sinmun.api import services
from sinmun.newsroom import actors


@dataclass
class Caller:
    """Send requests to the API as one client (or anonymously) and decode the JSON."""

    client: object
    token: str | None = None

    def _headers(self, headers: dict) -> dict:
        if self.token:
            headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return headers

    def get(self, path: str, data=None, **headers):
        return self.client.get(path, data, **self._headers(headers))

    def post(self, path: str, body, **headers):
        raw = body if isinstance(body, bytes | str) else json.dumps(body, ensure_ascii=False)
        return self.client.post(
            path, raw, content_type="application/json", **self._headers(headers)
        )

    def put(self, path: str, body, **headers):
        raw = body if isinstance(body, bytes | str) else json.dumps(body, ensure_ascii=False)
        return self.client.put(path, raw, content_type="application/json", **self._headers(headers))


@pytest.fixture
def anonymous(client) -> Caller:
    return Caller(client)


@pytest.fixture
def make_caller(client, db) -> Callable[..., Caller]:
    """Return ``make_caller(name, *scopes, rate=60)``: a new API client's caller."""

    def make(name: str, *scopes: str, rate: int = 60) -> Caller:
        made, token = services.api_client_create(
            by=actors.DEMO, name=name, scopes=list(scopes) or ["read"], rate_per_minute=rate
        )
        caller = Caller(client, token)
        caller.api_client = made
        return caller

    return make
