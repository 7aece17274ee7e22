"""Every write to an article: one keyword-only function per editorial action.

Each action asks ``access`` whether its actor may do it (an explicit user or system actor,
never ``None``), validates, changes state in one transaction, writes an ``ArticleRevision`` as
the audit record, and announces what happened (``followups``): search, the page cache and the
apps to come react to the announcement. The desk, the API and the command line all call these
functions, so they behave identically.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from .. import access, actors, followups
from ..actors import Actor
from ..followups import Event, Happened
from ..models import Article, ArticleReporter, ArticleRevision, Keyword, Reporter
from .cleaning import (
    BODY_REQUIRED,
    HEADLINE_REQUIRED,
    clean_body,
    clean_headline,
    clean_line,
    clean_photo,
    clean_subheadlines,
)
from .taxonomy import keyword_for_name

SECTION_REQUIRED = "섹션을 고르세요."
NOT_ALLOWED_TO_EDIT = "기사를 작성·수정할 권한이 없습니다."
NOT_ALLOWED_TO_EDIT_LIVE = "출고된 기사는 출고 권한이 있어야 고칠 수 있습니다."
NOT_ALLOWED_TO_PUBLISH = "기사를 출고할 권한이 없습니다."
CANNOT_SUBMIT = "작성 중인 기사만 송고할 수 있습니다."
CANNOT_WITHDRAW = "출고된 기사만 출고 취소할 수 있습니다."
ALREADY_PUBLISHED = "이미 출고된 기사입니다."

ARTICLE_FIELDS = {
    "headline",
    "subheadlines",
    "body",
    "section",
    "series",
    "reporters",
    "keywords",
    "lead_photo",
    "lead_photo_caption",
    "lead_photo_credit",
    "is_top",
}


def _require_edit(by: Actor, article: Article) -> None:
    if access.may_edit_article(by, article):
        return
    if by.has_perm(actors.CHANGE):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT_LIVE)
    raise PermissionDenied(NOT_ALLOWED_TO_EDIT)


def _require_release(by: Actor, article: Article) -> None:
    if not access.may_release_article(by, article):
        raise PermissionDenied(NOT_ALLOWED_TO_PUBLISH)


def _actor_fields(by: Actor) -> dict[str, object]:
    """Return the revision's ``by`` (a user row) and ``actor`` (a system actor's name)."""
    if isinstance(by, actors.SystemActor):
        return {"by": None, "actor": by.name}
    return {"by": by if by.is_authenticated else None, "actor": ""}


def _announce(event: Event, article: Article, by: Actor) -> None:
    name = actors.name_of(by)
    followups.announce(Happened(event, article_id=article.pk, actor=name))


def _snapshot(article: Article) -> dict[str, object]:
    return {
        "headline": article.headline,
        "subheadlines": list(article.subheadlines),
        "body": article.body,
        "section": article.section.slug,
        "series": article.series.slug if article.series_id else None,
        "reporters": [b.reporter.name for b in article.bylines.select_related("reporter")],
        "keywords": sorted(k.name for k in article.keywords.all()),
        "status": article.status,
        "lead_photo": article.lead_photo.name or None,
        "lead_photo_caption": article.lead_photo_caption,
        "lead_photo_credit": article.lead_photo_credit,
        "first_published_at": (
            article.first_published_at.isoformat() if article.first_published_at else None
        ),
        "updated_at": article.updated_at.isoformat() if article.updated_at else None,
    }


def _record(article: Article, action: str, by: Actor, at: datetime) -> None:
    ArticleRevision.objects.create(
        article=article, action=action, snapshot=_snapshot(article), at=at, **_actor_fields(by)
    )


def _apply_fields(article: Article, changes: dict[str, object]) -> tuple[list, list | None]:
    """Validate and set ``changes`` on ``article``; return (reporters, keywords) to link later."""
    unknown = set(changes) - ARTICLE_FIELDS
    if unknown:
        raise TypeError(f"unknown article fields: {sorted(unknown)}")
    if "headline" in changes:
        article.headline = clean_headline(changes["headline"])
    if "subheadlines" in changes:
        article.subheadlines = clean_subheadlines(changes["subheadlines"])
    if "body" in changes:
        article.body, article.body_text = clean_body(changes["body"])
    for name in ("section", "series", "is_top"):
        if name in changes:
            setattr(article, name, changes[name])
    for name in ("lead_photo_caption", "lead_photo_credit"):
        if name in changes:
            setattr(article, name, clean_line(str(changes[name] or "")))
    if changes.get("lead_photo") is not None:
        photo = changes["lead_photo"]
        if isinstance(photo, File):
            clean_photo(photo)
            article.lead_photo.save(photo.name, photo, save=False)
        else:
            article.lead_photo.name = str(photo)
    reporters = list(changes["reporters"]) if "reporters" in changes else None
    keywords = None
    if "keywords" in changes:
        keywords = [
            k if isinstance(k, Keyword) else keyword_for_name(name=k) for k in changes["keywords"]
        ]
    return reporters, keywords


def _link(
    article: Article, reporters: Sequence[Reporter] | None, keywords: Iterable | None
) -> None:
    if reporters is not None:
        article.bylines.all().delete()
        seen: set[int] = set()
        rows = []
        for reporter in reporters:
            if reporter.pk not in seen:
                seen.add(reporter.pk)
                rows.append(ArticleReporter(article=article, reporter=reporter, order=len(rows)))
        ArticleReporter.objects.bulk_create(rows)
    if keywords is not None:
        article.keywords.set(list(dict.fromkeys(keywords)))


@transaction.atomic
def article_create(*, by: Actor, uri: str | None = None, **fields: object) -> Article:
    """Create a draft article (작성 중) and its first revision."""
    if not access.may_create_article(by):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    for name, message in (
        ("headline", HEADLINE_REQUIRED),
        ("body", BODY_REQUIRED),
        ("section", SECTION_REQUIRED),
    ):
        if fields.get(name) is None:
            raise ValidationError(message, code=name)
    article = Article()
    reporters, keywords = _apply_fields(article, fields)
    article.uri = uri or f"urn:sinmun:article:{article.public_id}"
    article.full_clean(exclude=["lead_photo"])
    article.save()
    _link(article, reporters, keywords)
    _record(article, ArticleRevision.Action.CREATE, by, timezone.now())
    return article


@transaction.atomic
def article_update(*, article: Article, by: Actor, **changes: object) -> Article:
    """Change an article; a change to a published article sets its 수정 time."""
    _require_edit(by, article)
    now = timezone.now()
    reporters, keywords = _apply_fields(article, changes)
    published = article.status == Article.Status.PUBLISHED
    if published and access.article_is_public(article):  # not before an embargo's 입력 time
        article.updated_at = now
    article.full_clean(exclude=["lead_photo"])
    article.save()
    _link(article, reporters, keywords)
    _record(article, ArticleRevision.Action.UPDATE, by, now)
    if published:
        _announce(Event.UPDATED, article, by)
    return article


@transaction.atomic
def article_submit(*, article: Article, by: Actor) -> Article:
    """Send a draft to the desk (송고)."""
    if not access.may_submit_article(by, article):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    if article.status != Article.Status.DRAFT:
        raise ValidationError(CANNOT_SUBMIT, code="status")
    article.status = Article.Status.SUBMITTED
    article.save(update_fields=["status", "modified_at"])
    _record(article, ArticleRevision.Action.SUBMIT, by, timezone.now())
    return article


@transaction.atomic
def article_publish(*, article: Article, by: Actor, at: datetime | None = None) -> Article:
    """Release an article to readers (출고); its 입력 time is the first publication.

    ``at`` in the future is an embargo: the article is released but no reader sees it before
    then; the worker's sweep announces ``EMBARGO_LIFTED`` when the time comes.
    """
    _require_release(by, article)
    if article.status == Article.Status.PUBLISHED:
        # Nothing to release: a second 출고 must not set a 수정 time or announce anything.
        raise ValidationError(ALREADY_PUBLISHED, code="status")
    now = timezone.now()
    article.status = Article.Status.PUBLISHED
    if article.first_published_at is None:
        article.first_published_at = at or now
    elif article.updated_at is None or article.updated_at < now:
        # A re-release after withdrawal is a public change.
        article.updated_at = now
    article.save(update_fields=["status", "first_published_at", "updated_at", "modified_at"])
    _record(article, ArticleRevision.Action.PUBLISH, by, now)
    _announce(Event.PUBLISHED, article, by)
    return article


@transaction.atomic
def article_withdraw(*, article: Article, by: Actor) -> Article:
    """Take a published article off the site (출고 취소); its URL answers 410 Gone."""
    _require_release(by, article)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError(CANNOT_WITHDRAW, code="status")
    article.status = Article.Status.WITHDRAWN
    article.save(update_fields=["status", "modified_at"])
    _record(article, ArticleRevision.Action.WITHDRAW, by, timezone.now())
    _announce(Event.WITHDRAWN, article, by)
    return article


@transaction.atomic
def article_import(
    *,
    by: Actor,
    uri: str,
    status: str,
    first_published_at: datetime | None,
    updated_at: datetime | None,
    embargoed: bool = False,
    release_at: datetime | None = None,
    **fields: object,
) -> tuple[Article, bool]:
    """Create or update the article with ninjs ``uri`` exactly as given; return (article, created).

    Import takes the item's own 입력/수정 times and status instead of the clock, because a wire
    item or a migrated archive already has them. An item under embargo is imported either
    released with its 입력 time at the embargo's end and ``embargoed`` set, or (not released
    yet) with ``release_at`` at the embargo's end, which the desk's 출고 then uses.
    """
    article = Article.objects.filter(uri=uri).first()
    created = article is None
    if created:
        if not access.may_create_article(by):
            raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
        article = Article(uri=uri)
    else:
        _require_edit(by, article)
    was_published = article.status == Article.Status.PUBLISHED
    if status != Article.Status.DRAFT or article.status != Article.Status.DRAFT:
        _require_release(by, article)
    reporters, keywords = _apply_fields(article, fields)
    article.status = status
    article.first_published_at = first_published_at
    article.updated_at = updated_at
    article.embargoed = embargoed
    article.release_at = release_at
    article.full_clean(exclude=["lead_photo"])
    article.save()
    _link(article, reporters, keywords)
    _record(article, ArticleRevision.Action.IMPORT, by, timezone.now())
    if status == Article.Status.PUBLISHED:
        _announce(Event.UPDATED if was_published else Event.PUBLISHED, article, by)
    elif not created:
        # An item re-sent as withheld or canceled takes a live article off the site.
        _announce(Event.WITHDRAWN, article, by)
    return article, created
