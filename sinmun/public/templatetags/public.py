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


@register.inclusion_tag("public/includes/banner.html", takes_context=True)
def banner_slot(context, name):
    """Render the banner booked for slot ``name``; an empty slot renders nothing.

    The ads app fills ``banners`` (slot name → banner) in the context; until a banner is booked
    the page carries no empty box.
    """
    banners = context.get("banners") or {}
    return {"slot": name, "banner": banners.get(name)}
