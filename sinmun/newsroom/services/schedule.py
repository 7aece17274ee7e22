"""Time-driven changes: what comes due while nobody is saving anything.

An embargoed article is released with a 입력 time ahead (``article_publish(at=…)``): readers
see it from then on, but no save happens at that moment, so nothing would tell the caches.
The worker's sweep (``newsroom.tasks``) announces ``EMBARGO_LIFTED`` for each one whose time
has come: at that very moment (the worker asks ``embargo_next_due`` every half second and
sleeps to it), and every 15 s besides. How far it has looked is kept in the database
(``SweepMark``), so after a worker outage it announces everything that came due meanwhile.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from .. import actors, followups
from ..actors import Actor
from ..followups import Event, Happened
from ..models import Article, SweepMark

EMBARGO_MARK = "embargoes"


@transaction.atomic
def embargoes_announce_due(*, by: Actor, now: datetime | None = None) -> list[int]:
    """Announce ``EMBARGO_LIFTED`` for each article whose embargo ended since the last sweep.

    Return their ids. The first sweep only sets the mark (the past was never embargoed news).
    """
    actors.require(by)
    now = now or timezone.now()
    mark, created = SweepMark.objects.select_for_update().get_or_create(
        name=EMBARGO_MARK, defaults={"at": now}
    )
    if created or mark.at >= now:
        return []
    due = list(
        Article.objects.filter(
            status=Article.Status.PUBLISHED,
            first_published_at__gt=mark.at,
            first_published_at__lte=now,
        )
        # Saved before its 입력 time: an embargo. A plain 출고 is saved at its 입력 time and
        # was announced when it happened.
        .filter(first_published_at__gt=F("modified_at"))
        .order_by("first_published_at", "pk")
        .values_list("pk", flat=True)
    )
    name = actors.name_of(by)
    for article_id in due:
        followups.announce(Happened(Event.EMBARGO_LIFTED, article_id=article_id, actor=name))
    mark.at = now
    mark.save(update_fields=["at"])
    return due


def embargo_next_due() -> datetime | None:
    """Return the earliest 입력 time of an embargo the sweep has yet to announce, or None.

    A read beside the sweep it times: before the first sweep (no mark) there is nothing to
    announce. Cheap: the status and 입력 time index, from the mark on (recent and future
    articles only).
    """
    mark = SweepMark.objects.filter(name=EMBARGO_MARK).values_list("at", flat=True).first()
    if mark is None:
        return None
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, first_published_at__gt=mark)
        .filter(first_published_at__gt=F("modified_at"))  # an embargo, as the sweep reads it
        .aggregate(due=Min("first_published_at"))["due"]
    )
