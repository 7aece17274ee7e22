"""The weather refresh as a periodic job: HH:07 every hour, and whenever a worker starts."""

import logging

from sinmun.jobs import queue

from . import schedule, services

logger = logging.getLogger(__name__)


@queue.periodic(queue.hourly(minute=schedule.RUN_AT_MINUTE))
def refresh() -> None:
    result = services.weather_refresh()
    for error in result.errors:
        logger.warning("날씨 갱신: %s", error)
    logger.info(
        "날씨 갱신: %s",
        ", ".join(f"{source} {count}" for source, count in result.stored.items()) or "-",
    )
