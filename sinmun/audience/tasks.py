"""The worker's audience jobs: count and flush views every 15 s, refresh the rankings each minute.

``flush_views`` first counts what the web processes spooled (``store.drain``: the 30-minute
dedup), then moves the counts to the database. Under ``sinmun serve`` most views do not come
by the spool: the worker's counting process counts them as they arrive (``handover``), and
this tick forks it again if it died. A view therefore reaches the database within
~16 s (a second in the web process, up to a tick in the spool) and the lists within about a
minute; pages show a list up to the page cache's TTL (60 s) later. Both run when a worker
starts, so what a stopped worker left in the store is counted at once.

The flush runs in the job's own thread at the worker's priority. It ran in a thread of its own
at nice 19 until revision 7 of decision 0020: holding the store's write lock so while the
cores were saturated, it kept the web processes waiting to spool past their busy timeout, and
views were dropped. What it does is small (the spool's dedup is the fallback path; the counts
it moves are a row per article and bucket), and a lock holder must not be the one left waiting.
"""

import logging

from sinmun.jobs import queue

from . import handover, services

logger = logging.getLogger(__name__)
# How long a tick's flush waits for the store's write lock before it leaves the rest to the next
# tick, rather than keep the worker's other jobs waiting behind another process's count
# (docs/decisions/0020, revision 4).
FLUSH_PATIENCE = 2.0


def every_minute(dt) -> bool:
    """Run in the first tick of every minute."""
    return dt.second < queue.TICK_SECONDS


@queue.periodic(queue.every_tick)
def flush_views() -> None:
    # Under `sinmun serve`, the process counting what the web processes hand over must be alive.
    handover.ensure_counting()
    added = services.views_flush(patience=FLUSH_PATIENCE)
    if added:
        logger.debug("조회수 %d건 반영", added)


@queue.periodic(every_minute)
def refresh_rankings() -> None:
    services.rankings_refresh()
