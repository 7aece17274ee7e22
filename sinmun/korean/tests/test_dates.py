"""Check KST dates, weekdays and news-style relative times against hand-written values."""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sinmun.korean.dates import (
    NAIVE_DATETIME,
    WEEKDAYS,
    date_strip,
    relative,
    timestamp,
    to_kst,
    weekday,
)

KST = ZoneInfo("Asia/Seoul")


def kst(*args: int) -> datetime:
    return datetime(*args, tzinfo=KST)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_weekdays_constant():
    assert WEEKDAYS == "월화수목금토일"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 12, 29), "월"),
        (date(2025, 12, 30), "화"),
        (date(2025, 12, 31), "수"),
        (date(2026, 1, 1), "목"),
        (date(2026, 1, 2), "금"),
        (date(2026, 1, 3), "토"),
        (date(2026, 1, 4), "일"),
    ],
)
def test_weekday_of_a_full_week(day, expected):
    assert weekday(day) == expected


def test_weekday_of_datetime_uses_kst_day():
    # 15:30 UTC on Wednesday is 00:30 KST on Thursday.
    assert weekday(utc(2025, 12, 31, 15, 30)) == "목"
    assert weekday(utc(2025, 12, 31, 14, 59)) == "수"


def test_to_kst_keeps_the_instant_and_switches_zone():
    converted = to_kst(utc(2025, 12, 31, 15, 30))
    assert converted == utc(2025, 12, 31, 15, 30)
    assert converted.tzinfo == KST
    assert (converted.year, converted.month, converted.day) == (2026, 1, 1)
    assert (converted.hour, converted.minute) == (0, 30)


def test_date_strip_with_date():
    assert date_strip(date(2025, 12, 31)) == "2025.12.31 (수)"
    assert date_strip(date(2026, 1, 5)) == "2026.01.05 (월)"


def test_date_strip_with_datetime_rolls_over_to_kst_day():
    assert date_strip(utc(2025, 12, 31, 15, 30)) == "2026.01.01 (목)"
    assert date_strip(utc(2025, 12, 31, 14, 59)) == "2025.12.31 (수)"
    assert date_strip(kst(2026, 1, 3, 23, 59)) == "2026.01.03 (토)"


def test_timestamp_is_kst_24_hour_zero_padded():
    assert timestamp(utc(2025, 6, 13, 1, 2, 3)) == "2025.06.13 10:02"
    assert timestamp(kst(2025, 6, 13, 14, 5)) == "2025.06.13 14:05"
    assert timestamp(utc(2025, 1, 2, 15, 4)) == "2025.01.03 00:04"


def test_timestamp_drops_seconds_without_rounding():
    assert timestamp(kst(2025, 6, 13, 10, 12, 59)) == "2025.06.13 10:12"


NOW = kst(2025, 6, 13, 10, 12)


@pytest.mark.parametrize(
    ("then", "expected"),
    [
        (NOW, "방금 전"),
        (NOW - timedelta(seconds=59), "방금 전"),
        (NOW - timedelta(seconds=60), "1분 전"),
        (NOW - timedelta(minutes=59), "59분 전"),
        (NOW - timedelta(minutes=59, seconds=59), "59분 전"),
        (NOW - timedelta(minutes=60), "1시간 전"),
        (NOW - timedelta(hours=2, minutes=59), "2시간 전"),
        (kst(2025, 6, 13, 0, 0), "10시간 전"),
        (kst(2025, 6, 12, 23, 59), "어제"),
        (kst(2025, 6, 12, 0, 0), "어제"),
        (kst(2025, 6, 11, 23, 59), "2일 전"),
        (kst(2025, 6, 7, 0, 0), "6일 전"),
        (kst(2025, 6, 6, 23, 59), "2025.06.06"),
        (kst(2024, 12, 25, 9, 0), "2024.12.25"),
    ],
)
def test_relative_branches(then, expected):
    assert relative(then, now=NOW) == expected


def test_relative_minutes_across_midnight():
    assert relative(kst(2025, 6, 12, 23, 50), now=kst(2025, 6, 13, 0, 10)) == "20분 전"


def test_relative_previous_day_within_hours_is_yesterday():
    assert relative(kst(2025, 6, 12, 23, 0), now=kst(2025, 6, 13, 1, 30)) == "어제"


def test_relative_same_kst_day_near_midnight_counts_hours():
    assert relative(kst(2025, 6, 13, 0, 0), now=kst(2025, 6, 13, 23, 59)) == "23시간 전"


def test_relative_uses_kst_calendar_days_not_utc_ones():
    # 14:00Z and 15:30Z share a UTC day, but are 23:00 and 00:30 (next day) in KST.
    assert relative(utc(2025, 6, 12, 14, 0), now=utc(2025, 6, 12, 15, 30)) == "어제"
    # 16:00Z on the 12th and 01:00Z on the 13th are 01:00 and 10:00 on the 13th in KST.
    assert relative(utc(2025, 6, 12, 16, 0), now=utc(2025, 6, 13, 1, 0)) == "9시간 전"


@pytest.mark.parametrize(
    ("then", "expected"),
    [
        (NOW + timedelta(seconds=30), "방금 전"),
        (NOW + timedelta(seconds=60), "방금 전"),
        (NOW + timedelta(seconds=61), "2025.06.13 10:13"),
        (NOW + timedelta(hours=2), "2025.06.13 12:12"),
        (NOW + timedelta(days=3), "2025.06.16 10:12"),
    ],
)
def test_relative_future_shows_timestamp_beyond_one_minute(then, expected):
    assert relative(then, now=NOW) == expected


def test_relative_defaults_to_current_time():
    five_minutes_ago = datetime.now(UTC) - timedelta(minutes=5, seconds=10)
    assert relative(five_minutes_ago) == "5분 전"


NAIVE = datetime(2025, 6, 13, 10, 12)  # noqa: DTZ001 - naive on purpose


@pytest.mark.parametrize(
    "call",
    [
        lambda: to_kst(NAIVE),
        lambda: weekday(NAIVE),
        lambda: date_strip(NAIVE),
        lambda: timestamp(NAIVE),
        lambda: relative(NAIVE, now=NOW),
        lambda: relative(NOW, now=NAIVE),
    ],
    ids=["to_kst", "weekday", "date_strip", "timestamp", "relative", "relative-now"],
)
def test_naive_datetime_is_refused(call):
    with pytest.raises(ValueError) as raised:
        call()
    assert str(raised.value) == NAIVE_DATETIME


def test_module_imports_without_django():
    # The dates helpers are used outside requests (feeds, CLI); importing them must
    # not pull Django in, let alone need settings.
    code = "import sys, sinmun.korean.dates; print('django' in sys.modules)"
    result = subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.stdout.strip() == "False"
