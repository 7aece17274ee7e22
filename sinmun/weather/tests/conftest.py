"""Recorded KMA answers and a stand-in for the HTTP client: the weather tests never use the network.

``responses/`` holds answers in the real formats (header lines, column layout, EUC-KR help text,
error envelopes); the numbers are a plausible winter hour, 2026-01-15 07:00 KST.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sinmun.weather import client, selectors

RESPONSES = Path(__file__).resolve().parent / "responses"
SNAPSHOT = Path(__file__).resolve().parents[1] / "fixtures" / "snapshot_kma_sfctm2.txt"

# The recorded hour: 2026-01-15 07:00 KST.
OBSERVED = datetime(2026, 1, 14, 22, 0, tzinfo=UTC)

# The ticker the 16-station answer makes, written out by hand from the file's TA, CA_TOT and WC.
SNAPSHOT_ITEMS = [
    "맑음동두천 -8.2℃",
    "맑음강릉 -1.4℃",
    "맑음서울 -7.1℃",
    "구름조금대전 -5.3℃",
    "구름조금대구 -2.8℃",
    "구름많음울산 0.3℃",
    "구름많음광주 0.0℃",
    "구름조금부산 2.1℃",
    "눈고창 -1.9℃",
    "흐림제주 7.3℃",
    "맑음강화 -9.0℃",
    "맑음보은 -10.6℃",
    "맑음금산 -7.7℃",
    "비/눈강진군 1.2℃",
    "구름많음경주시 -3.5℃",
    "소나기거제 3.4℃",
]


def recorded(name: str) -> bytes:
    """Return the bytes of a recorded answer in ``responses/``."""
    return (RESPONSES / name).read_bytes()


@dataclass
class FakeKma:
    """Answers ``client.fetch`` from recorded bodies, by host; records every request."""

    api_hub: list[client.Response | Exception] = field(default_factory=list)
    data_go_kr: Callable[[dict[str, str]], client.Response | Exception] | None = None
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def fetch(self, url: str, params: dict[str, str], **kwargs) -> client.Response:
        self.requests.append((urlsplit(url).netloc, dict(params)))
        if urlsplit(url).netloc == "apihub.kma.go.kr":
            answer = self.api_hub.pop(0)
        else:
            assert self.data_go_kr is not None, "unexpected data.go.kr request"
            answer = self.data_go_kr(params)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def hosts(self) -> list[str]:
        return [host for host, _ in self.requests]


@pytest.fixture
def kma(monkeypatch) -> FakeKma:
    """Replace the HTTP client with recorded answers (set ``kma.api_hub`` / ``kma.data_go_kr``)."""
    fake = FakeKma()
    monkeypatch.setattr(client, "fetch", fake.fetch)
    return fake


@pytest.fixture
def keys(settings):
    """Configure both KMA keys (the values never leave the test: the client is replaced)."""
    settings.KMA_API_HUB_KEY = "hub-test-key"
    settings.KMA_DATA_GO_KR_KEY = "portal%2Btest%3D%3D"
    return settings


@pytest.fixture
def page_clock(monkeypatch) -> Callable[[datetime], None]:
    """Return ``set_time(moment)``: pages render the ticker as if it were ``moment``."""

    def set_time(moment: datetime) -> None:
        monkeypatch.setattr(selectors, "clock", lambda: moment)

    return set_time


def _seeded_stations_module():
    return importlib.import_module("sinmun.weather.migrations.0002_seed_ticker_stations")


@pytest.fixture(autouse=True)
def _ticker_stations(request):
    """Put the seeded stations back when a transactional test (here or elsewhere) flushed them.

    Migrations seed the 16 stations once per test database; a ``transactional_db`` test (the
    browser tests) ends with a flush that empties every table, migration data included.
    """
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction", False))
    )
    if not (transactional or marker is not None or "db" in names):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from sinmun.weather.models import Station

    if not Station.objects.exists():
        from django.apps import apps

        _seeded_stations_module().seed(apps, None)
