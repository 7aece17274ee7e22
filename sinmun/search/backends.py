# ruff: noqa: S608 - SQL is assembled from this module's constant fragments; input is bound.
"""Run a parsed query on the database in use: SQLite FTS5 or PostgreSQL tsvector.

Both rank with the same field weights (headline > 부제 > keywords > body) and see the same
morpheme text; every term is a bound parameter or built only from letters and digits, so no
reader input is ever read as query syntax. Only published articles whose 입력 time has come
are returned, whatever the index holds.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from sinmun.newsroom.models import Article

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


def tsquery_expression(query: ParsedQuery) -> str:
    """Return the to_tsquery('simple', …) text; terms are letters and digits only."""

    def lexeme(term: str, prefix: bool) -> str:
        return f"'{term}'" + (":*" if prefix else "")

    parts = [" & ".join(lexeme(t, _prefix(t)) for t in word) for word in query.words]
    parts += [" <-> ".join(lexeme(t, False) for t in phrase) for phrase in query.phrases]
    expression = " & ".join(f"({p})" for p in parts)
    for excluded in query.excluded:
        joined = " <-> ".join(lexeme(t, len(excluded) == 1 and _prefix(t)) for t in excluded)
        expression += f" & !({joined})"
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
RANK_WINDOW = 5000


def _unfiltered(filters: Filters) -> bool:
    return not (filters.section_ids or filters.reporter_id or filters.since or filters.until)


def search(query: ParsedQuery, *, filters: Filters, newest: bool, limit: int, offset: int) -> Hits:
    """Return one page of matching article ids, best (or newest) first, and the total."""
    if query.is_empty:
        return Hits([], 0)
    if connection.vendor == "postgresql":
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
    else:
        expression = fts5_expression(query)
        index = "search_fts WHERE search_fts MATCH %s"
        doc = "search_fts.rowid"
        source = "search_fts JOIN newsroom_article a ON a.id = search_fts.rowid"
        match = "search_fts MATCH %s"
        # bm25 is lower-is-better, so ascending order puts the best first.
        rank = "bm25(search_fts, %s, %s, %s, %s)"
        rank_params = [HEADLINE_WEIGHT, SUBHEADLINE_WEIGHT, KEYWORD_WEIGHT, BODY_WEIGHT]
    where_params: list = []
    where = f"{match}{_filter_sql(filters, where_params)}"
    order = (
        "a.first_published_at DESC, a.id DESC"
        if newest
        else f"{rank}, a.first_published_at DESC, a.id DESC"
    )
    with connection.cursor() as cursor:
        if _unfiltered(filters):
            # The index holds published articles only: count there, without a join, and take
            # off the few whose 입력 time (embargo) has not come yet.
            cursor.execute(f"SELECT COUNT(*) FROM {index}", [expression])
            indexed = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT COUNT(*) FROM {index} AND {doc} IN (SELECT id FROM newsroom_article"
                " WHERE status = %s AND first_published_at > %s)",
                [expression, Article.Status.PUBLISHED, _when(timezone.now())],
            )
            total = indexed - cursor.fetchone()[0]
            if indexed > RANK_WINDOW:
                cursor.execute(
                    f"SELECT {doc} FROM {index} ORDER BY {doc} DESC LIMIT 1 OFFSET %s",
                    [expression, RANK_WINDOW - 1],
                )
                where += f" AND {doc} >= %s"
                where_params.append(cursor.fetchone()[0])
        else:
            cursor.execute(
                f"SELECT COUNT(*) FROM {source} WHERE {where}", [expression, *where_params]
            )
            total = cursor.fetchone()[0]
        if total == 0 or offset >= min(total, RANK_WINDOW):
            return Hits([], total)
        cursor.execute(
            f"SELECT a.id FROM {source} WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
            [expression, *where_params, *([] if newest else rank_params), limit, offset],
        )
        return Hits([row[0] for row in cursor.fetchall()], total)
