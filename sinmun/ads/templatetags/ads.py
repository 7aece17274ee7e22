"""``{% ads_head %}`` (in the page's head) and ``{% ad_slot "name" %}`` (where a banner goes).

A slot renders its labelled box, already at its final size, only at the breakpoints where the
inventory has something for it (a campaign or a house ad for this section); elsewhere it renders
nothing and leaves no gap. What goes into the box is chosen per page view by
``static/ads/ads.js`` from the ``serve`` endpoint, so a page from the page cache still rotates.
"""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import inventory
from ..slots import BREAKPOINTS, SLOTS

register = template.Library()


def _section_id(context) -> int | None:
    article = context.get("article")
    if article is not None and getattr(article, "section_id", None):
        return article.section_id
    section = context.get("section")
    return getattr(section, "pk", None)


@register.simple_tag
def ads_head():
    """Return the ads stylesheet and the deferred script, or nothing when no ad is booked."""
    if not inventory.current().offers:
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
    fill = inventory.fillable(
        inventory.current(), slot=slot, section_id=section_id, now=timezone.now()
    )
    return {
        "slot": slot,
        "fill": fill,
        "off": [b for b in BREAKPOINTS if b not in fill],
        "section_id": section_id,
    }
