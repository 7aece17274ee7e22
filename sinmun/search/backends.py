# ruff: noqa: S608 - SQL is assembled from this module's constant fragments; input is bound.
"""Run a parsed query on the database in use: SQLite FTS5 or PostgreSQL tsvector.

Both rank with the same field weights (headline > 부제 > keywords > body) and see the same
morpheme text; every term is a bound parameter or built only from letters and digits, so no
reader input is ever read as query syntax. Only published articles whose 입력 time has come
are returned, whatever the index holds.
"""

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

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
# Two- and three-syllable terms match as prefixes (국회 finds 국회의원 where the analyzer keeps
# it whole); FTS5 keeps prefix indexes for exactly these lengths (search migration 0006), and
# longer terms are specific enough to match whole. Numbers always match whole: 35 must not
# find 350, nor 3.5 (3p5) find 3.55.
MIN_PREFIX_CHARS, MAX_PREFIX_CHARS = 2, 3


def _prefix(term: str) -> bool:
    return MIN_PREFIX_CHARS <= len(term) <= MAX_PREFIX_CHARS and not any(c.isdigit() for c in term)


def fts5_expression(query: ParsedQuery) -> str:
    """Return the FTS5 MATCH expression: words (as prefixes), phrases, NOT exclusions."""

    def every(word: list[str]) -> str:
        return " AND ".join(_fts5_term(t) + ("*" if _prefix(t) else "") for t in word)

    parts = [every(word) for word in query.words]
    parts += [" OR ".join(f"({every(word)})" for word in either) for either in query.either]
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

    def every(word: list[str]) -> str:
        return " & ".join(lexeme(t, _prefix(t)) for t in word)

    parts = [every(word) for word in query.words]
    parts += [" | ".join(f"({every(word)})" for word in either) for either in query.either]
    parts += [_phrase_in_one_field(phrase) for phrase in query.phrases]
    expression = " & ".join(f"({p})" for p in parts)
    for excluded in query.excluded:
        if len(excluded) == 1:
            expression += f" & !({lexeme(excluded[0], _prefix(excluded[0]))})"
        else:
            expression += f" & !({_phrase_in_one_field(excluded)})"
    return expression


def written_expression(query: ParsedQuery) -> str | None:
    """Return a to_tsquery text matching the words read several ways as they were typed, or
    None when there are none. ts_rank_cd knows nothing of how rare a term is, so the 90
    articles that say 경기 outrank the two that say 경기도 for "경기도" unless documents that
    hold a word as it was typed come first (bm25 on SQLite weighs the rarer form by itself)."""

    return " | ".join(f"'{t}'" + (":*" if _prefix(t) else "") for t in query.as_typed) or None


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
        [Article.Status.PUBLISHED, _when(filters.since), _when(end)],
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
    search_one = _postgres if connection.vendor == "postgresql" else _sqlite
    with connection.cursor() as cursor:
        low, high = _id_bounds(cursor, filters)
        if high == 0:
            return Hits([], 0)  # nothing released in the filter's dates
        ids, rank = search_one(cursor, query, filters, low, high)
        total, capped = min(len(ids), COUNT_LIMIT), len(ids) > COUNT_LIMIT
        window = ids[:RANK_WINDOW]
        if offset >= len(window):
            return Hits([], total, capped)
        if newest:
            members, members_param = _members(window)
            cursor.execute(
                f"SELECT a.id FROM {_articles()} WHERE a.id {members}"
                " ORDER BY a.first_published_at DESC, a.id DESC LIMIT %s OFFSET %s",
                [members_param, limit, offset],
            )
        else:
            sql, params = rank(window)
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
        return Hits([row[0] for row in cursor.fetchall()], total, capped)


def _articles() -> str:
    """Return the article table as search reads it: ``a``, by the covering index on SQLite.

    Search reads status, 입력 time and section of up to 2,001 matches by id. In an SQLite row
    they come after body and body_text, in overflow pages: 65 ms for 2,001 rows at a million
    articles against 4 ms through article_visibility, which SQLite does not pick by itself
    (it prefers the rowid).
    """
    if connection.vendor == "sqlite":
        return "newsroom_article AS a INDEXED BY article_visibility"
    return "newsroom_article AS a"


