"""The newsroom's own periodic job: announce embargoes that came due.

Every 15 s, and the moment each one comes due (``queue.DueWatcher`` in the worker).
"""

from sinmun.jobs import queue

from . import actors, services


@queue.periodic(queue.every_tick, due=services.embargo_next_due)
def announce_due_embargoes() -> None:
    services.embargoes_announce_due(by=actors.SCHEDULE)
