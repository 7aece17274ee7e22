"""What pages read: the stored list, checked for visibility as it is read (no similarity work).

``box`` serves the article page's 관련기사 box and its `N건의 관련기사 더보기` number in one
query (``COUNT(*) OVER ()`` is computed before LIMIT); ``page`` serves the 더보기 list.
``version`` is what the article page keeps the rendered box under: one primary-key read, and
the box is read again only when the list or an article in it changed (or the kept copy's
minute ran out), not at every publish elsewhere.
"""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, QuerySet, Subquery, Window

from sinmun.newsroom import generation
from sinmun.newsroom import selectors as newsroom
from sinmun.newsroom.models import Article

from .models import ListState, Override, RelatedLink

BOX_SIZE = 5
PAGE_SIZE = 20


def _listed(article: Article) -> QuerySet[Article]:
    """Return the visible articles of ``article``'s stored list, in its order.

    The list's ids come from a subquery on the link table: joined to it instead, SQLite (which
    has no statistics unless someone runs ANALYZE) walked every published article through the
    status index and probed the links for each one, 1M probes at 1M articles
    (docs/decisions/0027).
    """
    links = RelatedLink.objects.filter(article_id=article.pk)
    return (
        newsroom.published_articles()
        .filter(pk__in=links.values("related_id"))
        .annotate(list_rank=Subquery(links.filter(related_id=OuterRef("pk")).values("rank")[:1]))
        .order_by("list_rank")
    )


_VERSION_SQL = "SELECT version FROM {table} WHERE article_id = %s"


def read_version(*, article: Article) -> int:
    """Return the version of ``article``'s list as stored (0 before its first computation)."""
    # A cursor rather than the ORM: building the query cost more than reading the row.
    with connection.cursor() as cursor:
        cursor.execute(
            _VERSION_SQL.format(table=connection.ops.quote_name(ListState._meta.db_table)),
            [article.pk],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def version(*, article: Article) -> int:
    """Return the version the article page keeps its box under, read once a generation.

    Every change readers see in a listed article starts a new generation (and raises the
    version inside its transaction); the worker's recomputations do not, and show within
    ``FRAGMENT_SECONDS``, as a box kept under the generation did.
    """
    return generation.cached(
        f"related-version:{article.pk}",
        lambda: read_version(article=article),
        settings.FRAGMENT_SECONDS,
    )


def box(*, article: Article, limit: int = BOX_SIZE) -> tuple[list[Article], int]:
    """Return the first ``limit`` related articles and how many there are in all."""
    if article.pk is None:
        return [], 0
    rows = list(newsroom.teasers(_listed(article).annotate(total=Window(Count("pk"))))[:limit])
    return rows, (rows[0].total if rows else 0)


def page(*, article: Article, page: int | str | None) -> Page:
    """Return a page of the full related list (`N건의 관련기사 더보기`)."""
    return Paginator(newsroom.teasers(_listed(article)), PAGE_SIZE).get_page(page)


def for_desk(*, article: Article) -> dict[str, list]:
    """Return what the desk's panel shows: the stored list (pins marked) and the removed."""
    links = list(
        RelatedLink.objects.filter(article=article)
        .select_related("related", "related__section")
        .order_by("rank")
    )
    removed = list(
        Override.objects.filter(article=article, action=Override.Action.REMOVE)
        .select_related("other", "other__section")
        .order_by("at", "id")
    )
    return {"links": links, "removed": [o.other for o in removed]}
