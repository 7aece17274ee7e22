"""The newsroom's own periodic job: announce embargoes that came due (every 15 s)."""

from sinmun.jobs import queue

from . import actors, services


@queue.periodic(queue.every_tick)
def announce_due_embargoes() -> None:
    services.embargoes_announce_due(by=actors.SCHEDULE)
