"""What interfaces call to search: one function, ``search_articles``."""

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sinmun.korean.dates import KST
from sinmun.newsroom import selectors as newsroom
from sinmun.newsroom.models import Article, Reporter, Section

from . import backends, suggestions
from .query import MAX_QUERY_CHARS, ParsedQuery, clean, parse, typed_length
from .snippets import snippet

PAGE_SIZE = 20
MAX_PAGE = 500
SORTS = ("relevance", "newest")
EARLIEST = date(1900, 1, 1)
# Slugs are ASCII words and hyphens; anything else (a NUL byte, say) is simply unknown.
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}\Z")


@dataclass
class Result:
    article: Article
    snippet: str


@dataclass
class SearchResult:
    query: ParsedQuery
    results: list[Result]
    total: int
    page: int
    num_pages: int
    sort: str
    # More than ``total`` matches: counting stopped at backends.COUNT_LIMIT ("2,000건 이상").
    capped: bool = False
    suggestion: str | None = None
    fallback: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # The query itself was refused (too long): nothing was searched.
    refused: bool = False

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


BAD_DATE = "날짜는 YYYY-MM-DD 형식으로 입력하세요."
UNKNOWN_SECTION = "없는 섹션입니다."
UNKNOWN_REPORTER = "없는 기자입니다."
QUERY_TOO_LONG = "검색어가 너무 깁니다. {limit}자까지 쓸 수 있습니다 (입력한 검색어: {length:,}자)."


def _day(value: str | None, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        if BAD_DATE not in errors:
            errors.append(BAD_DATE)
        return None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=KST)


def _page_number(value: str | int | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def search_articles(
    *,
    text: str,
    section: str | None = None,
    reporter: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
    page: str | int | None = None,
) -> SearchResult:
    """Search published articles; bad filters are reported, never raised."""
    length = typed_length(text)
    if length > MAX_QUERY_CHARS:
        # The search box stops at 200 characters (maxlength): a longer query is a pasted
        # link or a probe, and searching its first 200 characters would answer a question
        # nobody asked. The reader is told why instead (issue #15).
        message = QUERY_TOO_LONG.format(limit=MAX_QUERY_CHARS, length=length)
        return SearchResult(
            query=ParsedQuery(text=clean(text)), results=[], total=0, page=1,
            num_pages=1, sort="relevance", errors=[message], refused=True,
        )  # fmt: skip
    errors: list[str] = []
    query = parse(text)
    filters = backends.Filters()
    if section:
        found = Section.objects.filter(slug=section).first() if _SLUG.match(section) else None
        if found:
            filters.section_ids = [found.pk, *found.children.values_list("pk", flat=True)]
        else:
            errors.append(UNKNOWN_SECTION)
    if reporter:
        found = Reporter.objects.filter(slug=reporter).first() if _SLUG.match(reporter) else None
        if found:
            filters.reporter_id = found.pk
        else:
            errors.append(UNKNOWN_REPORTER)
    since_day, until_day = _day(since, errors), _day(until, errors)
    # Bounds outside any newspaper's archive mean "no bound" (and year 1 in KST is year 0 in
    # UTC, which no database stores).
    if since_day and since_day > EARLIEST:
        filters.since = _start_of(since_day)
    if until_day and until_day < date.max:
        filters.until = _start_of(until_day + timedelta(days=1))
    sort = sort if sort in SORTS else "relevance"
    number = _page_number(page)
    hits = backends.search(
        query,
        filters=filters,
        newest=sort == "newest",
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    # Ranking looks at the newest RANK_WINDOW matches; pages stop there.
    num_pages = max(1, math.ceil(min(hits.total, backends.RANK_WINDOW) / PAGE_SIZE))
    if hits.total and not hits.ids and number > num_pages:
        number = num_pages
        hits = backends.search(
            query, filters=filters, newest=sort == "newest", limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )  # fmt: skip
    # Loaded through the readers' selector: whatever the index holds, only what readers may
    # see is shown.
    by_id = newsroom.teasers(newsroom.published_articles().filter(pk__in=hits.ids)).in_bulk()
    words = query.highlight
    results = [Result(by_id[i], snippet(by_id[i].body_text, words)) for i in hits.ids if i in by_id]
    result = SearchResult(
        query=query,
        results=results,
        total=hits.total,
        capped=hits.capped,
        page=number,
        num_pages=num_pages,
        sort=sort,
        errors=errors,
    )
    if not hits.total:
        result.suggestion = suggestions.suggestion(query) if query.text else None
        result.fallback = newsroom.latest_articles(limit=8)
    return result
