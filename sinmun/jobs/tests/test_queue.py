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


# --- DueWatcher: periodic jobs run the moment they come due -----------------------------------


class Clocked:
    """A job whose next due time the test sets, counting its runs."""

    def __init__(self, ahead: float | None):
        self.at = None if ahead is None else datetime.now(UTC) + timedelta(seconds=ahead)
        self.runs = 0

    def due(self):
        return self.at

    def run(self):
        self.runs += 1
        self.at = None  # done: nothing more is due


def _watch(monkeypatch, *jobs: tuple) -> queue.DueWatcher:
    monkeypatch.setattr(queue, "_due", list(jobs))
    return queue.DueWatcher()


def test_the_watcher_runs_a_due_job_at_once_and_sleeps_to_the_next(monkeypatch):
    now, soon, idle = Clocked(-0.1), Clocked(0.2), Clocked(None)
    watcher = _watch(
        monkeypatch,
        (now.due, now.run, "now"), (soon.due, soon.run, "soon"), (idle.due, idle.run, "idle"),
    )  # fmt: skip
    wait = watcher.check()
    assert (now.runs, soon.runs, idle.runs) == (1, 0, 0)
    # Sleeps to the very time of the next one, not a whole poll.
    assert 0 < wait <= 0.2
    soon.at = datetime.now(UTC) - timedelta(milliseconds=1)
    assert watcher.check() == queue.DUE_POLL_SECONDS
    assert (now.runs, soon.runs) == (1, 1)


def test_the_watcher_leaves_a_locked_job_to_the_run_holding_its_lock(monkeypatch):
    def locked():
        raise queue.TaskLockedException("running in the tick")

    due = Clocked(-1)
    watcher = _watch(monkeypatch, (due.due, locked, "locked"))
    assert watcher.check() == queue.DUE_POLL_SECONDS
    assert watcher.failed == {}  # not a failure: tried again at the next look


def test_a_failing_due_job_is_logged_and_left_to_the_tick(monkeypatch, caplog):
    calls = []

    def broken():
        calls.append(1)
        raise RuntimeError("database away")

    due = Clocked(-1)
    watcher = _watch(monkeypatch, (due.due, broken, "broken"))
    watcher.check()
    watcher.check()
    assert calls == [1]  # not again every half second
    assert "broken failed when it came due" in caplog.text
