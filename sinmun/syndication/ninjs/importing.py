"""Writing checked ninjs items through the newsroom services: all of a file or nothing.

Two ways in: as the items say (``sinmun import``, an API client with the ``publish`` scope),
or into 송고 whatever they say (``submit=True``: an API client without it), where the desk
decides on release.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from sinmun.newsroom import services
from sinmun.newsroom.actors import Actor
from sinmun.newsroom.models import Article, Section, Series

from .parsing import SUBJECT_URI_PREFIX, ItemError, NinjsError, ParsedItem, Subject, parse_all

NO_SUCH_SECTION = "없는 섹션이고, 새로 만들 권한이 없습니다"
NO_SUCH_SERIES = "없는 연재이고, 새로 만들 권한이 없습니다"
NO_SUCH_REPORTER = "없는 기자이고, 새로 만들 권한이 없습니다"
LIVE_NOT_SUBMITTABLE = "출고되었거나 회수된 기사는 출고 권한 없이 고칠 수 없습니다"
EMBARGO_FIXED_AT_DESK = "송고된 기사의 엠바고는 데스크에서만 바꿀 수 있습니다"


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
    article: Article | None = None


def _refused(item: ParsedItem, field_name: str, message: str, name: str) -> NinjsError:
    return NinjsError([ItemError(item.index, item.uri, field_name, f"{message}: {name}")])


def _taxonomy(item: ParsedItem, by: Actor) -> dict[str, object]:
    """Return the item's section, series and reporters, created if missing and allowed.

    An actor without taxonomy rights (an API client) gets an item error naming what is
    missing, not a bare refusal: the sender can fix the name or ask 관리자 to add it.
    """
    try:
        section = _section(item.section, by=by)
    except PermissionDenied:
        raise _refused(item, "subjects", NO_SUCH_SECTION, item.section.name) from None
    try:
        series = _series(item.series, by=by) if item.series else None
    except PermissionDenied:
        raise _refused(item, "subjects", NO_SUCH_SERIES, item.series.name) from None
    reporters = []
    for name in item.reporters:
        try:
            reporters.append(services.reporter_for_name(by=by, name=name))
        except PermissionDenied:
            raise _refused(item, "by", NO_SUCH_REPORTER, name) from None
    return {"section": section, "series": series, "reporters": reporters}


def _fields(item: ParsedItem, by: Actor) -> dict[str, object]:
    return {
        "headline": item.headline,
        "subheadlines": item.subheadlines,
        "body": item.body,
        **_taxonomy(item, by),
        "keywords": item.keywords,
        "lead_photo": item.photo.get("name") or None,
        "lead_photo_caption": item.photo.get("caption", ""),
        "lead_photo_credit": item.photo.get("credit", ""),
    }


def _import_as_given(item: ParsedItem, by: Actor) -> tuple[Article, bool]:
    return services.article_import(
        by=by,
        uri=item.uri,
        status=item.status,
        first_published_at=item.first_published_at,
        updated_at=item.updated_at,
        embargoed=item.embargoed,
        release_at=item.release_at,
        **_fields(item, by),
    )


def _import_into_desk(item: ParsedItem, by: Actor) -> tuple[Article, bool]:
    """Write ``item`` as 송고, whatever its status says; the desk releases it.

    The 입력/수정 times are left for the desk's 출고 to set; an embargo still to come is kept
    as the release time. ``article_import`` asks for release rights for any status but 작성
    중, so a new item is imported as 작성 중 and then sent (two revisions by the same actor);
    one already at the desk is updated in place (and sent again if it was returned).
    """
    article = Article.objects.filter(uri=item.uri).first()
    if article is not None and article.status in (
        Article.Status.PUBLISHED,
        Article.Status.WITHDRAWN,
    ):
        raise PermissionDenied(LIVE_NOT_SUBMITTABLE)
    embargo = {"embargoed": item.embargo_until is not None, "release_at": item.embargo_until}
    if article is None or article.status == Article.Status.DRAFT:
        article, created = services.article_import(
            by=by,
            uri=item.uri,
            status=Article.Status.DRAFT,
            first_published_at=None,
            updated_at=None,
            **embargo,
            **_fields(item, by),
        )
        return services.article_submit(article=article, by=by), created
    if embargo != {"embargoed": article.embargoed, "release_at": article.release_at}:
        raise ValidationError(EMBARGO_FIXED_AT_DESK, code="embargo")
    article = services.article_update(article=article, by=by, **_fields(item, by))
    if article.status == Article.Status.RETURNED:
        # A corrected item sent again after 반려 goes back to the desk, as a reporter's would.
        article = services.article_submit(article=article, by=by)
    return article, False


def import_items(
    raw_items: Iterable[object], *, by: Actor, submit: bool = False
) -> list[ImportedItem]:
    """Import every item or none; raise ``NinjsError`` naming each bad item and field.

    With ``submit`` every item lands in 송고 (never released); an item that would change a
    released or withdrawn article raises ``PermissionDenied``.
    """
    parsed = parse_all(list(raw_items))
    write = _import_into_desk if submit else _import_as_given
    results = []
    with transaction.atomic():
        for item in parsed:
            try:
                article, created = write(item, by)
            except ValidationError as error:
                raise NinjsError(
                    [ItemError(item.index, item.uri, "item", m) for m in error.messages]
                ) from None
            results.append(ImportedItem(item.uri, article.get_absolute_url(), created, article))
    return results
