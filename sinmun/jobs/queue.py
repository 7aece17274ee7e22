"""The queue and the decorators jobs are declared with.

Periodic jobs need a finer clock than Huey's: its scheduler looks for due periodic tasks once a
minute, and the sweep for due schedules and embargoes must run every 15 s. The worker's
scheduler looks every ``TICK_SECONDS`` instead, and each periodic job says in which tick it
runs (``every_tick``, or ``hourly(minute=7)``: the one tick that falls in the first 15 s of
HH:07).
"""

import functools
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from huey import RedisHuey, SqliteHuey
from huey.api import Huey
from huey.consumer import Consumer, Scheduler
from huey.exceptions import TaskLockedException

logger = logging.getLogger(__name__)

JOB_FAILED = "job %s failed for %r; it is retried (%d tries in all)"
DUE_FAILED = "job %s failed when it came due; it is tried again in %d s"

TICK_SECONDS = 15
# How often the worker asks when a job is next due (``periodic(due=…)``); it then sleeps to
# the very time. A change saved with a time less than this ahead may wait this long.
DUE_POLL_SECONDS = 0.5
RETRIES = 5
RETRY_DELAY = 2
RETRY_BACKOFF = 2


def _build() -> Huey:
    options = {"immediate": settings.JOBS_IMMEDIATE, "results": False, "utc": True}
    if settings.REDIS_URL:
        return RedisHuey("sinmun", url=settings.REDIS_URL, **options)
    return SqliteHuey("sinmun", filename=str(settings.JOBS_SQLITE_PATH), **options)


huey = _build()

# Jobs queued once whenever a worker starts (the sweeps, the weather): after a crash or a stop,
# what was missed is done at once, not at the next tick or hour.
_at_start: list = []
# Periodic jobs that also run the moment something comes due: (when next due, the job, its name).
_due: list[tuple[Callable[[], datetime | None], Callable[[], None], str]] = []


def _with_connections(fn: Callable) -> Callable:
    """Close stale database connections around a job, as Django does around a request."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        if not huey.immediate:
            close_old_connections()
        try:
            return fn(*args, **kwargs)
        finally:
            if not huey.immediate:
                close_old_connections()

    return run


def job(fn: Callable | None = None, *, retries: int = RETRIES):
    """Declare ``fn`` a job: ``fn(...)`` queues it; the worker runs it, retrying on failure."""

    def decorator(fn: Callable):
        connected = _with_connections(fn)

        @functools.wraps(fn)
        def logged(*args, **kwargs):
            try:
                return connected(*args, **kwargs)
            except Exception:
                # Said once here in words the site's log readers know; Huey then retries.
                logger.exception(JOB_FAILED, fn.__name__, args, retries + 1)
                raise

        return huey.task(retries=retries, retry_delay=RETRY_DELAY, retry_backoff=RETRY_BACKOFF)(
            logged
        )

    return decorator(fn) if fn is not None else decorator


def every_tick(dt: datetime) -> bool:
    """Run at every tick of the worker's scheduler (every ``TICK_SECONDS``)."""
    return True


def hourly(*, minute: int) -> Callable[[datetime], bool]:
    """Run once an hour, in the tick that falls in the first seconds of HH:``minute``."""

    def due(dt: datetime) -> bool:
        return dt.minute == minute and dt.second < TICK_SECONDS

    return due


def daily(*, hour: int, minute: int) -> Callable[[datetime], bool]:
    """Run once a day at ``hour``:``minute`` UTC (the scheduler's clock)."""

    def due(dt: datetime) -> bool:
        return dt.hour == hour and dt.minute == minute and dt.second < TICK_SECONDS

    return due


def periodic(
    when: Callable[[datetime], bool],
    *,
    at_start: bool = True,
    due: Callable[[], datetime | None] | None = None,
):
    """Declare a periodic job; ``at_start`` also queues it once whenever a worker starts.

    It holds a lock named after itself while it runs (in the queue's storage: Redis or the
    SQLite file), so two workers, or a slow run and the next tick, never run it twice at once.
    ``due`` returns when the job is next needed (an embargo's 입력 time) or None: the worker's
    ``DueWatcher`` runs it then, to the moment, instead of at the next tick (up to 15 s late).
    """

    def decorator(fn: Callable):
        name = f"{fn.__module__}.{fn.__name__}"
        locked = huey.lock_task(name)(_with_connections(fn))
        functools.update_wrapper(locked, fn)
        task = huey.periodic_task(when, retries=0)(locked)
        if at_start:
            _at_start.append(task)
        if due is not None:
            _due.append((due, locked, name))
        return task

    return decorator


class DueWatcher(threading.Thread):
    """In the worker: run each ``periodic(due=…)`` job the moment it is due.

    Huey's scheduler only looks at periodic jobs every tick, and queued jobs wait for a poll;
    a reader expects an embargoed article on every page the second its time comes. So this
    thread asks each job when it is next due (a cheap read, every ``DUE_POLL_SECONDS``),
    sleeps to that time, and runs the job itself, under the job's own lock (a tick's run
    holding it is doing the same work).
    """

    def __init__(self):
        super().__init__(name="sinmun-due", daemon=True)
        self.stopping = threading.Event()
        self.failed: dict[str, float] = {}  # job name → monotonic time it may be tried again

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                wait = self.check()
            finally:
                # As around a job: a connection the database dropped is not used again.
                close_old_connections()
            self.stopping.wait(wait)

    def check(self) -> float:
        """Run what is due now; return the seconds until the next look."""
        wait = DUE_POLL_SECONDS
        for next_due, job_, name in _due:
            if self.failed.get(name, 0) > time.monotonic():
                continue
            try:
                at = next_due()
                ahead = None if at is None else (at - timezone.now()).total_seconds()
                if ahead is not None and ahead <= 0:
                    job_()
                elif ahead is not None:
                    wait = min(wait, ahead)
            except TaskLockedException:
                pass
            except Exception:
                # Not every half second in the log: the tick's run tries it meanwhile.
                logger.exception(DUE_FAILED, name, TICK_SECONDS)
                self.failed[name] = time.monotonic() + TICK_SECONDS
        return wait


class _TickScheduler(Scheduler):
    periodic_task_seconds = TICK_SECONDS


class WorkerConsumer(Consumer):
    """Huey's consumer with the finer periodic clock."""

    scheduler_class = _TickScheduler


def start_jobs() -> list:
    """Return the periodic jobs a starting worker queues once."""
    return list(_at_start)
