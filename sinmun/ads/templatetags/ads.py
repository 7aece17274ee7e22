"""``{% ads_head %}`` (in the page's head) and ``{% ad_slot "name" %}`` (where a banner goes).

A slot renders its labelled box, already at its final size, only at the breakpoints where the
inventory has something for it (a campaign or a house ad for this section); elsewhere it renders
nothing and leaves no gap. What goes into the box is chosen per page view by
``static/ads/ads.js`` from the ``serve`` endpoint, so a page from the page cache still rotates.
"""

import logging

from django import template
from django.db import DatabaseError
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import inventory
from ..slots import BREAKPOINTS, SLOTS

register = template.Library()
logger = logging.getLogger(__name__)
NO_INVENTORY = "광고 목록을 읽지 못해 광고 없이 보여 줍니다."


def _section_id(context) -> int | None:
    article = context.get("article")
    if article is not None and getattr(article, "section_id", None):
        return article.section_id
    section = context.get("section")
    return getattr(section, "pk", None)


def _stock():
    """Return the inventory, or None when the database cannot be read (an error page must
    still render: it shows no banner rather than failing)."""
    try:
        return inventory.current()
    except DatabaseError:
        logger.warning(NO_INVENTORY, exc_info=True)
        return None


@register.simple_tag
def ads_head():
    """Return the ads stylesheet and the deferred script, or nothing when no ad is booked."""
    stock = _stock()
    if stock is None or not stock.offers:
        return ""
    return format_html(
        '<link rel="stylesheet" href="{}">\n<script src="{}" defer data-serve="{}" data-view="{}">'
        "</script>",
        static("ads/ads.css"),
        static("ads/ads.js"),
        reverse("ads:serve"),
        reverse("ads:view"),
    )


@register.inclusion_tag("ads/slot.html", takes_context=True)
def ad_slot(context, name: str):
    slot = SLOTS[name]
    section_id = _section_id(context)
    stock = _stock()
    fill = (
        inventory.fillable(stock, slot=slot, section_id=section_id, now=timezone.now())
        if stock is not None
        else ()
    )
    return {
        "slot": slot,
        "fill": fill,
        "off": [b for b in BREAKPOINTS if b not in fill],
        "section_id": section_id,
    }
