"""How search reacts to the newsroom's announcements (subscribed in ``SearchConfig.ready``).

- Withdrawn (or re-imported as withheld): the index row goes inside the same transaction, so a
  search can never return an article readers may not see, not even for a moment.
- Published or updated: analysis is heavy (kiwipiepy), so the worker does it
  (``tasks.index_article``), queued after the change commits; the editor's request does not
  wait for it. The worker's catch-up sweep finds any article whose job was lost.
- A section, series, reporter or keyword renamed: the articles that carry the name are
  re-analysed in the worker (the name is in their keywords field).
"""

from sinmun.newsroom import followups
from sinmun.newsroom.followups import Event, Happened, Phase

from . import indexing, tasks


def drop_withdrawn(happened: Happened) -> None:
    indexing.article_unpublished(happened.article_id)


def queue_index(happened: Happened) -> None:
    tasks.index_article(happened.article_id)


def queue_reindex_carrying(happened: Happened) -> None:
    tasks.reindex_carrying(happened.kind, happened.object_id)


def subscribe() -> None:
    followups.subscribe(Event.WITHDRAWN, drop_withdrawn, phase=Phase.INSIDE)
    followups.subscribe((Event.PUBLISHED, Event.UPDATED), queue_index, phase=Phase.AFTER_COMMIT)
    followups.subscribe(Event.RENAMED, queue_reindex_carrying, phase=Phase.AFTER_COMMIT)
