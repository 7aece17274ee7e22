"""RSS 2.0 feeds on Django's syndication framework: the site, each section, series and reporter.

Each carries the 50 newest articles readers may see (``published_articles``: no draft, no
withdrawn, no 예약 or embargoed article before its 입력 time), with the full body or an excerpt
as the outlet chooses (``OutletSettings.feed_full_text``), dates in KST (``+0900``), one
``dc:creator`` per reporter in byline order, and the lead photo as the enclosure. Links are
absolute (``canonical``). Conditional GET comes from Django's ``condition`` decorator with the
validators of ``freshness``.
"""

import mimetypes
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.html import escape
from django.views.decorators.http import condition

from sinmun.korean.dates import to_kst
from sinmun.korean.excerpts import excerpt
from sinmun.newsroom import selectors
from sinmun.newsroom.models import Article, Reporter, Section, Series

from . import canonical, freshness

FEED_SIZE = 50
EXCERPT_LENGTH = 200
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"


class NewsRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the Dublin Core namespace on the root and one ``dc:creator`` per reporter.

    Django's generator writes ``dc:creator`` only for a single author and declares the namespace
    on each element; a byline of several reporters needs one element each.
    """

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("creators", ()):
            handler.addQuickElement("dc:creator", name)

    def latest_post_date(self):
        # lastBuildDate in KST like every item date (+0900), also for an empty feed.
        return to_kst(super().latest_post_date())


class ArticleFeed(Feed):
    """The 50 newest readable articles in ``scope(obj)``; one instance serves one request.

    An instance per request (``as_view``) because links and the enclosure are built from the
    request's address when ``SINMUN_SITE_URL`` is unset, and a shared instance must not hold it.
    """

    feed_type = NewsRssFeed
    language = "ko"

    def __init__(self, request: HttpRequest | None = None):
        self.request = request
        self.outlet = selectors.outlet()

    # What each feed covers: subclasses look their object up and say which articles it holds.
    @classmethod
    def lookup(cls, **kwargs):
        """Return the feed's object (a section, series, reporter) or None for the site feed."""
        return None

    @classmethod
    def scope(cls, obj) -> Q:
        return Q()

    def get_object(self, request, **kwargs):
        return self.lookup(**kwargs)

    def items(self, obj) -> QuerySet[Article]:
        articles = selectors.published_articles().filter(self.scope(obj))
        return selectors.teasers(articles).prefetch_related("keywords")[:FEED_SIZE]

    def feed_url(self, obj) -> str:
        return canonical.absolute(self.request.path, self.request)

    def feed_copyright(self, obj) -> str:
        return f"Copyright © {self.outlet.title}. 무단 전재 및 재배포 금지."

    def item_title(self, item: Article) -> str:
        # Plain text: the generator escapes it once for XML (Django's default escapes twice).
        return item.headline

    def item_link(self, item: Article) -> str:
        return canonical.absolute(item.get_absolute_url(), self.request)

    def item_description(self, item: Article) -> str:
        if self.outlet.feed_full_text:
            return selectors.article_body_html(item)
        # A description is HTML to a feed reader (RSS 2.0): plain text is escaped, or a
        # name typed as ``<script>`` in the byline would reach readers as markup.
        return escape(excerpt(selectors.article_teaser_text(item), EXCERPT_LENGTH))

    def item_pubdate(self, item: Article) -> datetime:
        return to_kst(item.first_published_at)

    def item_updateddate(self, item: Article) -> datetime | None:
        return to_kst(item.updated_at) if item.updated_at else None

    def item_categories(self, item: Article) -> list[str]:
        labels = [item.section.name]
        if item.series_id:
            labels.append(item.series.name)
        return labels + [word.name for word in item.keywords.all()]

    def item_enclosures(self, item: Article) -> list[feedgenerator.Enclosure]:
        if not item.lead_photo:
            return []
        try:
            length = item.lead_photo.size
        except OSError:
            # A photo missing from storage gets no enclosure rather than a wrong length.
            return []
        mime_type = mimetypes.guess_type(item.lead_photo.name)[0] or "image/jpeg"
        url = canonical.absolute(item.lead_photo.url, self.request)
        return [feedgenerator.Enclosure(url, str(length), mime_type)]

    def item_extra_kwargs(self, item: Article) -> dict:
        return {"creators": [person.name for person in selectors.article_reporters(item)]}

    @classmethod
    def as_view(cls):
        """Return the feed's view: a fresh instance per request, 304 when nothing changed."""

        def changed(request, **kwargs):
            obj = cls.lookup_or_none(**kwargs)
            return None if obj is False else freshness.last_change(cls.scope(obj))

        def tag(request, **kwargs):
            obj = cls.lookup_or_none(**kwargs)
            if obj is False:
                return None
            return freshness.etag(request, freshness.last_change(cls.scope(obj)))

        @condition(etag_func=tag, last_modified_func=changed)
        def view(request: HttpRequest, **kwargs) -> HttpResponse:
            response = cls(request)(request, **kwargs)
            # Django's Feed sets Last-Modified from the newest item; ``condition`` sets the one
            # that also sees withdrawals (freshness.last_change), which the 304 is decided on.
            del response.headers["Last-Modified"]
            return response

        return view

    @classmethod
    def lookup_or_none(cls, **kwargs):
        """Return ``lookup(**kwargs)``, or False when the object does not exist (a 404)."""
        try:
            return cls.lookup(**kwargs)
        except (Section.DoesNotExist, Series.DoesNotExist, Reporter.DoesNotExist):
            return False


