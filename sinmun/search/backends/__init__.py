# ruff: noqa: S608 - SQL is assembled from this module's constant fragments; input is bound.
"""Run a parsed query on the database in use: SQLite FTS5 or PostgreSQL tsvector.

Both rank with the same field weights (headline > 부제 > keywords > body) and see the same
morpheme text; every term is a bound parameter or built only from letters and digits, so no
reader input is ever read as query syntax. Only published articles whose 입력 time has come
are returned, whatever the index holds.

This package holds ``search`` and the limits every search keeps (the rank window, the count
limit, date bounds); the rest is split by responsibility:

- ``expressions``: a parsed query as FTS5 and tsquery text, and the field weights;
- ``visibility``: the SQL both databases share for what readers may see (filters, the article
  table, id lists);
- ``sqlite`` and ``postgresql``: each database's walk over the newest matches and its ranking.

Imports go one way: ``expressions`` and ``visibility`` import nothing of this package;
``sqlite`` and ``postgresql`` import those two, never each other nor this ``__init__`` (the
number of matches to read is passed to them); this ``__init__`` imports them all and
re-exports the public names.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from sinmun.newsroom.models import Article

from ..query import ParsedQuery
from . import postgresql, sqlite
from .expressions import (
    BODY_WEIGHT,
    HEADLINE_WEIGHT,
    KEYWORD_WEIGHT,
    MAX_PREFIX_CHARS,
    MIN_PREFIX_CHARS,
    SUBHEADLINE_WEIGHT,
    fts5_expression,
    tsquery_expression,
    written_expression,
)
from .visibility import Filters, articles_table, members, when

__all__ = [
    "BODY_WEIGHT", "BOUNDED_SPAN", "COUNT_LIMIT", "HEADLINE_WEIGHT", "KEYWORD_WEIGHT",
    "MAX_PREFIX_CHARS", "MIN_PREFIX_CHARS", "RANK_WINDOW", "SUBHEADLINE_WEIGHT", "Filters",
    "Hits", "fts5_expression", "search", "tsquery_expression", "written_expression",
]  # fmt: skip


@dataclass
class Hits:
    ids: list[int]
    total: int
    # True when there are more than ``total`` matches: counting stops at COUNT_LIMIT.
    capped: bool = False


# Relevance is ranked among at most this many of the newest matches (by article id, which
# grows with creation). Scoring every match of a very common word costs time in proportion to
# the corpus (bm25 over 54k matches: ~200 ms at 100k articles); a window keeps it bounded, and
# for news the newest matches are where a reader looks. Pages past the window are not served.
RANK_WINDOW = 2000

# Matches are counted up to this many; past it the page says "2,000건 이상". Counting every
# match of a common word reads its whole posting list (and, on PostgreSQL, every matching
# row), which grows with the archive; a reader gains nothing from 412,387 over "2,000 or more",
# and pages stop at the rank window anyway.
COUNT_LIMIT = 2_000


# A date filter spanning at most this long bounds the walk by article id (see _id_bounds).
BOUNDED_SPAN = timedelta(days=92)


def _id_bounds(cursor, filters: Filters) -> tuple[int | None, int | None]:
    """Return the lowest and highest id of visible articles in the filter's dates, (0, 0) when
    there are none, or (None, None) when the dates do not bound the search.

    Matches are walked newest first, so a search in a week two years back would otherwise walk
    every newer match of its words (~1/3 of a common word's postings at a million). Ids are
    not in 입력 order (an article may be drafted long before it is released), so the bounds
    come from the articles released in the range themselves, read through the index on
    (status, 입력 time, id); the span is capped so that reading them stays cheap.
    """
    now = timezone.now()
    # One upper bound, the nearer of the filter's and now: given both, SQLite may read the
    # index up to the farther one (two years of articles instead of one day).
    before, end = ("<", filters.until) if filters.until and filters.until <= now else ("<=", now)
    if filters.since is None or end - filters.since > BOUNDED_SPAN:
        return None, None
    cursor.execute(
        "SELECT MIN(id), MAX(id) FROM newsroom_article WHERE status = %s"
        f" AND first_published_at >= %s AND first_published_at {before} %s",
        [Article.Status.PUBLISHED, when(filters.since), when(end)],
    )
    low, high = cursor.fetchone()
    return (low, high) if low is not None else (0, 0)


def _wanted() -> int:
    """Return how many of the newest matches to read: one past the count and the window."""
    return max(COUNT_LIMIT, RANK_WINDOW) + 1


def search(query: ParsedQuery, *, filters: Filters, newest: bool, limit: int, offset: int) -> Hits:
    """Return one page of matching article ids, best (or newest) first, and the total.

    Both databases do the same: read the newest matches readers may see (each checked
    against the article table: status, 입력 time, filters), count them up to COUNT_LIMIT, and
    order the newest RANK_WINDOW of them by relevance or by 입력 time.
    """
    if query.is_empty:
        return Hits([], 0)
    database = postgresql if connection.vendor == "postgresql" else sqlite
    with connection.cursor() as cursor:
        low, high = _id_bounds(cursor, filters)
        if high == 0:
            return Hits([], 0)  # nothing released in the filter's dates
        ids, rank = database.newest_matches(cursor, query, filters, low, high, _wanted())
        total, capped = min(len(ids), COUNT_LIMIT), len(ids) > COUNT_LIMIT
        window = ids[:RANK_WINDOW]
        if offset >= len(window):
            return Hits([], total, capped)
        if newest:
            test, members_param = members(window)
            cursor.execute(
                f"SELECT a.id FROM {articles_table()} WHERE a.id {test}"
                " ORDER BY a.first_published_at DESC, a.id DESC LIMIT %s OFFSET %s",
                [members_param, limit, offset],
            )
        else:
            sql, params = rank(window)
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
        return Hits([row[0] for row in cursor.fetchall()], total, capped)
