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

from .. import access, actors, followups, photos
from ..actors import Actor
from ..followups import Event, Happened
from ..models import Article, ArticleReporter, ArticleRevision, Autosave, Keyword, Reporter
from .cleaning import (
    BODY_REQUIRED,
    HEADLINE_REQUIRED,
    clean_body,
    clean_headline,
    clean_line,
    clean_subheadlines,
)
from .taxonomy import keyword_for_name

SECTION_REQUIRED = "섹션을 고르세요."
NOT_ALLOWED_TO_EDIT = "기사를 작성·수정할 권한이 없습니다."
NOT_ALLOWED_TO_EDIT_LIVE = "출고된 기사는 출고 권한이 있어야 고칠 수 있습니다."
NOT_ALLOWED_TO_PUBLISH = "기사를 출고할 권한이 없습니다."
STALE_VERSION = (
    "다른 사람이 먼저 이 기사를 저장했습니다 ({current}판). 내 글은 그대로 남아 있으니, "
    "두 판을 비교해 합친 뒤 다시 저장하세요."
)


class StaleVersion(ValidationError):
    """A save based on a version someone else has already replaced (edit safety).

    Carries the current version number so the desk can show both side by side.
    """

    def __init__(self, current: int) -> None:
        super().__init__(STALE_VERSION.format(current=current), code="stale")
        self.current = current


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
    bylines = list(article.bylines.select_related("reporter").order_by("order", "id"))
    return {
        "headline": article.headline,
        "subheadlines": list(article.subheadlines),
        "body": article.body,
        "section": article.section.slug,
        "section_id": article.section_id,
        "series": article.series.slug if article.series_id else None,
        "series_id": article.series_id,
        "reporters": [b.reporter.name for b in bylines],
        "reporter_ids": [b.reporter_id for b in bylines],
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


def _record(article: Article, action: str, by: Actor, at: datetime, memo: str = "") -> None:
    ArticleRevision.objects.create(
        article=article,
        action=action,
        snapshot=_snapshot(article),
        at=at,
        memo=memo,
        version=article.version,
        **_actor_fields(by),
    )


def _current_version(article: Article, base_version: int | None) -> int:
    """Lock ``article``'s row and return its version; refuse one based on a replaced version.

    Read again under the lock: the caller's copy may be minutes old (an editor's form).
    """
    current = (
        Article.objects.select_for_update().values_list("version", flat=True).get(pk=article.pk)
    )
    if base_version is not None and base_version != current:
        raise StaleVersion(current)
    return current


def _lock(article: Article, base_version: int | None) -> None:
    """Lock ``article``'s row, refuse a save based on a replaced version, bump the version."""
    article.version = _current_version(article, base_version) + 1


def _reporters_in_order(ids: list[int]) -> list[Reporter]:
    """Return the reporters with ``ids`` in that (byline) order; ids of deleted rows drop out."""
    rows = {r.pk: r for r in Reporter.objects.filter(pk__in=ids)}
    return [rows[i] for i in ids if i in rows]


def _forget_autosave(article: Article | None, by: Actor) -> None:
    """Drop ``by``'s autosave of ``article``: the real save replaces it."""
    if not isinstance(by, actors.SystemActor) and by.is_authenticated:
        Autosave.objects.filter(article=article, user=by).delete()


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
            # Validated by content, metadata stripped, renditions made once (photos.py).
            article.lead_photo.name = photos.store_upload(photo)
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
    if not isinstance(by, actors.SystemActor) and by.is_authenticated:
        article.owner = by
    article.full_clean(exclude=["lead_photo"])
    article.save()
    _link(article, reporters, keywords)
    _record(article, ArticleRevision.Action.CREATE, by, timezone.now())
    _forget_autosave(None, by)
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    by: Actor,
    base_version: int | None = None,
    action: str = ArticleRevision.Action.UPDATE,
    memo: str = "",
    **changes: object,
) -> Article:
    """Change an article; a change to a published article sets its 수정 time.

    ``base_version`` is the version the editor started from: a save based on an older one is
    refused with ``StaleVersion`` and changes nothing (two editors never overwrite each other).
    """
    _require_edit(by, article)
    _lock(article, base_version)
    now = timezone.now()
    reporters, keywords = _apply_fields(article, changes)
    published = article.status == Article.Status.PUBLISHED
    if published and access.article_is_public(article):  # not before an embargo's 입력 time
        article.updated_at = now
    article.full_clean(exclude=["lead_photo"])
    article.save()
    _link(article, reporters, keywords)
    _record(article, action, by, now, memo)
    _forget_autosave(article, by)
    if published:
        _announce(Event.UPDATED, article, by)
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
        _lock(article, None)
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
