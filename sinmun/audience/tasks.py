"""The worker's audience jobs: flush counted views every 15 s, refresh the rankings each minute.

A view therefore reaches the database within 15 s and the lists within about a minute; pages
show a list up to the page cache's TTL (60 s) later. Both run when a worker starts, so counts
left in the store by a stopped worker are flushed at once.
"""

import logging

from sinmun.jobs import queue

from . import services

logger = logging.getLogger(__name__)


def every_minute(dt) -> bool:
    """Run in the first tick of every minute."""
    return dt.second < queue.TICK_SECONDS


@queue.periodic(queue.every_tick)
def flush_views() -> None:
    added = services.views_flush()
    if added:
        logger.debug("조회수 %d건 반영", added)


@queue.periodic(every_minute)
def refresh_rankings() -> None:
    services.rankings_refresh()
