"""Every write to the newsroom: one keyword-only function per editorial action.

Each action checks permission (``by=None`` is the system itself: the demo loader, the importer run
from a shell), validates, changes state in one transaction, writes an ``ArticleRevision`` as the
audit record, and runs its follow-ups (cache purge now; search index and related refresh join here
when those apps land). The desk, the API and the command line all call these functions, so they
behave identically.
"""

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from sinmun.search import indexing

from . import bodyhtml, generation
from .models import (
    Article,
    ArticleReporter,
    ArticleRevision,
    Keyword,
    OutletSettings,
    Reporter,
    Section,
    Series,
)

HEADLINE_REQUIRED = "제목을 입력하세요."
HEADLINE_TOO_LONG = "제목은 300자를 넘을 수 없습니다."
SUBHEADLINES_NOT_LIST = "부제는 문자열 목록이어야 합니다."
SUBHEADLINES_TOO_MANY = "부제는 6줄까지 쓸 수 있습니다."
SUBHEADLINE_TOO_LONG = "부제 한 줄은 200자를 넘을 수 없습니다."
BODY_REQUIRED = "본문을 입력하세요."
SECTION_REQUIRED = "섹션을 고르세요."
SECTION_TOO_DEEP = "섹션은 두 단계까지만 만들 수 있습니다."
KEYWORD_INVALID = "키워드는 1~50자여야 합니다."
PHOTO_TOO_LARGE = "사진은 20MB를 넘을 수 없습니다."
PHOTO_NOT_IMAGE = "사진 파일을 읽을 수 없습니다 (JPEG, PNG, WebP, GIF만 됩니다)."
NOT_ALLOWED_TO_EDIT = "기사를 작성·수정할 권한이 없습니다."
NOT_ALLOWED_TO_PUBLISH = "기사를 출고할 권한이 없습니다."
NOT_ALLOWED_TO_MANAGE = "매체 설정을 바꿀 권한이 없습니다."
CANNOT_SUBMIT = "작성 중인 기사만 송고할 수 있습니다."
CANNOT_WITHDRAW = "출고된 기사만 출고 취소할 수 있습니다."

logger = logging.getLogger(__name__)

OUTLET_CACHE_KEY = "newsroom:outlet"
NAVIGATION_CACHE_KEY = "newsroom:navigation"

MAX_SUBHEADLINES = 6
MAX_PHOTO_BYTES = 20 * 1024 * 1024
# Larger than any camera's output; a bigger claimed size is a decompression bomb.
MAX_PHOTO_PIXELS = 60_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Control characters (C0 but tab and newline, DEL, C1) never belong in a headline or 부제.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

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

User = AbstractBaseUser | None


def _require(by: User, perm: str, message: str) -> None:
    if by is not None and not by.has_perm(f"newsroom.{perm}"):
        raise PermissionDenied(message)


def clean_line(value: str) -> str:
    """Return one line of text NFC-normalised, without control characters, spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", value)).split())


def clean_headline(value: object) -> str:
    """Return the normalised headline or raise ``ValidationError``."""
    if not isinstance(value, str) or not clean_line(value):
        raise ValidationError(HEADLINE_REQUIRED, code="headline")
    headline = clean_line(value)
    if len(headline) > 300:
        raise ValidationError(HEADLINE_TOO_LONG, code="headline")
    return headline


def clean_subheadlines(value: object) -> list[str]:
    """Return the normalised 부제 lines (empty lines dropped) or raise ``ValidationError``."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(SUBHEADLINES_NOT_LIST, code="subheadlines")
    lines = [line for line in (clean_line(v) for v in value) if line]
    if len(lines) > MAX_SUBHEADLINES:
        raise ValidationError(SUBHEADLINES_TOO_MANY, code="subheadlines")
    if any(len(line) > 200 for line in lines):
        raise ValidationError(SUBHEADLINE_TOO_LONG, code="subheadlines")
    return lines


def clean_body(value: object) -> tuple[str, str]:
    """Return ``(sanitised_html, plain_text)`` or raise ``ValidationError``."""
    if not isinstance(value, str):
        raise ValidationError(BODY_REQUIRED, code="body")
    body = bodyhtml.sanitize(unicodedata.normalize("NFC", value))
    text = bodyhtml.to_text(body)
    if not text:
        raise ValidationError(BODY_REQUIRED, code="body")
    return body, text


