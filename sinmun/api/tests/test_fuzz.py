"""Fuzz every operation of the OpenAPI schema with schemathesis, in process, on the WSGI app.

Each operation gets generated valid and invalid requests — anonymous, with a read token and
with a write token — and every response must be documented (status, content type, schema)
and never a server error. Bounded so that the whole run takes seconds, not minutes.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS

from sinmun.api import services
from sinmun.newsroom import actors

# Enough to find what fuzzing usually finds in seconds; SINMUN_FUZZ_EXAMPLES=300 digs deeper.
MAX_EXAMPLES = int(os.environ.get("SINMUN_FUZZ_EXAMPLES", "25"))

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

# A slug that names nothing, or an item naming a section the newsroom lacks, is valid by the
# schema and still refused (422): no schema can list the sections a newsroom has.
EXCLUDED = [c for c in CHECKS.get_all() if c.__name__ == "positive_data_acceptance"]


@pytest.fixture
def tokens(newsroom):
    """Return (read token, write token) and a published article to find."""
    newsroom.article(headline="퍼징 대상 기사", keywords=["반도체"])
    _, read = services.api_client_create(
        by=actors.DEMO, name="fuzz-read", scopes=["read"], rate_per_minute=10_000
    )
    _, write = services.api_client_create(
        by=actors.DEMO, name="fuzz-write", scopes=["write"], rate_per_minute=10_000
    )
    return read, write


@pytest.fixture(autouse=True)
def _no_anonymous_limit(settings):
    settings.API_ANONYMOUS_RATE = 1_000_000


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Keep the test's transaction open across requests, as Django's test client does.

    The WSGI handler closes the database connection after each request; the test's data and
    its rollback live in that connection.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_fails_or_answers_off_schema(case, tokens):
    read, write = tokens
    for token in (None, read, write):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
