"""What the API reads: only what readers may see, through ``newsroom.selectors``.

Every article list starts from ``published_articles()`` (published, 입력 time reached), so
embargoed, scheduled, unreleased and withdrawn articles are absent from every response.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from sinmun.korean.dates import KST
from sinmun.newsroom import selectors as newsroom
from sinmun.newsroom.models import Article, ArticleRevision, Keyword, Reporter, Section, Series

UNKNOWN_SECTION = "없는 섹션입니다."
UNKNOWN_SERIES = "없는 연재입니다."
UNKNOWN_REPORTER = "없는 기자입니다."
UNKNOWN_KEYWORD = "없는 키워드입니다."
BAD_RANGE = "since가 until보다 늦습니다."

# Slugs are ASCII words and hyphens: anything else (a NUL byte, which PostgreSQL refuses in a
# query) cannot name one, so it is unknown without asking the database.
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}\Z")
_PUBLIC_ID = re.compile(r"[-a-zA-Z0-9_]{1,16}\Z")
# Bounds outside any newspaper's archive mean "no bound" (year 1 in KST is year 0 in UTC).
_EARLIEST, _LATEST = date(1900, 1, 1), date(9000, 1, 1)


class UnknownFilter(ValueError):
    """A filter names something that does not exist; the message says which."""


@dataclass(frozen=True)
class ArticleFilters:
    section: str | None = None
    series: str | None = None
    reporter: str | None = None
    keyword: str | None = None
    since: date | None = None
    until: date | None = None


def _found(model, message: str, **lookup):
    value = next(iter(lookup.values()))
    if model is not Keyword and not _SLUG.match(value):
        raise UnknownFilter(message)
    if model is Keyword and ("\x00" in value or len(value) > 50):
        raise UnknownFilter(message)
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist:
        raise UnknownFilter(message) from None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=KST)


def articles(filters: ArticleFilters) -> QuerySet[Article]:
    """Return the articles readers may see that match ``filters``, newest first.

    Raise ``UnknownFilter`` when a filter names no section, series, reporter or keyword.
    """
    qs = newsroom.published_articles()
    if filters.section:
        section = _found(Section, UNKNOWN_SECTION, slug=filters.section)
        qs = qs.filter(Q(section=section) | Q(section__parent=section))
    if filters.series:
        qs = qs.filter(series=_found(Series, UNKNOWN_SERIES, slug=filters.series))
    if filters.reporter:
        qs = qs.filter(bylines__reporter=_found(Reporter, UNKNOWN_REPORTER, slug=filters.reporter))
    if filters.keyword:
        qs = qs.filter(keywords=_found(Keyword, UNKNOWN_KEYWORD, name=filters.keyword))
    if filters.since and filters.until and filters.since > filters.until:
        raise UnknownFilter(BAD_RANGE)
    # Days are Korean days: since 2026-03-12 starts at 00:00 KST.
    if filters.since and filters.since > _EARLIEST:
        qs = qs.filter(first_published_at__gte=_start_of(min(filters.since, _LATEST)))
    if filters.until and filters.until < _LATEST:
        qs = qs.filter(first_published_at__lt=_start_of(filters.until + timedelta(days=1)))
    return newsroom.teasers(qs).order_by("-first_published_at", "-id")


def page_of(qs: QuerySet, *, page: int, per_page: int) -> tuple[list, int]:
    """Return one page of ``qs`` and the count of all its rows."""
    total = qs.count()
    start = (page - 1) * per_page
    return (list(qs[start : start + per_page]) if start < total else []), total


def article(public_id: str) -> Article:
    """Return the article readers may see by public id, or raise ``Article.DoesNotExist``."""
    if not _PUBLIC_ID.match(public_id):
        raise Article.DoesNotExist
    return newsroom.article_for_reader(public_id=public_id)


def sections() -> list[Section]:
    """Return every section, parents before their children, in menu order."""
    return [section for nav in newsroom.navigation() for section in (nav.section, *nav.children)]


def reporters() -> QuerySet[Reporter]:
    """Return the reporters on the staff (재직), by name; their pages are public."""
    return Reporter.objects.filter(active=True).order_by("name", "id")


def item_uri(*, key: str, client_name: str) -> str | None:
    """Return the uri of the article ``key`` (its uri or public id) that ``client_name`` sent.

    A client changes only what it sent (its name on the article's first revision): a partner
    token must not reach a reporter's draft or another partner's item.
    """
    if "\x00" in key or len(key) > 255:
        return None
    found = Article.objects.filter(Q(uri=key) | Q(public_id=key)).values_list("pk", "uri").first()
    if found is None:
        return None
    first = ArticleRevision.objects.filter(article_id=found[0]).order_by("at", "id").first()
    return found[1] if first is not None and first.actor == f"api:{client_name}" else None


def item_exists(*, uri: str) -> bool:
    """Return whether an article with ``uri`` exists (a POST must not overwrite it)."""
    return Article.objects.filter(uri=uri).exists()
