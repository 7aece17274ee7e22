from datetime import date, datetime

from django import template

from sinmun.korean.dates import to_kst
from sinmun.newsroom import selectors

register = template.Library()


@register.filter
def w3c(value: datetime | date | None) -> str:
    """Return ``value`` in W3C date-time form in KST (``2026-12-06T09:30:00+09:00``).

    Django's ``date`` filter has no offset with a colon except in ``c``, which adds
    microseconds; sitemaps and JSON-LD read better without them.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_kst(value).replace(microsecond=0).isoformat()
    return value.isoformat()


@register.simple_tag
def publication_name() -> str:
    """Return the name Google News shows for the outlet (its 매체명)."""
    return selectors.outlet().name
