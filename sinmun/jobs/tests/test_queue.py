"""The queue's clock and its job declarations (the worker process itself: tests/test_system.py)."""

from datetime import UTC, datetime, timedelta

from django.utils.module_loading import autodiscover_modules

from sinmun.jobs import queue


def _ticks(hours: int, offset_seconds: int) -> list[datetime]:
    start = datetime(2026, 3, 1, 0, 0, tzinfo=UTC) + timedelta(seconds=offset_seconds)
    return [start + timedelta(seconds=queue.TICK_SECONDS * n) for n in range(hours * 3600 // 15)]


def test_every_tick_is_at_most_fifteen_seconds_apart():
    # The sweep for due embargoes and schedules must run every 15 s or less.
    assert queue.TICK_SECONDS <= 15
    assert all(queue.every_tick(t) for t in _ticks(1, 3))


def test_hourly_is_due_once_an_hour_whatever_second_the_worker_started():
    due = queue.hourly(minute=7)
    for offset in (0, 1, 7, 14):
        runs = [t for t in _ticks(48, offset) if due(t)]
        assert len(runs) == 48
        assert all(t.minute == 7 for t in runs)


def test_daily_is_due_once_a_day():
    due = queue.daily(hour=19, minute=47)
    runs = [t for t in _ticks(72, 5) if due(t)]
    assert [(t.day, t.hour, t.minute) for t in runs] == [(d, 19, 47) for d in (1, 2, 3)]


def test_every_app_declares_its_periodic_jobs_and_the_sweeps_run_when_a_worker_starts():
    autodiscover_modules("tasks")
    names = {task.name for task in queue.huey._registry.periodic_tasks}
    assert {
        "announce_due_embargoes", "catch_up", "recent_tier", "suggestion_vocabulary", "refresh"
    } <= names  # fmt: skip
    at_start = {task.task_class.__name__ for task in queue.start_jobs()}
    assert {"announce_due_embargoes", "catch_up", "refresh"} <= at_start
    assert "suggestion_vocabulary" not in at_start


def test_a_failing_job_is_retried_with_growing_delays():
    calls = []

    @queue.job
    def flaky(n: int) -> None:
        calls.append(n)

    task = flaky.s(1)
    assert task.retries == queue.RETRIES
    assert task.retry_delay == queue.RETRY_DELAY
    assert task.retry_backoff == queue.RETRY_BACKOFF > 1
    flaky(3)  # the tests run jobs at once (SINMUN_JOBS_IMMEDIATE)
    assert calls == [3]
