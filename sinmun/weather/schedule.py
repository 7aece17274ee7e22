"""The hourly schedule of ``sinmun weather watch``: refresh at HH:07, forever.

KMA publishes an hour's surface observations a few minutes after the hour; seven minutes past
leaves room for that without showing the previous hour for long. A failed refresh is logged and
the loop goes on: the ticker keeps its last good values, which age honestly.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

logger = logging.getLogger(__name__)

RUN_AT_MINUTE = 7


def next_run_after(now: datetime) -> datetime:
    """Return the first HH:07:00 strictly after ``now`` (same time zone as ``now``)."""
    run = now.replace(minute=RUN_AT_MINUTE, second=0, microsecond=0)
    if run <= now:
        run += timedelta(hours=1)
    return run


def watch(
    refresh: Callable[[], object],
    *,
    clock: Callable[[], datetime] = timezone.now,
    sleep: Callable[[float], None] = time.sleep,
    runs: int | None = None,
) -> None:
    """Call ``refresh`` now, then at every HH:07, forever (``runs`` limits the calls)."""
    done = 0
    while runs is None or done < runs:
        try:
            refresh()
        except Exception:
            # Whatever went wrong (network, database restart), the next hour tries again.
            logger.exception("날씨 갱신이 실패했습니다; 다음 정각 7분에 다시 합니다.")
        done += 1
        if runs is not None and done >= runs:
            break
        now = clock()
        run = next_run_after(now)
        logger.info("다음 날씨 갱신: %s", timezone.localtime(run).strftime("%Y-%m-%d %H:%M"))
        sleep(max((run - now).total_seconds(), 0))
