"""The watch loop's schedule: HH:07 every hour, and never stopping on a failed refresh."""

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


def test_watch_runs_now_then_sleeps_until_each_next_run():
    times = iter(
        [datetime(2026, 1, 15, 6, 30, tzinfo=KST), datetime(2026, 1, 15, 7, 7, 2, tzinfo=KST)]
    )
    calls, waits = [], []
    schedule.watch(lambda: calls.append("refresh"), clock=lambda: next(times),
                   sleep=waits.append, runs=3)  # fmt: skip
    assert calls == ["refresh"] * 3
    assert waits == [37 * 60, 60 * 60 - 2]


def test_watch_goes_on_after_a_failed_refresh(caplog):
    outcomes = [RuntimeError("KMA down"), None]
    done = []

    def refresh():
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome
        done.append("ok")

    schedule.watch(refresh, clock=lambda: datetime(2026, 1, 15, 6, 7, tzinfo=KST),
                   sleep=lambda s: None, runs=2)  # fmt: skip
    assert done == ["ok"]
    assert "KMA down" in caplog.text
