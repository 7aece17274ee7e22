"""Writing checked ninjs items through the newsroom services: all of a file or nothing."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from sinmun.newsroom import services
from sinmun.newsroom.actors import Actor
from sinmun.newsroom.models import Section, Series

from .parsing import SUBJECT_URI_PREFIX, ItemError, NinjsError, Subject, parse_all


def _slug_from(subject: Subject, kind: str) -> str | None:
    prefix = f"{SUBJECT_URI_PREFIX}{kind}:"
    if subject.uri and subject.uri.startswith(prefix):
        return subject.uri[len(prefix) :]
    return None


def _section(subject: Subject, *, by: Actor) -> Section:
    slug = _slug_from(subject, "section")
    found = (Section.objects.filter(slug=slug).first() if slug else None) or Section.objects.filter(
        name=subject.name
    ).order_by("parent_id", "id").first()
    if found:
        return found
    base = slug or slugify(subject.name) or "section"
    return services.section_create(
        by=by, name=subject.name, slug=_free_slug(Section, base), order=Section.objects.count()
    )


def _series(subject: Subject, *, by: Actor) -> Series:
    slug = _slug_from(subject, "series")
    found = (Series.objects.filter(slug=slug).first() if slug else None) or Series.objects.filter(
        name=subject.name
    ).first()
    if found:
        return found
    return services.series_create(
        by=by, name=subject.name, slug=_free_slug(Series, slug or slugify(subject.name) or "series")
    )


def _free_slug(model, base: str) -> str:
    base = re.sub(r"[^a-z0-9-]+", "-", base.lower()).strip("-")[:50] or model._meta.model_name
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@dataclass
class ImportedItem:
    uri: str
    path: str
    created: bool


def import_items(raw_items: Iterable[object], *, by: Actor) -> list[ImportedItem]:
    """Import every item or none; raise ``NinjsError`` naming each bad item and field."""
    parsed = parse_all(list(raw_items))
    results = []
    with transaction.atomic():
        for item in parsed:
            try:
                article, created = services.article_import(
                    by=by,
                    uri=item.uri,
                    status=item.status,
                    first_published_at=item.first_published_at,
                    updated_at=item.updated_at,
                    headline=item.headline,
                    subheadlines=item.subheadlines,
                    body=item.body,
                    section=_section(item.section, by=by),
                    series=_series(item.series, by=by) if item.series else None,
                    reporters=[services.reporter_for_name(by=by, name=n) for n in item.reporters],
                    keywords=item.keywords,
                    lead_photo=item.photo.get("name") or None,
                    lead_photo_caption=item.photo.get("caption", ""),
                    lead_photo_credit=item.photo.get("credit", ""),
                )
            except ValidationError as error:
                raise NinjsError(
                    [ItemError(item.index, item.uri, "item", m) for m in error.messages]
                ) from None
            results.append(ImportedItem(item.uri, article.get_absolute_url(), created))
    return results
