"""The ads app's periodic job: add the counted views and clicks to the daily rows (every 15 s)."""

from sinmun.jobs import queue

from . import counting


@queue.periodic(queue.every_tick)
def flush_counts() -> None:
    counting.flush()
