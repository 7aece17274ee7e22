"""Reads of stored weather observations for the page header.

A page never waits for KMA: ``ticker_items`` reads the stored last good values (one query on a
cold cache, none on a warm one). The cache holds the rows, not the verdicts; whether a value is
stale (older than 3 hours) or hidden (older than 12) is decided on every call, so a value ages
correctly even when no refresh clears the cache. The rows are kept under the content generation,
which a refresh in the worker bumps, so every web process reads the new rows at its next page.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from sinmun.newsroom import generation

from . import sky
from .models import HIDE_AFTER, STALE_AFTER, Observation, Station
from .readings import Reading
from .services import TICKER_CACHE_KEY

KST = ZoneInfo("Asia/Seoul")
CACHE_SECONDS = 300
CREDIT = "기상청 제공"
SEPARATOR = " · "

# Tests replace this to freeze the time a page is rendered at (pages cannot pass ``now``).
clock = timezone.now


@dataclass(frozen=True)
class TickerItem:
    text: str  # exactly ``{word}{station} {temperature}℃``
    stale: bool
    as_of_day: str  # "어제" when a stale value is from the day before, else ""
    as_of_hour: str  # "07시" when stale (the KST hour observed), else ""
    sample: bool  # from the recorded snapshot, not a current observation

    @property
    def as_of(self) -> str:
        """Return the stale note, e.g. ``07시 기준`` or ``어제 22시 기준`` ("" when fresh)."""
        if not self.stale:
            return ""
        return " ".join(part for part in (self.as_of_day, self.as_of_hour, "기준") if part)


@dataclass(frozen=True)
class Ticker:
    """The header ticker: its items in station order; falsy when there is nothing to show."""

    items: tuple[TickerItem, ...]
    credit: str = CREDIT

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[TickerItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def sample(self) -> bool:
        """Return whether the items are the recorded snapshot (the ticker labels them 예시)."""
        return any(item.sample for item in self.items)

    @property
    def first(self) -> TickerItem | None:
        return self.items[0] if self.items else None

    @property
    def line(self) -> str:
        """Return the ticker as one line: ``맑음동두천 -8.2℃ · … · 기상청 제공``."""
        return SEPARATOR.join([*(item.text for item in self.items), self.credit])


@dataclass(frozen=True)
class _Row:
    name: str
    sky: str
    precipitation: str
    temperature: float | None
    observed_at: datetime
    source: str


def _rows() -> list[_Row]:
    return generation.cached(
        TICKER_CACHE_KEY,
        lambda: [
            _Row(o.station.name, o.sky, o.precipitation, o.temperature, o.observed_at, o.source)
            for o in Observation.objects.filter(station__active=True)
            .select_related("station")
            .order_by("station__order", "station__stn_id")
        ],
        CACHE_SECONDS,
    )


def ticker_items(*, now: datetime | None = None) -> Ticker:
    """Return the ticker for a page rendered at ``now``: fresh and stale items, none hidden.

    The snapshot is shown only while no real observation is, always labelled as a sample and
    never aged (its hour is the recording's, not today's).
    """
    now = now or clock()
    shown = [r for r in _rows() if r.temperature is not None]
    real = [r for r in shown if r.source != Observation.Source.SNAPSHOT]
    items = []
    if any(now - r.observed_at <= HIDE_AFTER for r in real):
        for row in real:
            age = now - row.observed_at
            if age > HIDE_AFTER:
                continue
            stale = age > STALE_AFTER
            day, hour = _as_of(row.observed_at, now) if stale else ("", "")
            items.append(TickerItem(_text(row), stale, day, hour, sample=False))
    else:
        items = [
            TickerItem(_text(r), False, "", "", sample=True)
            for r in shown
            if r.source == Observation.Source.SNAPSHOT
        ]
    return Ticker(items=tuple(items))


def readings_line(readings: Iterable[Reading]) -> str:
    """Return the ticker line that ``readings`` make, in station order (active stations)."""
    by_station = {r.stn_id: r for r in readings if r.temperature is not None}
    texts = [
        sky.item_text(
            name=station.name,
            sky=by_station[station.stn_id].sky,
            precipitation=by_station[station.stn_id].precipitation,
            temperature=by_station[station.stn_id].temperature,
        )
        for station in Station.objects.filter(active=True, stn_id__in=by_station)
    ]
    return SEPARATOR.join([*texts, CREDIT])


def _text(row: _Row) -> str:
    return sky.item_text(
        name=row.name, sky=row.sky, precipitation=row.precipitation, temperature=row.temperature
    )


def _as_of(observed_at: datetime, now: datetime) -> tuple[str, str]:
    local = observed_at.astimezone(KST)
    day = "" if local.date() == now.astimezone(KST).date() else "어제"
    return day, f"{local.hour:02d}시"