def clean_keyword(value: str) -> str:
    """Return the keyword normalised (NFC, single spaces) or raise ``ValidationError``."""
    name = clean_line(value) if isinstance(value, str) else ""
    if not 1 <= len(name) <= 50 or "/" in name:
        raise ValidationError(KEYWORD_INVALID, code="keyword")
    return name


def clean_photo(photo: File) -> None:
    """Raise ``ValidationError`` unless ``photo`` is a modest JPEG, PNG, WebP or GIF image."""
    if photo.size is not None and photo.size > MAX_PHOTO_BYTES:
        raise ValidationError(PHOTO_TOO_LARGE, code="photo")
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            if image.format not in PHOTO_FORMATS:
                raise ValidationError(PHOTO_NOT_IMAGE, code="photo")
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise ValidationError(PHOTO_TOO_LARGE, code="photo")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(PHOTO_NOT_IMAGE, code="photo") from None
    finally:
        photo.seek(0)


def _purge_site_caches() -> None:
    cache.delete_many([OUTLET_CACHE_KEY, NAVIGATION_CACHE_KEY])
    generation.bump()


def outlet_update(*, by: User, **fields: object) -> OutletSettings:
    """Change the outlet's name and legal block; every page shows them."""
    _require(by, "change_outletsettings", NOT_ALLOWED_TO_MANAGE)
    outlet, _ = OutletSettings.objects.get_or_create(pk=1)
    for name, value in fields.items():
        setattr(outlet, name, value)
    outlet.full_clean()
    outlet.save()
    transaction.on_commit(_purge_site_caches)
    return outlet


def section_create(
    *, name: str, slug: str, parent: Section | None = None, order: int = 0
) -> Section:
    """Create a section; sections nest two levels at most (정치 › 국회)."""
    if parent is not None and parent.parent_id is not None:
        raise ValidationError(SECTION_TOO_DEEP, code="section")
    section = Section(name=clean_line(name), slug=slug, parent=parent, order=order)
    section.full_clean()
    section.save()
    transaction.on_commit(_purge_site_caches)
    return section


def series_create(*, name: str, slug: str, description: str = "") -> Series:
    """Create a 연재/코너."""
    series = Series(name=clean_line(name), slug=slug, description=description)
    series.full_clean()
    series.save()
    return series


def _unique_slug(model: type[Reporter], base: str) -> str:
    base = slugify(base, allow_unicode=False) or "reporter"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def reporter_create(
    *,
    name: str,
    slug: str | None = None,
    title: str = Reporter.Title.REPORTER,
    email: str = "",
    bio: str = "",
    active: bool = True,
) -> Reporter:
    """Create a reporter; without a slug, one is made from the id space (names are Korean)."""
    reporter = Reporter(
        name=clean_line(name),
        slug=slug or _unique_slug(Reporter, "reporter"),
        title=title,
        email=email,
        bio=bio,
        active=active,
    )
    reporter.full_clean()
    reporter.save()
    return reporter


def reporter_for_name(*, name: str) -> Reporter:
    """Return the reporter called ``name``, creating an active 기자 if there is none."""
    cleaned = clean_line(name)
    existing = Reporter.objects.filter(name=cleaned).order_by("id").first()
    return existing or reporter_create(name=cleaned)


def keyword_for_name(*, name: str) -> Keyword:
    """Return the keyword ``name``, creating it if needed."""
    keyword, _ = Keyword.objects.get_or_create(name=clean_keyword(name))
    return keyword


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


def _record(article: Article, action: str, by: User, at: datetime) -> None:
    ArticleRevision.objects.create(
        article=article, action=action, snapshot=_snapshot(article), by=by, at=at
    )


def _reindex(article_id: int) -> None:
    try:
        indexing.article_changed(article_id)
    except Exception:
        # The change itself is committed; a failed index update must not undo or hide it.
        # `sinmun reindex` picks the article up again (its index row is missing or older).
        logger.exception("search index update failed for article %s", article_id)


