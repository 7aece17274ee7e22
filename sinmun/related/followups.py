"""How the related engine reacts to the newsroom's announcements (``RelatedConfig.ready``).

Every change readers could see in an article's words or visibility queues ``tasks.refresh``
after it commits: the worker re-signs the article and recomputes its list and the lists it
affects. Pages read the stored lists and check each listed article's visibility as they read,
so a withdrawn article leaves every box at once, before its job runs; the lists holding a
changed article get a new version inside the change's transaction, so no page keeps a box
rendered before it (``selectors.version``).

A keyword's name is a whole term of the signatures of the articles that carry it, so a renamed
keyword queues ``tasks.keyword_renamed``: those articles are signed again under the new name
(a later article filed under it finds them) and their lists recomputed. Other renames (a
section, series or reporter) change no signature: their names are left out of it.
"""

from sinmun.newsroom import followups
from sinmun.newsroom.followups import Event, Happened, Phase

from . import engine, tasks

EVENTS = (Event.PUBLISHED, Event.UPDATED, Event.WITHDRAWN, Event.EMBARGO_LIFTED)


def touch_holding(happened: Happened) -> None:
    # Inside the change's transaction: the page that renders next must not keep a box showing
    # the old teaser, or an article that just left.
    if happened.article_id is not None:
        engine.touch_holding(happened.article_id)


def queue_refresh(happened: Happened) -> None:
    if happened.article_id is not None:
        tasks.refresh(happened.article_id)


def queue_keyword_renamed(happened: Happened) -> None:
    if happened.kind == "keyword" and happened.object_id is not None:
        tasks.keyword_renamed(happened.object_id)


def subscribe() -> None:
    followups.subscribe(EVENTS, touch_holding, phase=Phase.INSIDE)
    followups.subscribe(EVENTS, queue_refresh, phase=Phase.AFTER_COMMIT)
    followups.subscribe(Event.RENAMED, queue_keyword_renamed, phase=Phase.AFTER_COMMIT)
