"""The queue and the decorators jobs are declared with.

Periodic jobs need a finer clock than Huey's: its scheduler looks for due periodic tasks once a
minute, and the sweep for due schedules and embargoes must run every 15 s. The worker's
scheduler looks every ``TICK_SECONDS`` instead, and each periodic job says in which tick it
runs (``every_tick``, or ``hourly(minute=7)``: the one tick that falls in the first 15 s of
HH:07).
"""

import functools
import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections
from huey import RedisHuey, SqliteHuey
from huey.api import Huey
from huey.consumer import Consumer, Scheduler

logger = logging.getLogger(__name__)

JOB_FAILED = "job %s failed for %r; it is retried (%d tries in all)"

TICK_SECONDS = 15
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


def periodic(when: Callable[[datetime], bool], *, at_start: bool = True):
    """Declare a periodic job; ``at_start`` also queues it once whenever a worker starts.

    It holds a lock named after itself while it runs (in the queue's storage: Redis or the
    SQLite file), so two workers, or a slow run and the next tick, never run it twice at once.
    """

    def decorator(fn: Callable):
        locked = huey.lock_task(f"{fn.__module__}.{fn.__name__}")(_with_connections(fn))
        functools.update_wrapper(locked, fn)
        task = huey.periodic_task(when, retries=0)(locked)
        if at_start:
            _at_start.append(task)
        return task

    return decorator


class _TickScheduler(Scheduler):
    periodic_task_seconds = TICK_SECONDS


class WorkerConsumer(Consumer):
    """Huey's consumer with the finer periodic clock."""

    scheduler_class = _TickScheduler


def start_jobs() -> list:
    """Return the periodic jobs a starting worker queues once."""
    return list(_at_start)