def _members(ids: list[int]) -> tuple[str, object]:
    """Return an ``IN`` test for ``ids`` with one bound parameter, for the database in use."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", ids
    return "IN (SELECT value FROM json_each(%s))", json.dumps(ids)


# --- SQLite ---------------------------------------------------------------------------------


def _newest_in(
    cursor,
    table: str,
    expression: str,
    filters: Filters,
    *,
    low: int | None = None,
    high: int | None = None,
    limit: int | None = None,
) -> list[int]:
    """Return the ids of the newest visible matches in FTS5 ``table``, newest first.

    FTS5 walks its postings in descending rowid order (between ``low`` and ``high`` when
    given) and stops at the limit; the article table is read through the covering index
    article_visibility.
    """
    params: list = [expression]
    where = _filter_sql(filters, params)
    for bound, test in ((low, ">="), (high, "<=")):
        if bound is not None:
            where += f" AND {table}.rowid {test} %s"
            params.append(bound)
    cursor.execute(
        f"SELECT {table}.rowid FROM {table} JOIN {_articles()} ON a.id = {table}.rowid"
        f" WHERE {table} MATCH %s{where} ORDER BY {table}.rowid DESC LIMIT %s",
        [*params, limit or _wanted()],
    )
    return [row[0] for row in cursor.fetchall()]


def _bm25(table: str, expression: str, ids: list[int], *, score: bool = False):
    """Return SQL ranking ``ids`` (newest first, all matches) in FTS5 ``table`` by bm25.

    bm25 weighs each term by its postings in ``table``; the unary + keeps the id list a filter
    on the rows FTS5 returns, not a lookup per id (which would weigh the terms again).
    """
    members, members_param = _members(ids)
    rank = f"bm25({table}, %s, %s, %s, %s)"
    weights = [HEADLINE_WEIGHT, SUBHEADLINE_WEIGHT, KEYWORD_WEIGHT, BODY_WEIGHT]
    where = (
        f"FROM {table} WHERE {table} MATCH %s AND rowid >= %s AND rowid <= %s AND +rowid {members}"
    )
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
    members, members_param = _members(ids)
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
            f" FROM search_searchdocument WHERE article_id {members}",
            [members_param],
        )
    return _bm25("search_scratch", expression, ids)


def _sqlite(cursor, query: ParsedQuery, filters: Filters, low: int | None, high: int | None):
    """Return the newest matches (recent tier first) and how to rank a window of them: bm25
    in the recent tier, or in the whole index when the window lies entirely below it."""
    expression = fts5_expression(query)
    floor = recent.floor()
    ids = _newest_in(cursor, "search_recent", expression, filters, low=low, high=high)
    if len(ids) < _wanted() and floor > 0:
        # Too few in the tier: the word is rare, and its postings short in the whole index.
        # The tier holds every document from its floor up, so the walk goes on below it.
        below = floor - 1 if high is None else min(high, floor - 1)
        ids += _newest_in(
            cursor, "search_fts", expression, filters, low=low, high=below,
            limit=_wanted() - len(ids),
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


# --- PostgreSQL -----------------------------------------------------------------------------


# The first id range probed for matches on PostgreSQL, and the most it grows by per probe.
FIRST_SPAN, MAX_GROWTH = 20_000, 8


def _postgres(cursor, query: ParsedQuery, filters: Filters, low: int | None, high: int | None):
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
    while top >= low and len(ids) < _wanted():
        bottom = max(low, top - span + 1)
        params: list = [expression, bottom, top]
        where = _filter_sql(filters, params)
        # MATERIALIZED plans the range's matches on their own (no ORDER BY … LIMIT to tempt
        # the planner into the primary-key walk): a bitmap scan of the GIN index.
        cursor.execute(
            "WITH m AS MATERIALIZED (SELECT article_id FROM search_searchdocument"
            " WHERE tsv @@ to_tsquery('simple', %s) AND article_id BETWEEN %s AND %s)"
            f" SELECT a.id FROM m JOIN {_articles()} ON a.id = m.article_id WHERE TRUE{where}"
            " ORDER BY a.id DESC LIMIT %s",
            [*params, _wanted() - len(ids)],
        )
        found = [row[0] for row in cursor.fetchall()]
        ids += found
        growth = (_wanted() - len(ids)) / len(found) if found else MAX_GROWTH
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
