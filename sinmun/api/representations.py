"""Rows into the API's JSON: times in KST (``+09:00``), absolute URLs, one shape everywhere."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from sinmun.korean.excerpts import excerpt
from sinmun.newsroom import selectors as newsroom
from sinmun.newsroom.models import Article, Reporter, Section

EXCERPT_LENGTH = 120


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _kst(value: datetime | None) -> datetime | None:
    # Whole seconds, as on the pages and in ninjs from other systems: 2026-03-12T09:30:00+09:00.
    return timezone.localtime(value).replace(microsecond=0) if value else None


def section(section: Section) -> dict[str, object]:
    return {
        "slug": section.slug,
        "name": section.name,
        "parent": section.parent.slug if section.parent_id else None,
        "url": _url(section.get_absolute_url()),
    }


def reporter(reporter: Reporter) -> dict[str, object]:
    return {
        "slug": reporter.slug,
        "name": reporter.name,
        "title": reporter.title,
        "url": _url(reporter.get_absolute_url()),
    }


def article(article: Article, *, detail: bool = False) -> dict[str, object]:
    """Return ``article`` as the API shows it; ``detail`` adds the body and keywords."""
    photo = None
    if article.lead_photo:
        photo = {
            "url": _url(article.lead_photo.url),
            "caption": article.lead_photo_caption,
            "credit": article.lead_photo_credit,
        }
    data: dict[str, object] = {
        "id": article.public_id,
        "uri": article.uri,
        "url": _url(article.get_absolute_url()),
        "headline": article.headline,
        "subheadlines": list(article.subheadlines),
        "label": article.label,
        "section": {"slug": article.section.slug, "name": article.section.name},
        "series": (
            {"slug": article.series.slug, "name": article.series.name}
            if article.series_id
            else None
        ),
        "reporters": [reporter(r) for r in newsroom.article_reporters(article)],
        "byline": newsroom.article_byline(article),
        "excerpt": excerpt(article.body_text, EXCERPT_LENGTH),
        "first_published_at": _kst(article.first_published_at),
        "updated_at": _kst(article.updated_at),
        "lead_photo": photo,
    }
    if detail:
        data["body"] = article.body
        data["keywords"] = [k.name for k in article.keywords.all()]
    return data


def written(article: Article, created: bool) -> dict[str, object]:
    """Return what a write answers: where the item now stands."""
    return {
        "id": article.public_id,
        "uri": article.uri,
        "status": article.status,
        "created": created,
        "embargoed": article.embargoed,
        "first_published_at": _kst(article.first_published_at),
        "release_at": _kst(article.release_at),
        # Only a page readers can open; an item at the desk has no public address yet.
        "url": _url(article.get_absolute_url())
        if article.status == Article.Status.PUBLISHED
        else None,
    }
