"""Search's background jobs: index a saved article, re-index after a rename, catch up, upkeep."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from sinmun.jobs import queue
from sinmun.newsroom import generation
from sinmun.newsroom.models import Article

from . import dictionary, indexing, recent, suggestions
from .models import ANALYZER_VERSION, SearchDocument

# The catch-up sweep leaves an article this long to its own job before indexing it itself,
# and looks this far back (older gaps are `sinmun reindex`'s, which `make run` runs).
CATCH_UP_GRACE = timedelta(seconds=20)
CATCH_UP_WINDOW = timedelta(days=2)
CATCH_UP_BATCH = 200

# What a renamed row is to an article: the filter that finds the articles carrying it.
CARRIERS = {
    "section": "section_id",
    "series": "series_id",
    "reporter": "bylines__reporter_id",
    "keyword": "keywords__id",
}


@queue.huey.on_startup()
def warm_analyzer() -> None:
    """Load the analyzer's model and the user dictionary before the first job needs them."""
    from sinmun.korean import analyzer

    dictionary.ensure_user_dictionary()
    analyzer.terms("준비")


def _indexed_as_saved(article_id: int) -> bool:
    """Return whether the article's index row is already of its last save (and this analyzer)."""
    return SearchDocument.objects.filter(
        article_id=article_id,
        article__status=Article.Status.PUBLISHED,
        analyzer_version=ANALYZER_VERSION,
        indexed_at__gte=F("article__modified_at"),
    ).exists()


@queue.job
def index_article(article_id: int) -> None:
    """Index the article if readers may see it now or later; otherwise remove it.

    A second run, or a run after ``sinmun reindex`` got there first (``make demo`` queues a
    job per demo article and then indexes them all in batches), finds the row current and
    does no analysis.
    """
    if _indexed_as_saved(article_id):
        return
    indexing.article_changed(article_id)
    # Search result pages are cached whole; the publish started a generation before the
    # article was searchable, so start a search generation now that it is (other pages were
    # already renewed by the publish: they need not render again).
    generation.bump(generation.SEARCH)


@queue.job
def reindex_carrying(kind: str, object_id: int) -> None:
    """Re-analyse the published articles that carry a renamed section/series/reporter/keyword."""
    ids = (
        Article.objects.filter(status=Article.Status.PUBLISHED, **{CARRIERS[kind]: object_id})
        .values_list("pk", flat=True)
        .distinct()
    )
    for article_id in ids.iterator():
        indexing.article_changed(article_id)
    generation.bump(generation.SEARCH)


@queue.periodic(queue.every_tick)
def catch_up() -> None:
    """Index recently saved articles whose index row is missing or older than the article."""
    now = timezone.now()
    stale = indexing.stale_articles().filter(
        modified_at__gte=now - CATCH_UP_WINDOW, modified_at__lt=now - CATCH_UP_GRACE
    )
    caught = list(stale.values_list("pk", flat=True)[:CATCH_UP_BATCH])
    for article_id in caught:
        indexing.article_changed(article_id)
    if caught:
        generation.bump(generation.SEARCH)


@queue.periodic(queue.hourly(minute=37))
def recent_tier() -> None:
    """Move the SQLite recent tier's floor up (a no-op on PostgreSQL)."""
    recent.advance(step=None)


@queue.periodic(queue.daily(hour=19, minute=47), at_start=False)
def suggestion_vocabulary() -> None:
    """Count the typo-suggestion words again (04:47 KST), dropping words no visible article has."""
    suggestions.rebuild()
