# ruff: noqa: S608 - SQL is assembled from this module's constant fragments; input is bound.
"""SQLite FTS5: the newest matches, recent tier first, and how to rank a window of them by bm25."""

import json

from django.db import connection

from .. import recent
from ..query import ParsedQuery
from .expressions import (
    BODY_WEIGHT,
    HEADLINE_WEIGHT,
    KEYWORD_WEIGHT,
    SUBHEADLINE_WEIGHT,
    fts5_expression,
)
from .visibility import Filters, articles_table, filter_sql, members


def _newest_in(
    cursor,
    table: str,
    expression: str,
    filters: Filters,
    *,
    limit: int,
    low: int | None = None,
    high: int | None = None,
) -> list[int]:
    """Return the ids of the newest visible matches in FTS5 ``table``, newest first.

    FTS5 walks its postings in descending rowid order (between ``low`` and ``high`` when
    given) and stops at the limit; the article table is read through the covering index
    article_visibility.
    """
    params: list = [expression]
    where = filter_sql(filters, params)
    for bound, test in ((low, ">="), (high, "<=")):
        if bound is not None:
            where += f" AND {table}.rowid {test} %s"
            params.append(bound)
    cursor.execute(
        f"SELECT {table}.rowid FROM {table} JOIN {articles_table()} ON a.id = {table}.rowid"
        f" WHERE {table} MATCH %s{where} ORDER BY {table}.rowid DESC LIMIT %s",
        [*params, limit],
    )
    return [row[0] for row in cursor.fetchall()]


def _bm25(table: str, expression: str, ids: list[int], *, score: bool = False):
    """Return SQL ranking ``ids`` (newest first, all matches) in FTS5 ``table`` by bm25.

    bm25 weighs each term by its postings in ``table``; the unary + keeps the id list a filter
    on the rows FTS5 returns, not a lookup per id (which would weigh the terms again).
    """
    test, members_param = members(ids)
    rank = f"bm25({table}, %s, %s, %s, %s)"
    weights = [HEADLINE_WEIGHT, SUBHEADLINE_WEIGHT, KEYWORD_WEIGHT, BODY_WEIGHT]
    where = f"FROM {table} WHERE {table} MATCH %s AND rowid >= %s AND rowid <= %s AND +rowid {test}"
    bounds = [expression, ids[-1], ids[0], members_param]
    if score:
        return f"SELECT rowid, {rank} AS score {where}", [*weights, *bounds]
    return f"SELECT rowid {where} ORDER BY {rank}, rowid DESC", [*bounds, *weights]


# Windows entirely below the recent tier of at most this many matches are ranked in a scratch
# index (copying their morpheme text costs ~0.05 ms per match).
SCRATCH_LIMIT = 300


def _scratch_bm25(expression: str, ids: list[int]):
    """Return SQL ranking ``ids`` by bm25 in a temporary FTS5 index holding only them.

    Every document there matches the whole query, so bm25's term weights (IDF) are equal
    and the order comes from where the words are (headline > 부제 > keywords > body) and how
    often: what ranking among such matches needs. The index lives in this connection's temp
    database (found before the main one by its bare name); it is emptied and refilled for
    each search.
    """
    test, members_param = members(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_scratch USING fts5("
            "headline, subheadlines, keywords, body, content='',"
            " tokenize='unicode61 remove_diacritics 0', prefix='2 3')"
        )
        # Contentless (bm25 needs only the index), so it empties in one step: a DELETE took
        # each document's tokens out one by one (20–27 ms for 200 at a million articles).
        cursor.execute("INSERT INTO temp.search_scratch(search_scratch) VALUES ('delete-all')")
        cursor.execute(
            "INSERT INTO temp.search_scratch(rowid, headline, subheadlines, keywords, body)"
            " SELECT article_id, headline, subheadlines, keywords, body"
            f" FROM search_searchdocument WHERE article_id {test}",
            [members_param],
        )
    return _bm25("search_scratch", expression, ids)


def newest_matches(
    cursor, query: ParsedQuery, filters: Filters, low: int | None, high: int | None, wanted: int
):
    """Return the newest matches (recent tier first) and how to rank a window of them: bm25
    in the recent tier, or in the whole index when the window lies entirely below it."""
    expression = fts5_expression(query)
    floor = recent.floor()
    ids = _newest_in(cursor, "search_recent", expression, filters, limit=wanted, low=low, high=high)
    if len(ids) < wanted and floor > 0:
        # Too few in the tier: the word is rare, and its postings short in the whole index.
        # The tier holds every document from its floor up, so the walk goes on below it.
        below = floor - 1 if high is None else min(high, floor - 1)
        ids += _newest_in(
            cursor, "search_fts", expression, filters, low=low, high=below,
            limit=wanted - len(ids),
        )  # fmt: skip

    def rank(window: list[int]):
        recent_part = [i for i in window if i >= floor]
        if not recent_part:
            # All older than the tier: a rare query, or common words meeting rarely (청년 고용
            # 지원 정책: 42 of a million). bm25 over the whole index would weigh each term over
            # all its postings (~100 ms for common words at 1M); a few hundred matches are
            # ranked in a scratch index of their own instead.
            if len(window) <= SCRATCH_LIMIT:
                return _scratch_bm25(expression, window)
            return _bm25("search_fts", expression, window)
        sql, params = _bm25("search_recent", expression, recent_part, score=True)
        if len(recent_part) == len(window):
            return f"SELECT rowid FROM ({sql}) ORDER BY score, rowid DESC", params
        # The window reaches below the tier: its recent part by relevance, the older matches
        # after it, newest first. Ranking them would weigh the query's terms over the whole
        # index (~100 ms for common words at a million articles).
        older = json.dumps([i for i in window if i < floor])
        return (
            f"SELECT rowid FROM ({sql} UNION ALL SELECT value, NULL FROM json_each(%s))"
            " ORDER BY score IS NULL, score, rowid DESC",
            [*params, older],
        )

    return ids, rank
