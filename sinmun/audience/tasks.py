"""The worker's audience jobs: count and flush views every 15 s, refresh the rankings each minute.

``flush_views`` first counts what the web processes spooled (``store.drain``: the 30-minute
dedup), then moves the counts to the database. Under ``sinmun serve`` most views do not come
by the spool: the worker's counting process counts them as they arrive (``handover``), and
this tick forks it again if it died. A view therefore reaches the database within
~16 s (a second in the web process, up to a tick in the spool) and the lists within about a
minute; pages show a list up to the page cache's TTL (60 s) later. Both run when a worker
starts, so what a stopped worker left in the store is counted at once.

The counting runs in a thread of its own at the lowest CPU priority (nice 19, Linux gives a
thread its own): it may wait while the web processes answer readers, never the other way round.
"""

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections

from sinmun.jobs import queue

from . import handover, services

logger = logging.getLogger(__name__)
LOWEST_PRIORITY = 19
# How long a tick's flush waits for the store's write lock before it leaves the rest to the next
# tick: the counting process, in the idle CPU class, may hold the lock for as long as the
# cores are busy, and the job's thread would wait with it (docs/decisions/0020, revision 4).
FLUSH_PATIENCE = 2.0


def every_minute(dt) -> bool:
    """Run in the first tick of every minute."""
    return dt.second < queue.TICK_SECONDS


def _lowest_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST_PRIORITY)
    except (AttributeError, OSError):  # not Linux: the thread keeps the worker's priority
        logger.debug("조회수 집계 스레드의 우선순위를 낮추지 못했습니다")


# One thread, made when the first flush runs (a forked worker makes its own).
_low = ThreadPoolExecutor(
    max_workers=1, thread_name_prefix="audience-count", initializer=_lowest_priority
)


def _flush() -> int:
    # Its own database connection, closed around the flush as the job's thread closes its own.
    close_old_connections()
    try:
        return services.views_flush(patience=FLUSH_PATIENCE)
    finally:
        close_old_connections()


@queue.periodic(queue.every_tick)
def flush_views() -> None:
    # Under `sinmun serve`, the process counting what the web processes hand over must be alive.
    handover.ensure_counting()
    if queue.huey.immediate:  # tests: in the caller's thread and database transaction
        added = services.views_flush(patience=FLUSH_PATIENCE)
    else:
        added = _low.submit(_flush).result()
    if added:
        logger.debug("조회수 %d건 반영", added)


@queue.periodic(every_minute)
def refresh_rankings() -> None:
    services.rankings_refresh()
