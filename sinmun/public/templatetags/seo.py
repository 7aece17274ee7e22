"""Tags for what machines read in a page's head: feed links, canonical URL, JSON-LD, OG.

The data comes from ``sinmun.syndication`` (``structured``, ``canonical``); these tags only
place it in the page.
"""

import functools

from django import template
from django.utils.html import format_html, format_html_join

from sinmun.newsroom import selectors
from sinmun.newsroom.models import Article, Reporter, Section, Series
from sinmun.syndication import canonical, structured

from .. import links

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context):
    """Advertise the feeds that belong to the page: the site's, and its section's, series' or
    reporter's (the article page: its section's).

    On every page, outside any fragment: the links are built here rather than by an inclusion
    template, and each feed's address and the links' markup are worked out once per process.
    """
    outlet = context.get("outlet") or selectors.outlet()
    feeds = [(outlet.title, links.url("syndication:feed"))]
    section = context.get("section")
    article = context.get("article")
    if not isinstance(section, Section) and isinstance(article, Article):
        section = article.section
    if isinstance(section, Section):
        url = links.url("syndication:section_feed", section.slug)
        feeds.append((f"{outlet.title} - {section.name}", url))
    series = context.get("series")
    if isinstance(series, Series):
        url = links.url("syndication:series_feed", series.slug)
        feeds.append((f"{outlet.title} - [{series.name}]", url))
    reporter = context.get("reporter")
    if isinstance(reporter, Reporter):
        url = links.url("syndication:reporter_feed", reporter.slug)
        feeds.append((f"{outlet.title} - {reporter.name} {reporter.title}", url))
    return _feed_links(tuple(feeds))


FEED_LINK = '<link rel="alternate" type="application/rss+xml" title="{}" href="{}">\n'


@functools.lru_cache(maxsize=1024)
def _feed_links(feeds: tuple[tuple[str, str], ...]) -> str:
    return format_html("{}\n", format_html_join("", FEED_LINK, feeds))


@register.inclusion_tag("public/includes/seo_article.html", takes_context=True)
def article_seo(context, article: Article, reporters: list[Reporter]):
    """Render the article's canonical link, Open Graph, Twitter card and JSON-LD."""
    request = context.get("request")
    outlet = context.get("outlet") or selectors.outlet()
    image = structured.share_image(article, outlet, request)
    return {
        "article": article,
        "outlet": outlet,
        "canonical": canonical.absolute(article.get_absolute_url(), request),
        "description": structured.description(article),
        "published": structured.w3c(article.first_published_at),
        "modified": structured.w3c(article.updated_at or article.first_published_at),
        "image": image,
        "reporter_urls": [canonical.absolute(p.get_absolute_url(), request) for p in reporters],
        "keywords": [word.name for word in article.keywords.all()],
        "news_article": structured.json_ld(
            structured.news_article(
                article=article, reporters=reporters, outlet=outlet, request=request
            )
        ),
        "breadcrumbs": structured.json_ld(structured.breadcrumbs(article=article, request=request)),
    }


@register.filter
def seo_description(article: Article) -> str:
    """Return the meta description: the first 부제 line, else an excerpt of the body."""
    return structured.description(article)
