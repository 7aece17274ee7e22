"""Views for crawlers: the sitemap index and files, the Google News sitemap and robots.txt.

Each answers a conditional GET with 304 through Django's ``condition`` decorator (validators in
``freshness``). The sitemap files themselves are rendered by Django's sitemap view.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import condition, require_safe

from . import canonical, freshness, sitemaps

SITEMAP_CONTENT_TYPE = "application/xml; charset=utf-8"
# Crawlers need not walk the desk or endless search result pages.
ROBOTS_DISALLOW = ("/desk/", "/search/")


def _changed(request, **kwargs) -> datetime | None:
    return freshness.last_change()


def _tag(request, **kwargs) -> str:
    return freshness.etag(request, freshness.last_change())


def _news_tag(request, **kwargs) -> str:
    # The two-day window moves with the clock: a new hour is a new ETag even with no change.
    hour = timezone.now().strftime("%Y%m%d%H")
    return freshness.etag(request, freshness.last_change(), hour)


@dataclass(frozen=True)
class IndexEntry:
    location: str
    last_mod: datetime | None


@require_safe
@condition(etag_func=_tag, last_modified_func=_changed)
def index(request):
    """Return the sitemap index: every file of ``sitemaps.sitemaps()`` and the news sitemap.

    Written here rather than with Django's index view, which takes the host from the request
    and would ignore ``SINMUN_SITE_URL``.
    """
    entries = []
    for name, sitemap in sitemaps.sitemaps(request).items():
        location = canonical.absolute(
            reverse("syndication:sitemap", kwargs={"section": name}), request
        )
        last_mod = sitemap.get_latest_lastmod()
        entries.append(IndexEntry(location, last_mod))
        entries.extend(
            IndexEntry(f"{location}?p={page}", last_mod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        )
    entries.append(IndexEntry(canonical.absolute(reverse("syndication:news"), request), None))
    return TemplateResponse(
        request,
        "syndication/sitemap_index.xml",
        {"sitemaps": entries},
        content_type=SITEMAP_CONTENT_TYPE,
        headers={"X-Robots-Tag": "noindex"},
    )


@require_safe
@condition(etag_func=_tag, last_modified_func=_changed)
def sitemap(request, section: str):
    """Return one sitemap file of the index (``sitemap-<section>.xml``)."""
    return sitemap_views.sitemap(
        request,
        sitemaps=sitemaps.sitemaps(request),
        section=section,
        template_name="syndication/sitemap.xml",
        content_type=SITEMAP_CONTENT_TYPE,
    )


@require_safe
@condition(etag_func=_news_tag)
def news(request):
    """Return the Google News sitemap (the last two days, at most 1,000 articles)."""
    return sitemap_views.sitemap(
        request,
        sitemaps={"news": sitemaps.NewsSitemap(request)},
        section="news",
        template_name="syndication/sitemap_news.xml",
        content_type=SITEMAP_CONTENT_TYPE,
    )


@require_safe
def robots(request):
    """Return robots.txt: what crawlers may skip, and where the sitemaps are."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    for name in ("syndication:index", "syndication:news"):
        lines.append(f"Sitemap: {canonical.absolute(reverse(name), request)}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