def _after_public_change(article: Article) -> None:
    """Run the follow-ups of a change readers can see: search index, then caches."""
    article_id = article.pk
    transaction.on_commit(lambda: _reindex(article_id))
    transaction.on_commit(_purge_site_caches)


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
def article_create(*, by: User, uri: str | None = None, **fields: object) -> Article:
    """Create a draft article (작성 중) and its first revision."""
    _require(by, "add_article", NOT_ALLOWED_TO_EDIT)
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
def article_update(*, article: Article, by: User, **changes: object) -> Article:
    """Change an article; a change to a published article sets its 수정 time."""
    _require(by, "change_article", NOT_ALLOWED_TO_EDIT)
    now = timezone.now()
    reporters, keywords = _apply_fields(article, changes)
    published = article.status == Article.Status.PUBLISHED
    if published:
        article.updated_at = now
    article.full_clean(exclude=["lead_photo"])
    article.save()
    _link(article, reporters, keywords)
    _record(article, ArticleRevision.Action.UPDATE, by, now)
    if published:
        _after_public_change(article)
    return article


@transaction.atomic
def article_submit(*, article: Article, by: User) -> Article:
    """Send a draft to the desk (송고)."""
    _require(by, "change_article", NOT_ALLOWED_TO_EDIT)
    if article.status != Article.Status.DRAFT:
        raise ValidationError(CANNOT_SUBMIT, code="status")
    article.status = Article.Status.SUBMITTED
    article.save(update_fields=["status", "modified_at"])
    _record(article, ArticleRevision.Action.SUBMIT, by, timezone.now())
    return article


@transaction.atomic
def article_publish(*, article: Article, by: User, at: datetime | None = None) -> Article:
    """Release an article to readers (출고); its 입력 time is the first publication."""
    _require(by, "publish_article", NOT_ALLOWED_TO_PUBLISH)
    now = timezone.now()
    article.status = Article.Status.PUBLISHED
    if article.first_published_at is None:
        article.first_published_at = at or now
    elif article.updated_at is None or article.updated_at < now:
        # A re-release after withdrawal is a public change.
        article.updated_at = now
    article.save(update_fields=["status", "first_published_at", "updated_at", "modified_at"])
    _record(article, ArticleRevision.Action.PUBLISH, by, now)
    _after_public_change(article)
    return article


@transaction.atomic
def article_withdraw(*, article: Article, by: User) -> Article:
    """Take a published article off the site (출고 취소); its URL answers 410 Gone."""
    _require(by, "publish_article", NOT_ALLOWED_TO_PUBLISH)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError(CANNOT_WITHDRAW, code="status")
    article.status = Article.Status.WITHDRAWN
    article.save(update_fields=["status", "modified_at"])
    indexing.article_unpublished(article.pk)
    _record(article, ArticleRevision.Action.WITHDRAW, by, timezone.now())
    _after_public_change(article)
    return article


@transaction.atomic
def article_import(
    *,
    by: User,
    uri: str,
    status: str,
    first_published_at: datetime | None,
    updated_at: datetime | None,
    **fields: object,
) -> tuple[Article, bool]:
    """Create or update the article with ninjs ``uri`` exactly as given; return (article, created).

    Import takes the item's own 입력/수정 times and status instead of the clock, because a wire
    item or a migrated archive already has them.
    """
    article = Article.objects.filter(uri=uri).first()
    created = article is None
    _require(by, "add_article" if created else "change_article", NOT_ALLOWED_TO_EDIT)
    if status != Article.Status.DRAFT or (article and article.status != Article.Status.DRAFT):
        _require(by, "publish_article", NOT_ALLOWED_TO_PUBLISH)
    if created:
        article = Article(uri=uri)
    reporters, keywords = _apply_fields(article, fields)
    article.status = status
    article.first_published_at = first_published_at
    article.updated_at = updated_at
    article.full_clean(exclude=["lead_photo"])
    article.save()
    _link(article, reporters, keywords)
    if status != Article.Status.PUBLISHED:
        indexing.article_unpublished(article.pk)
    _record(article, ArticleRevision.Action.IMPORT, by, timezone.now())
    _after_public_change(article)
    return article, created
