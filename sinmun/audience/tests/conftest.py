"""The audience tests' store: a fresh embedded file, or a Redis prefix of the test's own."""

import os
import uuid

import pytest

from sinmun.audience import pageviews
from sinmun.audience import store as stores

REDIS_MISSING = "SINMUN_TEST_REDIS_URL is not set: `make test` sets it when 127.0.0.1:6379 answers"


def redis_url() -> str:
    url = os.environ.get("SINMUN_TEST_REDIS_URL", "")
    if not url:
        pytest.fail(REDIS_MISSING)
    return url


@pytest.fixture(params=["embedded", "redis"])
def store(request, tmp_path, monkeypatch):
    """Return the store the code under test uses (``stores.current``), empty, of either kind."""
    if request.param == "redis":
        made = stores.RedisStore(redis_url(), prefix=f"sinmun:audience-test:{uuid.uuid4().hex}:")
    else:
        made = stores.EmbeddedStore(tmp_path / "audience.sqlite3")
    monkeypatch.setattr(stores, "current", lambda: made)
    yield made
    if request.param == "redis":
        made.clear()


@pytest.fixture
def embedded(tmp_path, monkeypatch):
    made = stores.EmbeddedStore(tmp_path / "audience.sqlite3")
    monkeypatch.setattr(stores, "current", lambda: made)
    return made


def seen(public_id, address, agent, referrer, host, now):
    """Return a view as ``PageViewFront`` keeps it from a request with these values."""
    environ = {
        "REMOTE_ADDR": address,
        "HTTP_USER_AGENT": agent,
        "HTTP_REFERER": referrer,
        "HTTP_HOST": host,
    }
    return pageviews.raw_view(public_id, environ, now)


def counted(store) -> int:
    """Return the open counts once the worker has drained the spool (a beacon's view waits there
    until then, ``EmbeddedStore.record``; with Redis it is counted at once)."""
    store.drain()
    return store.open_views()
