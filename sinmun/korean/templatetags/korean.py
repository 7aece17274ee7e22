"""Template filters for Korean dates, relative times and excerpts.

Load with ``{% load korean %}``. Every filter returns ``""`` for ``None`` and for
the empty string, which is what Django substitutes for a missing variable, so a
page with an unpublished article shows a blank instead of failing. Naive
datetimes still raise: they are a bug upstream, not missing data.

No filter marks its output safe: ``excerpt`` in particular sees raw article text,
which must go through autoescaping like any other user-supplied string.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template

from sinmun.korean import dates, excerpts, particles

register = template.Library()


def _is_blank(value: Any) -> bool:
    return value is None or value == ""


@register.filter(name="date_strip")
def date_strip(value: datetime | date | None) -> str:
    """Render ``2025.12.31 (수)``."""
    return "" if _is_blank(value) else dates.date_strip(value)


@register.filter(name="timestamp")
def timestamp(value: datetime | None) -> str:
    """Render ``2025.06.13 10:12`` in KST."""
    return "" if _is_blank(value) else dates.timestamp(value)


@register.filter(name="relative_time")
def relative_time(value: datetime | None) -> str:
    """Render ``방금 전``, ``5분 전``, ``어제`` … relative to the current time."""
    return "" if _is_blank(value) else dates.relative(value)


@register.filter(name="weekday")
def weekday(value: datetime | date | None) -> str:
    """Render the one-syllable weekday, ``수``."""
    return "" if _is_blank(value) else dates.weekday(value)


@register.filter(name="excerpt")
def excerpt(value: Any, limit: int | str = 120) -> str:
    """Render at most ``limit`` characters of ``value``, cut between words."""
    if _is_blank(value):
        return ""
    # Cutting may split an HTML entity or tag, so even text marked safe must not
    # stay safe. str.__str__ returns a plain str copy even for a SafeString
    # (str() and "%s" would keep the subclass), so autoescape applies.
    return str.__str__(excerpts.excerpt(str(value), int(limit)))


@register.filter(name="object_particle")
def object_particle(value: Any) -> str:
    """Return 을/를 for the word before it: ``{{ word }}{{ word|object_particle }}``."""
    return "" if _is_blank(value) else particles.object_particle(str(value))
