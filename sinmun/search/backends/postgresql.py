# ruff: noqa: S608 - SQL is assembled from this module's constant fragments; input is bound.
"""PostgreSQL: the newest matches from search_match, recent tier first; ts_rank_cd ranks."""

from django.db import connection, transaction

from ..query import ParsedQuery
from ..recent import BLOCK_IDS
from .expressions import (
    BODY_WEIGHT,
    HEADLINE_WEIGHT,
    KEYWORD_WEIGHT,
    SUBHEADLINE_WEIGHT,
    match_expression,
    tsquery_expression,
    written_expression,
)
from .visibility import Filters, articles_table, filter_sql


def _tiers(floor: int, low: int | None, high: int | None) -> list[tuple[int, int | None]]:
    """Return the id bounds to read, newest first: the recent tier, then block by block below
    it (recent.BLOCK_IDS; each bound inside one block, so that its partial index applies)."""
    low = low or 0
    tiers: list[tuple[int, int | None]] = []
    if high is None or high >= floor:
        tiers.append((max(low, floor), high))
    top = floor - 1 if high is None else min(high, floor - 1)
    while top >= low:
        start = top // BLOCK_IDS * BLOCK_IDS
        tiers.append((max(low, start), top))
        top = start - 1
    return tiers


def newest_matches(
    cursor, query: ParsedQuery, filters: Filters, low: int | None, high: int | None, wanted: int
):
    """Return the newest matches and how to rank a window of them with ts_rank_cd.

    Matches are found in search_match (search migrations 0007, 0008) through its GIN indexes:
    the recent tier's first, where a common word fills the window, then the whole index's for
    older ids, where only rarer words are left to read. The planner is not left to walk ids
    instead (testing each row's terms means detoasting them): search_match has no ordered
    index on ids, and sequential scans are off for these queries. Phrases are then checked on
    the weighted tsvector of the candidates only.
    """
    match, check = match_expression(query)
    expression = tsquery_expression(query)
    exact = (
        " JOIN search_rank d ON d.article_id = m.article_id AND d.tsv @@ to_tsquery('simple', %s)"
        if check
        else ""
    )
    cursor.execute("SELECT floor FROM search_match_floor")
    floor = cursor.fetchone()[0]
    ids: list[int] = []
    with transaction.atomic(), connection.cursor() as scoped:
        scoped.execute("SELECT set_config('enable_seqscan', 'off', true)")
        for bottom, top in _tiers(floor, low, high):
            if len(ids) >= wanted:
                break
            # Bounds inline: the planner uses the tier's partial index only when the query's
            # own bound, a constant, implies the index's. MATERIALIZED: the matches are read
            # on their own through a GIN index, never probed article by article (each probe
            # would test, and detoast, that row's terms).
            bounds = f" AND article_id >= {int(bottom)}"
            if top is not None:
                bounds += f" AND article_id <= {int(top)}"
            params: list = [match, *([expression] if check else [])]
            where = filter_sql(filters, params)
            cursor.execute(
                "WITH m AS MATERIALIZED (SELECT article_id FROM search_match"
                f" WHERE terms @@ %s::tsquery{bounds})"
                f" SELECT a.id FROM m{exact} JOIN {articles_table()} ON a.id = m.article_id"
                f" WHERE TRUE{where} ORDER BY a.id DESC LIMIT %s",
                [*params, wanted - len(ids)],
            )
            ids += [row[0] for row in cursor.fetchall()]
        scoped.execute("SELECT set_config('enable_seqscan', 'on', true)")
    # ts_rank_cd takes weights {D, C, B, A} in [0, 1]: the same ratios, scaled by the largest.
    weights = [w / HEADLINE_WEIGHT for w in (BODY_WEIGHT, KEYWORD_WEIGHT, SUBHEADLINE_WEIGHT)]

    written = written_expression(query)

    def rank(window: list[int]):
        if written is None:
            return (
                "SELECT d.article_id FROM search_rank d WHERE d.article_id = ANY(%s)"
                " ORDER BY ts_rank_cd(%s::float4[], d.tsv, to_tsquery('simple', %s)) DESC,"
                " d.article_id DESC",
                [window, [*weights, 1.0], expression],
            )
        return (
            "SELECT d.article_id FROM search_rank d WHERE d.article_id = ANY(%s)"
            " ORDER BY ts_rank_cd(%s::float4[], d.tsv, to_tsquery('simple', %s)) DESC,"
            " ts_rank_cd(%s::float4[], d.tsv, to_tsquery('simple', %s)) DESC,"
            " d.article_id DESC",
            [window, [*weights, 1.0], written, [*weights, 1.0], expression],
        )

    return ids, rank
