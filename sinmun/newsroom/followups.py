"""What happened in the newsroom, announced to whoever cares: the core's follow-up registry.

A service announces each change it made (``announce(Happened(...))``); the apps built on the
core subscribe in their ``AppConfig.ready()`` — search keeps its index, the reader's site starts
a new page-cache generation, and later related articles, feeds, ads and counters join the same
way. The core imports none of them (the import contract in ``make test`` holds it to that).

Two phases, because some work must share the change's fate and some must not:

- ``INSIDE``: runs at once, inside the service's transaction. If it raises, the change rolls
  back. For what must never be out of step with the row (search drops a withdrawn article in
  the same transaction, so a search can never return it).
- ``AFTER_COMMIT``: runs once the transaction commits, and not at all if it rolls back. A
  failure is logged and does not touch the change or the other subscribers. For purges and for
  queueing background jobs (the worker does the heavy part).

Written by hand rather than with ``django.dispatch`` signals: signals have no after-commit
phase and swallow nothing, so every receiver would re-implement both.
"""

import enum
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)


class Event(enum.StrEnum):
    PUBLISHED = "published"  # released to readers (출고), also a re-release after withdrawal
    UPDATED = "updated"  # a change to an article readers may see, or an imported version
    WITHDRAWN = "withdrawn"  # taken off the site (출고 취소) or imported as canceled/withheld
    CORRECTED = "corrected"  # a correction notice was attached (정정·반론·추후보도)
    EMBARGO_LIFTED = "embargo_lifted"  # a released article's 입력 time has come
    RENAMED = "renamed"  # a section, series, reporter or keyword changed name (or place)
    SITE_CHANGED = "site_changed"  # the outlet's legal block or the section menu changed


class Phase(enum.StrEnum):
    INSIDE = "inside"
    AFTER_COMMIT = "after_commit"


@dataclass(frozen=True)
class Happened:
    """One announcement: the event, what it concerns, and who did it (``actor.name`` or user)."""

    event: Event
    article_id: int | None = None
    # For RENAMED: "section", "series", "reporter" or "keyword", and that row's id.
    kind: str = ""
    object_id: int | None = None
    actor: str = ""


Handler = Callable[[Happened], None]

_handlers: dict[tuple[Event, Phase], list[Handler]] = defaultdict(list)


def subscribe(events: Event | tuple[Event, ...], handler: Handler, *, phase: Phase) -> None:
    """Call ``handler`` for each announcement of ``events`` in ``phase`` (once per handler)."""
    for event in (events,) if isinstance(events, Event) else events:
        if handler not in _handlers[(event, phase)]:
            _handlers[(event, phase)].append(handler)


def unsubscribe(events: Event | tuple[Event, ...], handler: Handler, *, phase: Phase) -> None:
    """Stop calling ``handler`` (tests use this to isolate one subscriber)."""
    for event in (events,) if isinstance(events, Event) else events:
        if handler in _handlers[(event, phase)]:
            _handlers[(event, phase)].remove(handler)


def subscribers(event: Event, phase: Phase) -> tuple[Handler, ...]:
    """Return the handlers of ``event`` in ``phase``, in subscription order."""
    return tuple(_handlers[(event, phase)])


def _run_after_commit(happened: Happened) -> None:
    for handler in subscribers(happened.event, Phase.AFTER_COMMIT):
        try:
            handler(happened)
        except Exception:
            # The change is committed; one subscriber's failure must not undo or hide it, nor
            # keep the others from running. Each one's sweep (reindex, the next generation)
            # catches up.
            logger.exception("follow-up %r failed for %s", handler, happened)


def announce(happened: Happened) -> None:
    """Run the ``INSIDE`` subscribers now and the ``AFTER_COMMIT`` ones once the change commits."""
    for handler in subscribers(happened.event, Phase.INSIDE):
        handler(happened)
    transaction.on_commit(lambda: _run_after_commit(happened))
