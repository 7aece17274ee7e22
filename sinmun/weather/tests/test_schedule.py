"""The refresh's schedule: HH:07 every hour."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from sinmun.weather import schedule

KST = ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 1, 15, 6, 0, 0, tzinfo=KST), datetime(2026, 1, 15, 6, 7, tzinfo=KST)),
        (datetime(2026, 1, 15, 6, 6, 59, tzinfo=KST), datetime(2026, 1, 15, 6, 7, tzinfo=KST)),
        (datetime(2026, 1, 15, 6, 7, 0, tzinfo=KST), datetime(2026, 1, 15, 7, 7, tzinfo=KST)),
        (datetime(2026, 1, 15, 6, 7, 0, 1, tzinfo=KST), datetime(2026, 1, 15, 7, 7, tzinfo=KST)),
        (datetime(2026, 1, 15, 6, 30, tzinfo=KST), datetime(2026, 1, 15, 7, 7, tzinfo=KST)),
        (datetime(2026, 1, 15, 23, 50, tzinfo=KST), datetime(2026, 1, 16, 0, 7, tzinfo=KST)),
        (datetime(2026, 12, 31, 23, 8, tzinfo=KST), datetime(2027, 1, 1, 0, 7, tzinfo=KST)),
    ],
)
def test_next_run_after(now, expected):
    assert schedule.next_run_after(now) == expected


def test_next_run_in_utc_is_seven_past_the_hour_in_seoul_too():
    run = schedule.next_run_after(datetime(2026, 1, 14, 22, 30, tzinfo=UTC))
    assert run == datetime(2026, 1, 14, 23, 7, tzinfo=UTC)
    assert run.astimezone(KST).minute == 7
