# ruff: noqa: S608 - SQL is assembled from this module's constant fragments; input is bound.
"""Run a parsed query on the database in use: SQLite FTS5 or PostgreSQL tsvector.

Both rank with the same field weights (headline > 부제 > keywords > body) and see the same
morpheme text; every term is a bound parameter or built only from letters and digits, so no
reader input is ever read as query syntax. Only published articles whose 입력 time has come
are returned, whatever the index holds.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from sinmun.newsroom.models import Article

from . import recent
from .query import ParsedQuery

# bm25 weights per FTS5 column and ts_rank_cd weights {D, C, B, A}: the same ratios.
HEADLINE_WEIGHT, SUBHEADLINE_WEIGHT, KEYWORD_WEIGHT, BODY_WEIGHT = 10.0, 5.0, 4.0, 1.0


@dataclass
class Filters:
    section_ids: list[int] | None = None
    reporter_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class Hits:
    ids: list[int]
    total: int
    # True when there are more than ``total`` matches: counting stops at COUNT_LIMIT.
    capped: bool = False


def _fts5_term(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


# A one-syllable prefix (은*) would match 은행, 은퇴, 은하…: short terms must match whole.
MIN_PREFIX_CHARS = 2


def _prefix(term: str) -> bool:
    return len(term) >= MIN_PREFIX_CHARS


def fts5_expression(query: ParsedQuery) -> str:
    """Return the FTS5 MATCH expression: words (as prefixes), phrases, NOT exclusions."""
    parts = [
        " AND ".join(_fts5_term(t) + ("*" if _prefix(t) else "") for t in word)
        for word in query.words
    ]
    parts += [
        '"' + " ".join(t.replace('"', '""') for t in phrase) + '"' for phrase in query.phrases
    ]
    expression = " AND ".join(f"({p})" for p in parts)
    for excluded in query.excluded:
        if len(excluded) == 1:
            star = "*" if _prefix(excluded[0]) else ""
            expression += f" NOT {_fts5_term(excluded[0])}{star}"
        else:
            expression += ' NOT "' + " ".join(t.replace('"', '""') for t in excluded) + '"'
    return expression


def _phrase_in_one_field(phrase: list[str]) -> str:
    """Return a phrase that must lie inside one field (tsvector positions run on across the
    concatenated fields; FTS5 phrases never cross columns)."""
    return " | ".join(
        "(" + " <-> ".join(f"'{t}':{weight}" for t in phrase) + ")" for weight in "ABCD"
    )


def tsquery_expression(query: ParsedQuery) -> str:
    """Return the to_tsquery('simple', …) text; terms are letters and digits only."""

    def lexeme(term: str, prefix: bool) -> str:
        return f"'{term}'" + (":*" if prefix else "")

    parts = [" & ".join(lexeme(t, _prefix(t)) for t in word) for word in query.words]
    parts += [_phrase_in_one_field(phrase) for phrase in query.phrases]
    expression = " & ".join(f"({p})" for p in parts)
    for excluded in query.excluded:
        if len(excluded) == 1:
            expression += f" & !({lexeme(excluded[0], _prefix(excluded[0]))})"
        else:
            expression += f" & !({_phrase_in_one_field(excluded)})"
    return expression


def _when(value: datetime):
    """Return ``value`` as the database stores datetimes (SQLite: a naive UTC string).

    Raw SQL bypasses the ORM's conversion; an aware KST value would otherwise be compared as
    text against UTC and shift every date filter by nine hours.
    """
    return connection.ops.adapt_datetimefield_value(value)


def _filter_sql(filters: Filters, params: list) -> str:
    sql = " AND a.status = %s AND a.first_published_at <= %s"
    params += [Article.Status.PUBLISHED, _when(timezone.now())]
    if filters.section_ids:
        sql += f" AND a.section_id IN ({', '.join(['%s'] * len(filters.section_ids))})"
        params += filters.section_ids
    if filters.reporter_id:
        sql += (
            " AND EXISTS (SELECT 1 FROM newsroom_articlereporter r"
            " WHERE r.article_id = a.id AND r.reporter_id = %s)"
        )
        params.append(filters.reporter_id)
    if filters.since:
        sql += " AND a.first_published_at >= %s"
        params.append(_when(filters.since))
    if filters.until:
        sql += " AND a.first_published_at < %s"
        params.append(_when(filters.until))
    return sql


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


def _count(cursor, source_where: str, params: list) -> tuple[int, bool]:
    """Return (matches up to COUNT_LIMIT, whether there are more) of ``FROM {source_where}``."""
    cursor.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {source_where} LIMIT %s) AS matches",
        [*params, COUNT_LIMIT + 1],
    )
    found = cursor.fetchone()[0]
    return min(found, COUNT_LIMIT), found > COUNT_LIMIT


def _unfiltered(filters: Filters) -> bool:
    return not (filters.section_ids or filters.reporter_id or filters.since or filters.until)


def _embargoed_ids() -> list[int]:
    """Return published articles whose 입력 time is still ahead (normally a handful)."""
    return list(
        Article.objects.filter(
            status=Article.Status.PUBLISHED, first_published_at__gt=timezone.now()
        ).values_list("id", flat=True)
    )


def _joined(
    cursor, source, match, expression, rank, rank_params, filters, *, newest, limit, offset
):
    """Count and rank with every match checked against the article table (status, time)."""
    where_params: list = []
    where = f"{match}{_filter_sql(filters, where_params)}"
    total, capped = _count(cursor, f"{source} WHERE {where}", [expression, *where_params])
    if total == 0 or offset >= min(total, RANK_WINDOW):
        return Hits([], total, capped)
    order = "a.first_published_at DESC, a.id DESC" if newest else f"{rank}, a.id DESC"
    cursor.execute(
        f"SELECT a.id FROM {source} WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
        [expression, *where_params, *([] if newest else rank_params), limit, offset],
    )
    return Hits([row[0] for row in cursor.fetchall()], total, capped)


def search(query: ParsedQuery, *, filters: Filters, newest: bool, limit: int, offset: int) -> Hits:
    """Return one page of matching article ids, best (or newest) first, and the total."""
    if query.is_empty:
        return Hits([], 0)
    if connection.vendor == "postgresql":
        return _postgres(query, filters, newest=newest, limit=limit, offset=offset)
    return _sqlite(query, filters, newest=newest, limit=limit, offset=offset)


# --- SQLite ---------------------------------------------------------------------------------


def _newest_matches(cursor, table: str, expression: str, filters: Filters) -> list[int]:
    """Return the ids of the newest matches readers may see in ``table``, newest first, up to
    one more than the count limit and the rank window need.

    FTS5 walks its postings in descending rowid order and stops there; each match is checked
    against the article table (status, 입력 time, filters) through the covering index
    article_visibility, so whatever the index holds, only what readers may see is counted.
    """
    params: list = [expression]
    where = _filter_sql(filters, params)
    cursor.execute(
        f"SELECT {table}.rowid FROM {table} JOIN newsroom_article a ON a.id = {table}.rowid"
        f" WHERE {table} MATCH %s{where} ORDER BY {table}.rowid DESC LIMIT %s",
        [*params, max(COUNT_LIMIT, RANK_WINDOW) + 1],
    )
    return [row[0] for row in cursor.fetchall()]


def _sqlite(query: ParsedQuery, filters: Filters, *, newest: bool, limit: int, offset: int) -> Hits:
    """Find the newest matches (recent tier first), count them up to the limit, rank the
    newest RANK_WINDOW of them with bm25 in the smallest index that holds them all."""
    expression = fts5_expression(query)
    floor = recent.floor()
    with connection.cursor() as cursor:
        ids = _newest_matches(cursor, "search_recent", expression, filters)
        if len(ids) <= max(COUNT_LIMIT, RANK_WINDOW) and floor > 0:
            # Too few in the tier: the word is rare, and its postings short in the whole index.
            ids = _newest_matches(cursor, "search_fts", expression, filters)
        total, capped = min(len(ids), COUNT_LIMIT), len(ids) > COUNT_LIMIT
        window = ids[:RANK_WINDOW]
        if offset >= len(window):
            return Hits([], total, capped)
        members = json.dumps(window)
        if newest:
            cursor.execute(
                "SELECT a.id FROM newsroom_article a"
                " WHERE a.id IN (SELECT value FROM json_each(%s))"
                " ORDER BY a.first_published_at DESC, a.id DESC LIMIT %s OFFSET %s",
                [members, limit, offset],
            )
        else:
            table = "search_recent" if window[-1] >= floor else "search_fts"
            # bm25 weighs each term by its postings in ``table``; the unary + keeps the id list
            # a filter on the rows FTS5 returns, not a lookup per id (which would weigh again).
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s AND rowid >= %s"
                " AND rowid <= %s AND +rowid IN (SELECT value FROM json_each(%s))"
                f" ORDER BY bm25({table}, %s, %s, %s, %s), rowid DESC LIMIT %s OFFSET %s",
                [
                    expression, window[-1], window[0], members,
                    HEADLINE_WEIGHT, SUBHEADLINE_WEIGHT, KEYWORD_WEIGHT, BODY_WEIGHT,
                    limit, offset,
                ],
            )  # fmt: skip
        return Hits([row[0] for row in cursor.fetchall()], total, capped)


# --- PostgreSQL -----------------------------------------------------------------------------


def _postgres(
    query: ParsedQuery, filters: Filters, *, newest: bool, limit: int, offset: int
) -> Hits:
    """Count (up to the limit) and rank with ts_rank_cd, among the newest matches."""
    expression = tsquery_expression(query)
    index = (
        "search_searchdocument d CROSS JOIN to_tsquery('simple', %s) AS q(query)"
        " WHERE d.tsv @@ q.query"
    )
    doc = "d.article_id"
    source = (
        "search_searchdocument d JOIN newsroom_article a ON a.id = d.article_id"
        " CROSS JOIN to_tsquery('simple', %s) AS q(query)"
    )
    match = "d.tsv @@ q.query"
    rank = "ts_rank_cd(%s::float4[], d.tsv, q.query) DESC"
    # ts_rank_cd takes weights in [0, 1]: the same ratios, scaled by the largest.
    rank_params = [
        [w / HEADLINE_WEIGHT for w in (BODY_WEIGHT, KEYWORD_WEIGHT, SUBHEADLINE_WEIGHT)] + [1.0]
    ]
    with connection.cursor() as cursor:
        # Filtered searches, and unfiltered ones with few matches, check every match against
        # the article table (status, time, filters): exact, and cheap when the set is small.
        exact = not _unfiltered(filters)
        if not exact:
            indexed, capped = _count(cursor, index, [expression])
            exact = indexed <= RANK_WINDOW
        if exact:
            return _joined(
                cursor, source, match, expression, rank, rank_params, filters,
                newest=newest, limit=limit, offset=offset,
            )  # fmt: skip

        # Many matches, no filters: the services keep only published articles in the index
        # (a withdrawal removes the row in its own transaction), so count and rank there
        # without a join, leaving out embargoed articles (입력 time ahead).
        embargoed = _embargoed_ids()
        hidden: set[int] = set()
        if embargoed and indexed:
            # Embargoed articles are the newest ids: walk only the tail of the matches.
            cursor.execute(
                f"SELECT {doc} FROM {index} AND {doc} >= %s", [expression, min(embargoed)]
            )
            hidden = {row[0] for row in cursor.fetchall()} & set(embargoed)
        # Past the limit a few hidden rows do not bring the count under it.
        total = indexed if capped else indexed - len(hidden)
        if total == 0 or offset >= min(total, RANK_WINDOW):
            return Hits([], total, capped)
        extra, extra_params = "", []
        if capped or indexed > RANK_WINDOW:
            cursor.execute(
                f"SELECT {doc} FROM {index} ORDER BY {doc} DESC LIMIT 1 OFFSET %s",
                [expression, RANK_WINDOW - 1],
            )
            extra += f" AND {doc} >= %s"
            extra_params.append(cursor.fetchone()[0])
        if hidden:
            extra += f" AND {doc} NOT IN ({', '.join(['%s'] * len(hidden))})"
            extra_params += sorted(hidden)
        if newest:
            cursor.execute(
                "SELECT a.id FROM newsroom_article a"
                f" WHERE a.id IN (SELECT {doc} FROM {index}{extra})"
                " ORDER BY a.first_published_at DESC, a.id DESC LIMIT %s OFFSET %s",
                [expression, *extra_params, limit, offset],
            )
        else:
            cursor.execute(
                f"SELECT {doc} FROM {index}{extra} ORDER BY {rank}, {doc} DESC LIMIT %s OFFSET %s",
                [expression, *extra_params, *rank_params, limit, offset],
            )
        return Hits([row[0] for row in cursor.fetchall()], total, capped)
