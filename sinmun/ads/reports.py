"""Reads for the desk: per campaign and per day counts, CTR, the CSV of the same rows."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum
from django.utils import timezone

from .models import Campaign, DailyStat

CSV_HEADER = ["날짜", "캠페인", "광고주", "노출", "클릭", "클릭률(%)"]


@dataclass(frozen=True)
class Row:
    day: date
    campaign: str
    advertiser: str
    impressions: int
    clicks: int

    @property
    def ctr(self) -> str:
        """Return clicks per viewable impression in percent, two decimals ("—" without views)."""
        if not self.impressions:
            return "—"
        return f"{self.clicks * 100 / self.impressions:.2f}"


def daily_rows(*, start: date, end: date, campaign: Campaign | None = None) -> list[Row]:
    stats = DailyStat.objects.filter(day__gte=start, day__lte=end)
    if campaign is not None:
        stats = stats.filter(campaign=campaign)
    grouped = (
        stats.values("day", "campaign__name", "campaign__advertiser__name", "campaign__is_house")
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
        .order_by("-day", "campaign__name")
    )
    return [
        Row(
            day=g["day"],
            campaign=g["campaign__name"],
            advertiser=g["campaign__advertiser__name"]
            or ("자사 광고" if g["campaign__is_house"] else ""),
            impressions=g["impressions"] or 0,
            clicks=g["clicks"] or 0,
        )
        for g in grouped
    ]


def totals(*, campaign_ids) -> dict[int, dict[str, int]]:
    """Return today's and all-time views and clicks per campaign."""
    today = timezone.localdate()
    out = {cid: {"today_v": 0, "today_c": 0, "all_v": 0, "all_c": 0} for cid in campaign_ids}
    for row in (
        DailyStat.objects.filter(campaign_id__in=campaign_ids)
        .values("campaign_id", "day")
        .annotate(v=Sum("impressions"), c=Sum("clicks"))
    ):
        entry = out[row["campaign_id"]]
        entry["all_v"] += row["v"] or 0
        entry["all_c"] += row["c"] or 0
        if row["day"] == today:
            entry["today_v"] += row["v"] or 0
            entry["today_c"] += row["c"] or 0
    return out


def _cell(value):
    # A name starting with = + - @ would run as a formula in Excel (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_lines(rows: list[Row]) -> Iterator[str]:
    """Yield the CSV (UTF-8 with a BOM so that Excel reads the Korean)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for line in [CSV_HEADER] + [
        [r.day.isoformat(), _cell(r.campaign), _cell(r.advertiser), r.impressions, r.clicks, r.ctr]
        for r in rows
    ]:
        writer.writerow(line)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