class SiteFeed(ArticleFeed):
    def title(self) -> str:
        return self.outlet.title

    def link(self) -> str:
        return canonical.absolute(reverse("public:home"), self.request)

    def description(self) -> str:
        # HTML to a feed reader, like an item's description: the names are escaped.
        return escape(f"{self.outlet.title} 최신 기사")


class SectionFeed(ArticleFeed):
    @classmethod
    def lookup(cls, *, slug: str) -> Section:
        return selectors.section_by_slug(slug=slug)

    @classmethod
    def scope(cls, obj: Section) -> Q:
        # As on the section page: a top-level section carries its child sections' articles.
        return Q(section=obj) | Q(section__parent=obj)

    def title(self, obj: Section) -> str:
        return f"{self.outlet.title} - {obj.name}"

    def link(self, obj: Section) -> str:
        return canonical.absolute(obj.get_absolute_url(), self.request)

    def description(self, obj: Section) -> str:
        return escape(f"{self.outlet.title} {obj.name} 섹션 최신 기사")


class SeriesFeed(ArticleFeed):
    @classmethod
    def lookup(cls, *, slug: str) -> Series:
        return selectors.series_by_slug(slug=slug)

    @classmethod
    def scope(cls, obj: Series) -> Q:
        return Q(series=obj)

    def title(self, obj: Series) -> str:
        return f"{self.outlet.title} - [{obj.name}]"

    def link(self, obj: Series) -> str:
        return canonical.absolute(obj.get_absolute_url(), self.request)

    def description(self, obj: Series) -> str:
        return escape(obj.description or f"{self.outlet.title} 연재 [{obj.name}]")


class ReporterFeed(ArticleFeed):
    @classmethod
    def lookup(cls, *, slug: str) -> Reporter:
        return selectors.reporter_by_slug(slug=slug)

    @classmethod
    def scope(cls, obj: Reporter) -> Q:
        # One byline per reporter and article (``byline_once``), so the join repeats no item.
        return Q(bylines__reporter=obj)

    def title(self, obj: Reporter) -> str:
        return f"{self.outlet.title} - {obj.name} {obj.title}"

    def link(self, obj: Reporter) -> str:
        return canonical.absolute(obj.get_absolute_url(), self.request)

    def description(self, obj: Reporter) -> str:
        return escape(f"{self.outlet.title} {obj.name} {obj.title}의 기사")
