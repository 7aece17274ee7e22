from django import template

from sinmun.newsroom import selectors

from .. import links

register = template.Library()


@register.simple_tag
def site_url(name: str) -> str:
    """Return ``{% url name %}`` for a page without arguments, reversed once per process."""
    return links.url(name)


@register.simple_tag
def asset(path: str) -> str:
    """Return ``{% static path %}``, worked out once per process."""
    return links.asset(path)


@register.filter
def teaser_text(article):
    """Return the teaser source text: byline, then body."""
    return selectors.article_teaser_text(article)


@register.filter
def byline(article):
    return selectors.article_byline(article)
