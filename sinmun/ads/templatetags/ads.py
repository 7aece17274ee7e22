"""``{% ads_head %}`` (in the page's head) and ``{% ad_slot "name" %}`` (where a banner goes).

A slot renders its labelled box, already at its final size, only at the breakpoints where the
inventory has something for it (a campaign or a house ad for this section); elsewhere it renders
nothing and leaves no gap. What goes into the box is chosen per page view by
``static/ads/ads.js`` from the ``serve`` endpoint, so a page from the page cache still rotates.

The markup is built here with ``format_html`` rather than an inclusion template, the inventory
is read once per page (kept on the request), and each slot's box is kept with the inventory for
``MEMO_SECONDS``: with an inclusion template per slot and a lookup per tag, a render of the
article page with four filled slots cost ~8% more than without banners (``make bench-ads``).
"""

import functools
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
LABEL = "광고"
MEMO_SECONDS = 10
CLOSE = '<button type="button" class="ad-close" aria-label="광고 닫기">×</button>'


def _section_id(context) -> int | None:
    article = context.get("article")
    if article is not None and getattr(article, "section_id", None):
        return article.section_id
    section = context.get("section")
    return getattr(section, "pk", None)


def _stock(context):
    """Return the inventory (read once per request), or None when the database cannot be read:
    an error page must still render, without banners."""
    request = context.get("request")
    stock = getattr(request, "_ads_stock", None)
    if stock is not None:
        return stock
    try:
        stock = inventory.current()
    except DatabaseError:
        logger.warning(NO_INVENTORY, exc_info=True)
        return None
    if request is not None:
        request._ads_stock = stock
    return stock


@functools.cache
def _stylesheet() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("ads/ads.css"))


@functools.cache
def _head() -> str:
    return format_html(
        '<link rel="stylesheet" href="{}">\n<script src="{}" defer data-serve="{}" data-view="{}">'
        "</script>",
        static("ads/ads.css"),
        static("ads/ads.js"),
        reverse("ads:serve"),
        reverse("ads:view"),
    )


@register.simple_tag(takes_context=True)
def ads_head(context):
    """Return the ads stylesheet and the deferred script, or nothing when no ad is booked."""
    stock = _stock(context)
    if stock is None or not stock.offers:
        return ""
    if context.get("preview"):
        # The desk's 미리보기 shows the page as readers get it, boxes included, but an editor
        # looking at it is no reader: no banner is chosen or counted there.
        return _stylesheet()
    return _head()


@register.simple_tag(takes_context=True)
def ad_slot(context, name: str):
    """Return the slot's labelled box, or nothing when no banner can fill it at any width."""
    slot = SLOTS[name]
    stock = _stock(context)
    if stock is None or not stock.offers:
        return ""
    section_id = _section_id(context)
    now = timezone.now()
    # The same slot of the same section renders the same box for MEMO_SECONDS: a schedule's
    # start or end shows that much late on a render, well inside the page cache's own 60 s.
    key = (name, section_id, int(now.timestamp()) // MEMO_SECONDS)
    html = stock.memo.get(key)
    if html is None:
        html = stock.memo[key] = _box(stock, slot, section_id, now)
    return html


def _box(stock, slot, section_id, now) -> str:
    fill = inventory.fillable(stock, slot=slot, section_id=section_id, now=now)
    if not fill:
        return ""
    classes = f"ad-slot ad-{slot.format.name} ad-at-{slot.name}" + "".join(
        f" ad-off-{b}" for b in BREAKPOINTS if b not in fill
    )
    return format_html(
        '<aside class="{}" data-ad-slot="{}"{} aria-label="{}"><p class="ad-label">{}</p>'
        '<div class="ad-box"></div>{}</aside>',
        classes,
        slot.name,
        format_html(' data-ad-section="{}"', section_id) if section_id else "",
        LABEL,
        LABEL,
        format_html(CLOSE) if slot.format.name == "sticky" else "",
    )
