from django import template

from sinmun.newsroom import selectors

register = template.Library()


@register.filter
def teaser_text(article):
    """Return the teaser source text: byline, then body."""
    return selectors.article_teaser_text(article)


@register.filter
def byline(article):
    return selectors.article_byline(article)
