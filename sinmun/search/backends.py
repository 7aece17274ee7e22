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


def _filter_sql(filters: Filters, params: list) -> str:
    sql = " AND a.status = %s AND a.first_published_at <= %s"
    params += [Article.Status.PUBLISHED, timezone.now()]
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
        params.append(filters.since)
    if filters.until:
        sql += " AND a.first_published_at < %s"
        params.append(filters.until)
    return sql


def search(query: ParsedQuery, *, filters: Filters, newest: bool, limit: int, offset: int) -> Hits:
    """Return one page of matching article ids, best (or newest) first, and the total."""
    if query.is_empty:
        return Hits([], 0)
    params: list = []
    if connection.vendor == "postgresql":
        source = (
            "search_searchdocument d JOIN newsroom_article a ON a.id = d.article_id"
            " CROSS JOIN to_tsquery('simple', %s) AS q(query)"
        )
        params.append(tsquery_expression(query))
        match = "d.tsv @@ q.query"
        rank = "ts_rank_cd(%s::float4[], d.tsv, q.query) DESC"
        # ts_rank_cd takes weights in [0, 1]: the same ratios, scaled by the largest.
        rank_params = [
            [w / HEADLINE_WEIGHT for w in (BODY_WEIGHT, KEYWORD_WEIGHT, SUBHEADLINE_WEIGHT)] + [1.0]
        ]
    else:
        source = (
            "search_fts JOIN search_searchdocument d ON d.article_id = search_fts.rowid"
            " JOIN newsroom_article a ON a.id = d.article_id"
        )
        match = "search_fts MATCH %s"
        params.append(fts5_expression(query))
        # bm25 is lower-is-better, so ascending order puts the best first.
        rank = "bm25(search_fts, %s, %s, %s, %s)"
        rank_params = [HEADLINE_WEIGHT, SUBHEADLINE_WEIGHT, KEYWORD_WEIGHT, BODY_WEIGHT]
    where_params: list = []
    base = f"FROM {source} WHERE {match}{_filter_sql(filters, where_params)}"
    order = (
        "a.first_published_at DESC, a.id DESC"
        if newest
        else f"{rank}, a.first_published_at DESC, a.id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {base}", params + where_params)
        total = cursor.fetchone()[0]
        if total == 0 or offset >= total:
            return Hits([], total)
        cursor.execute(
            f"SELECT a.id {base} ORDER BY {order} LIMIT %s OFFSET %s",
            params + where_params + ([] if newest else rank_params) + [limit, offset],
        )
        return Hits([row[0] for row in cursor.fetchall()], total)
