"""Every write of weather data: station grid cells, observations, the hourly refresh, file loads.

The refresh runs outside requests (``sinmun weather refresh``; the worker, hourly): API Hub
first for all active stations, then data.go.kr for the stations it did not cover with a fresh
temperature.
Without either key the recorded snapshot shipped with the project is stored as ``snapshot``
(docs/decisions/0004-weather-demo-snapshot.md). A failed or bad answer is logged and stores
nothing, so readers keep the last good values, which turn stale, then hidden, with time.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sinmun.newsroom import generation

from . import client, data_go_kr, grid, kma_sfctm2
from .models import HIDE_AFTER, STALE_AFTER, Observation, Station
from .readings import BadResponse, Reading

logger = logging.getLogger(__name__)

TICKER_CACHE_KEY = "weather:ticker"

API_HUB_URL = "https://apihub.kma.go.kr/api/typ01/url/kma_sfctm2.php"
DATA_GO_KR_URL = "https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0/getUltraSrtNcst"
SNAPSHOT_PATH = Path(__file__).resolve().parent / "fixtures" / "snapshot_kma_sfctm2.txt"
MAX_FILE_BYTES = 2 * 1024 * 1024

HTTP_STATUS = "응답 상태가 {status}입니다."
GRID_MISMATCH = "요청한 격자({asked})와 다른 격자({got})의 자료가 왔습니다."
FILE_TOO_LARGE = "파일이 너무 큽니다 (최대 2 MB)."

Source = Observation.Source


@dataclass
class RefreshResult:
    """What one refresh stored, per source, and the errors it logged."""

    stored: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LoadResult:
    readings: list[Reading]
    stored: int


def station_save(*, station: Station) -> Station:
    """Save ``station`` with the grid cell of its coordinates; the ticker shows the change."""
    station.nx, station.ny = grid.to_grid(station.lat, station.lon)
    station.save()
    ticker_cache_clear()
    return station


def ticker_cache_clear() -> None:
    """Start a new content generation once the change commits: every process re-reads the rows.

    The rows are cached under the generation (``newsroom.generation``), shared by every web
    process, the worker and the command line, so a refresh or a station edit made anywhere is
    on every page at the next request.
    """
    transaction.on_commit(generation.bump)


def observations_store(
    *, readings: Iterable[Reading], source: str, now: datetime | None = None
) -> int:
    """Store each reading as its station's last good value; return how many were stored.

    A reading without a temperature is not a good value and keeps the previous one. A real
    reading never replaces a newer real one; the snapshot never replaces a real value that is
    still shown (younger than ``HIDE_AFTER``), and any real value replaces the snapshot.
    """
    now = now or timezone.now()
    readings = [r for r in readings if r.temperature is not None]
    stations = {
        s.stn_id: s for s in Station.objects.filter(stn_id__in={r.stn_id for r in readings})
    }
    current = {o.station_id: o for o in Observation.objects.filter(station__in=stations.values())}
    stored = 0
    with transaction.atomic():
        for reading in readings:
            station = stations.get(reading.stn_id)
            if station is None:
                continue
            if not _replaces(current.get(station.pk), reading, source, now):
                continue
            Observation.objects.update_or_create(
                station=station,
                defaults={
                    "observed_at": reading.observed_at,
                    "temperature": reading.temperature,
                    "sky": reading.sky,
                    "precipitation": reading.precipitation,
                    "source": source,
                    "fetched_at": now,
                },
            )
            stored += 1
    if stored:
        ticker_cache_clear()
    return stored


def _replaces(old: Observation | None, reading: Reading, source: str, now: datetime) -> bool:
    if old is None:
        return True
    if source == Source.SNAPSHOT:
        return old.source == Source.SNAPSHOT or now - old.observed_at > HIDE_AFTER
    return old.source == Source.SNAPSHOT or reading.observed_at >= old.observed_at


def weather_refresh(*, now: datetime | None = None) -> RefreshResult:
    """Fetch current observations for the active stations and store the good ones."""
    now = now or timezone.now()
    result = RefreshResult()
    stations = list(Station.objects.filter(active=True))
    hub_key, portal_key = settings.KMA_API_HUB_KEY, settings.KMA_DATA_GO_KR_KEY
    if not stations:
        return result
    if not hub_key and not portal_key:
        readings = kma_sfctm2.parse(SNAPSHOT_PATH.read_bytes())
        result.stored[Source.SNAPSHOT] = observations_store(
            readings=readings, source=Source.SNAPSHOT, now=now
        )
        return result

    covered: set[int] = set()
    if hub_key:
        try:
            readings = _api_hub(key=hub_key, stations=stations)
        except (client.FetchError, BadResponse) as error:
            _failed(result, "기상청 API허브", error)
        else:
            covered = {r.stn_id for r in readings if _fresh(r, now)}
            result.stored[Source.API_HUB] = observations_store(
                readings=readings, source=Source.API_HUB, now=now
            )

    missing = [s for s in stations if s.stn_id not in covered]
    if missing and portal_key:
        readings = []
        for station in missing:
            try:
                readings.append(_data_go_kr(key=unquote(portal_key), station=station, now=now))
            except data_go_kr.DataGoKrError as error:
                _failed(result, f"공공데이터포털 {station.name}", error)
                if error.code == data_go_kr.QUOTA_CODE or error.code in data_go_kr.KEY_CODES:
                    break  # every other station would get the same answer
            except BadResponse as error:
                _failed(result, f"공공데이터포털 {station.name}", error)
            except client.FetchError as error:
                _failed(result, "공공데이터포털", error)
                break
        result.stored[Source.DATA_GO_KR] = observations_store(
            readings=readings, source=Source.DATA_GO_KR, now=now
        )
    return result


def weather_load_file(*, path: Path | str, now: datetime | None = None) -> LoadResult:
    """Store the observations of a saved ``kma_sfctm2.php`` answer (raises ``BadResponse``)."""
    with open(path, "rb") as handle:
        body = handle.read(MAX_FILE_BYTES + 1)
    if len(body) > MAX_FILE_BYTES:
        raise BadResponse(FILE_TOO_LARGE)
    readings = kma_sfctm2.parse(body)
    stored = observations_store(readings=readings, source=Source.API_HUB, now=now)
    return LoadResult(readings=readings, stored=stored)


def _api_hub(*, key: str, stations: list[Station]) -> list[Reading]:
    # Without tm the service answers with the latest hour it has published.
    response = client.fetch(
        API_HUB_URL,
        {"stn": ":".join(str(s.stn_id) for s in stations), "help": "0", "authKey": key},
    )
    readings = kma_sfctm2.parse(response.body)
    if response.status != 200:
        raise BadResponse(HTTP_STATUS.format(status=response.status))
    return readings


def _data_go_kr(*, key: str, station: Station, now: datetime) -> Reading:
    at = data_go_kr.base_time(now)
    try:
        nowcast = _nowcast(key=key, station=station, at=at)
    except data_go_kr.DataGoKrError as error:
        if error.code != data_go_kr.NO_DATA_CODE:
            raise
        nowcast = _nowcast(key=key, station=station, at=at - timedelta(hours=1))
    if (nowcast.nx, nowcast.ny) != (station.nx, station.ny):
        raise BadResponse(
            GRID_MISMATCH.format(
                asked=f"{station.nx},{station.ny}", got=f"{nowcast.nx},{nowcast.ny}"
            )
        )
    return Reading(
        stn_id=station.stn_id,
        observed_at=nowcast.observed_at,
        temperature=nowcast.temperature,
        precipitation=nowcast.precipitation,
    )


def _nowcast(*, key: str, station: Station, at: datetime) -> data_go_kr.Nowcast:
    params = data_go_kr.request_params(key=key, at=at, nx=station.nx, ny=station.ny)
    response = client.fetch(DATA_GO_KR_URL, params)
    nowcast = data_go_kr.parse(response.body)
    if response.status != 200:
        raise BadResponse(HTTP_STATUS.format(status=response.status))
    return nowcast


def _fresh(reading: Reading, now: datetime) -> bool:
    return reading.temperature is not None and now - reading.observed_at <= STALE_AFTER


def _failed(result: RefreshResult, where: str, error: Exception) -> None:
    detail = getattr(error, "detail", "")
    logger.error("날씨 갱신 실패 — %s: %s%s", where, error, f" ({detail})" if detail else "")
    result.errors.append(f"{where}: {error}")
