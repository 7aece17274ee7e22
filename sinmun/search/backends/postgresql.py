# ruff: noqa: S608 - SQL is assembled from this module's constant fragments; input is bound.
"""PostgreSQL tsvector: the newest matches, read range by range of ids, ranked by ts_rank_cd."""

import math

from ..query import ParsedQuery
from .expressions import (
    BODY_WEIGHT,
    HEADLINE_WEIGHT,
    KEYWORD_WEIGHT,
    SUBHEADLINE_WEIGHT,
    tsquery_expression,
    written_expression,
)
from .visibility import Filters, articles_table, filter_sql

# The first id range probed for matches on PostgreSQL, and the most it grows by per probe.
FIRST_SPAN, MAX_GROWTH = 20_000, 8


def newest_matches(
    cursor, query: ParsedQuery, filters: Filters, low: int | None, high: int | None, wanted: int
):
    """Return the newest matches and how to rank a window of them with ts_rank_cd.

    The newest matches are read range by range of article ids, newest first, each range
    through the GIN index alone. Asked for the newest matches in one query, the planner walks
    the primary key backwards and tests each row's tsvector, detoasting it: ~7,000 rows for a
    word in a third of the articles, hundreds of thousands for a word in one of fifty (seconds
    at a million). A range read from the GIN index touches only its matches; the next range
    grows by how sparse the last one was, so a rare word takes a few ranges to cover the
    archive.
    """
    expression = tsquery_expression(query)
    if high is None:
        cursor.execute("SELECT MAX(article_id) FROM search_searchdocument")
        high, low = cursor.fetchone()[0] or 0, 1
    ids: list[int] = []
    top, span = high, FIRST_SPAN
    while top >= low and len(ids) < wanted:
        bottom = max(low, top - span + 1)
        params: list = [expression, bottom, top]
        where = filter_sql(filters, params)
        # MATERIALIZED plans the range's matches on their own (no ORDER BY … LIMIT to tempt
        # the planner into the primary-key walk): a bitmap scan of the GIN index.
        cursor.execute(
            "WITH m AS MATERIALIZED (SELECT article_id FROM search_searchdocument"
            " WHERE tsv @@ to_tsquery('simple', %s) AND article_id BETWEEN %s AND %s)"
            f" SELECT a.id FROM m JOIN {articles_table()} ON a.id = m.article_id WHERE TRUE{where}"
            " ORDER BY a.id DESC LIMIT %s",
            [*params, wanted - len(ids)],
        )
        found = [row[0] for row in cursor.fetchall()]
        ids += found
        growth = (wanted - len(ids)) / len(found) if found else MAX_GROWTH
        span *= min(MAX_GROWTH, max(2, math.ceil(growth)))
        top = bottom - 1
    # ts_rank_cd takes weights {D, C, B, A} in [0, 1]: the same ratios, scaled by the largest.
    weights = [w / HEADLINE_WEIGHT for w in (BODY_WEIGHT, KEYWORD_WEIGHT, SUBHEADLINE_WEIGHT)]

    written = written_expression(query)

    def rank(window: list[int]):
        if written is None:
            return (
                "SELECT d.article_id FROM search_searchdocument d WHERE d.article_id = ANY(%s)"
                " ORDER BY ts_rank_cd(%s::float4[], d.tsv, to_tsquery('simple', %s)) DESC,"
                " d.article_id DESC",
                [window, [*weights, 1.0], expression],
            )
        return (
            "SELECT d.article_id FROM search_searchdocument d WHERE d.article_id = ANY(%s)"
            " ORDER BY ts_rank_cd(%s::float4[], d.tsv, to_tsquery('simple', %s)) DESC,"
            " ts_rank_cd(%s::float4[], d.tsv, to_tsquery('simple', %s)) DESC,"
            " d.article_id DESC",
            [window, [*weights, 1.0], written, [*weights, 1.0], expression],
        )

    return ids, rank
