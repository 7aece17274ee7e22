"""The related engine's background jobs: refresh after a change, catch up, recount the sample."""

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from sinmun.jobs import queue
from sinmun.newsroom.models import Article

from . import engine, vocabulary

# Like search's sweep: leave an article this long to its own job, look this far back.
CATCH_UP_GRACE = timedelta(seconds=20)
CATCH_UP_WINDOW = timedelta(days=2)
CATCH_UP_BATCH = 50


def _waits_for_index(article_id: int) -> bool:
    """Return whether a published article has no index row yet (search analyses it in its own
    job; the signature is read from that row). A row older than the last save is used as it
    is: the sweep recomputes the list once search has caught up (a save that changed no words,
    such as an embargo's end, is never re-analysed)."""
    return Article.objects.filter(
        pk=article_id, status=Article.Status.PUBLISHED, search_document__isnull=True
    ).exists()


# A job waiting for search's index row comes back this many times, 5 s apart.
WAITS = 6


@queue.job
def refresh(article_id: int, waited: int = 0) -> None:
    """Recompute the article's related list and the lists it affects.

    If search has not indexed the article yet, the job comes back in a few seconds (the
    catch-up sweep finds whatever is still behind).
    """
    if _waits_for_index(article_id):
        if waited < WAITS:
            refresh.schedule(args=(article_id, waited + 1), delay=5)
        return
    engine.article_changed(article_id)


@queue.job
def keyword_renamed(keyword_id: int) -> None:
    """Sign the published articles carrying a renamed keyword again, under its new name, and
    recompute their lists and the lists they affect."""
    carriers = Article.objects.filter(
        status=Article.Status.PUBLISHED, keywords__id=keyword_id
    ).values_list("pk", flat=True)
    ids = list(carriers.distinct())
    vocabulary.count_renamed_keyword(keyword_id, carriers=len(ids))
    for article_id in ids:
        engine.article_changed(article_id)


def stale_lists():
    """Return recently saved published articles whose list is older than their index row."""
    now = timezone.now()
    return (
        Article.objects.filter(
            status=Article.Status.PUBLISHED,
            modified_at__gte=now - CATCH_UP_WINDOW,
            modified_at__lt=now - CATCH_UP_GRACE,
            search_document__isnull=False,
        )
        .filter(
            Q(related_state__isnull=True)
            | Q(related_state__computed_at__lt=F("search_document__indexed_at"))
        )
        .order_by("-modified_at")
    )


@queue.periodic(queue.every_tick)
def catch_up() -> None:
    """Refresh lists whose job was lost (a killed worker) or ran before the index row."""
    for article_id in list(stale_lists().values_list("pk", flat=True)[:CATCH_UP_BATCH]):
        engine.article_changed(article_id)


@queue.periodic(queue.daily(hour=19, minute=17), at_start=False)
def recount_vocabulary() -> None:
    """Count the idf sample again (04:17 KST), so new names and stories weigh as they should."""
    vocabulary.rebuild()
