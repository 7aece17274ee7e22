"""How the related engine reacts to the newsroom's announcements (``RelatedConfig.ready``).

Every change readers could see in an article's words or visibility queues ``tasks.refresh``
after it commits: the worker re-signs the article and recomputes its list and the lists it
affects. Pages read the stored lists and check each listed article's visibility as they read,
so a withdrawn article leaves every box at once, before its job runs.
"""

from sinmun.newsroom import followups
from sinmun.newsroom.followups import Event, Happened, Phase

from . import tasks

EVENTS = (Event.PUBLISHED, Event.UPDATED, Event.WITHDRAWN, Event.EMBARGO_LIFTED)


def queue_refresh(happened: Happened) -> None:
    if happened.article_id is not None:
        tasks.refresh(happened.article_id)


def subscribe() -> None:
    followups.subscribe(EVENTS, queue_refresh, phase=Phase.AFTER_COMMIT)
