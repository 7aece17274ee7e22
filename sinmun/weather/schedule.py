"""When the weather is refreshed: at HH:07 every hour (``weather.tasks.refresh`` in the worker).

KMA publishes an hour's surface observations a few minutes after the hour; seven minutes past
leaves room for that without showing the previous hour for long. A failed refresh is logged and
the next hour tries again: the ticker keeps its last good values, which age honestly.
"""

from datetime import datetime, timedelta

RUN_AT_MINUTE = 7


def next_run_after(now: datetime) -> datetime:
    """Return the first HH:07:00 strictly after ``now`` (same time zone as ``now``)."""
    run = now.replace(minute=RUN_AT_MINUTE, second=0, microsecond=0)
    if run <= now:
        run += timedelta(hours=1)
    return run
