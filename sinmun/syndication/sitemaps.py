"""Sitemaps on Django's sitemaps framework: an index, articles by month, taxonomy, Google News.

- ``/sitemap.xml``: the index (sitemaps.org ``sitemapindex``), one entry per file below.
- ``/sitemap-articles-YYYY-MM.xml``: the articles first published that KST month; a month past
  50,000 articles is paged (``?p=2``) by Django, so no file holds more (sitemaps.org's limit).
- ``/sitemap-sections.xml``, ``-series.xml``, ``-reporters.xml``, ``-keywords.xml``: the list
  pages that hold at least one readable article (sections always).
- ``/sitemap-news.xml``: Google News — only the last two days' articles ("Google News reads
  only articles from the last two days"), at most 1,000, ``news:language`` ko.

Every article list starts from ``published_articles()``: withdrawn, unpublished, 예약 and
embargoed articles (입력 time still ahead) never appear. Locations use the canonical base URL.
"""

from datetime import date, datetime, timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.utils import timezone

from sinmun.korean.dates import KST
from sinmun.newsroom import selectors
from sinmun.newsroom.models import Article, Keyword, Reporter, Section, Series

from . import canonical

URLS_PER_FILE = 50_000  # sitemaps.org: at most 50,000 URLs per sitemap file
NEWS_DAYS = 2  # Google News: only articles published in the last two days
NEWS_LIMIT = 1_000  # Google News: at most 1,000 URLs per news sitemap
NEWS_LANGUAGE = "ko"


class CanonicalSitemap(Sitemap):
    """A sitemap whose locations use the canonical base URL (``canonical.site_url``)."""

    limit = URLS_PER_FILE

    def __init__(self, request=None):
        self.request = request

    def get_protocol(self, protocol=None):
        return canonical.scheme_and_host(self.request)[0]

    def get_domain(self, site=None):
        return canonical.scheme_and_host(self.request)[1]


def _readable_ids(field: str) -> QuerySet:
    return selectors.published_articles().values(field)


class ArticleMonthSitemap(CanonicalSitemap):
    """The readable articles first published in one KST month, oldest first."""

    changefreq = "daily"

    def __init__(self, month: date, request=None):
        super().__init__(request)
        self.month = month

    def _articles(self) -> QuerySet[Article]:
        start = datetime(self.month.year, self.month.month, 1, tzinfo=KST)
        end = (start + timedelta(days=32)).replace(day=1)
        return selectors.published_articles().filter(
            first_published_at__gte=start, first_published_at__lt=end
        )

    def items(self):
        return (
            self._articles()
            .order_by("first_published_at", "id")
            .only("public_id", "first_published_at", "updated_at")
        )

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at or item.first_published_at

    def get_latest_lastmod(self) -> datetime | None:
        times = self._articles().aggregate(p=Max("first_published_at"), u=Max("updated_at"))
        values = [t for t in times.values() if t is not None]
        return max(values) if values else None


class SectionSitemap(CanonicalSitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.order_by("order", "id")


class SeriesSitemap(CanonicalSitemap):
    changefreq = "daily"

    def items(self):
        return Series.objects.filter(pk__in=_readable_ids("series_id")).order_by("id")


class ReporterSitemap(CanonicalSitemap):
    changefreq = "daily"

    def items(self):
        return Reporter.objects.filter(pk__in=_readable_ids("bylines__reporter_id")).order_by("id")


class KeywordSitemap(CanonicalSitemap):
    changefreq = "daily"

    def items(self):
        return Keyword.objects.filter(pk__in=_readable_ids("keywords__id")).order_by("id")


class NewsSitemap(CanonicalSitemap):
    """Google News: the newest readable articles of the last two days, at most 1,000."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        articles = selectors.published_articles().filter(first_published_at__gte=since)
        return list(articles.prefetch_related("keywords")[:NEWS_LIMIT])

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at or item.first_published_at


def article_months() -> list[date]:
    """Return the KST months that hold a readable article, newest first."""
    starts = selectors.published_articles().datetimes(
        "first_published_at", "month", order="DESC", tzinfo=KST
    )
    return [start.date() for start in starts]


def sitemaps(request=None) -> dict[str, CanonicalSitemap]:
    """Return every file of the index by its name (``sitemap-<name>.xml``), in index order."""
    maps: dict[str, CanonicalSitemap] = {
        "sections": SectionSitemap(request),
        "series": SeriesSitemap(request),
        "reporters": ReporterSitemap(request),
        "keywords": KeywordSitemap(request),
    }
    for month in article_months():
        maps[f"articles-{month:%Y-%m}"] = ArticleMonthSitemap(month, request)
    return maps
