"""Every write to the legal pages: 관리자 only, sanitised, announced so cached pages refresh."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sinmun.newsroom import access, actors, bodyhtml, followups
from sinmun.newsroom.actors import Actor
from sinmun.newsroom.followups import Event, Happened

from .models import LegalPage

NOT_ALLOWED = "법적 고지 페이지는 관리자만 고칠 수 있습니다."
UNKNOWN_PAGE = "없는 법적 고지 페이지입니다."
TITLE_REQUIRED = "제목을 입력하세요."
TITLE_TOO_LONG = "제목은 100자 이내로 입력하세요."
BODY_REQUIRED = "본문을 입력하세요."
TITLE_MAX = 100
KIND = "legal"


def _require_manage(by: Actor) -> None:
    if not access.may_manage_outlet(by):
        raise PermissionDenied(NOT_ALLOWED)


def _check_slug(slug: str) -> None:
    if slug not in LegalPage.Slug.values:
        raise ValidationError(UNKNOWN_PAGE, code="slug")


def _announce(page_id: int | None, by: Actor) -> None:
    followups.announce(
        Happened(Event.SITE_CHANGED, kind=KIND, object_id=page_id, actor=actors.name_of(by))
    )


@transaction.atomic
def legal_page_update(*, slug: str, by: Actor, title: str, body: str) -> LegalPage:
    """Replace the text of legal page ``slug`` (관리자 only); the body is sanitised HTML."""
    _require_manage(by)
    _check_slug(slug)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(TITLE_REQUIRED, code="title")
    if len(title) > TITLE_MAX:
        raise ValidationError(TITLE_TOO_LONG, code="title")
    clean = bodyhtml.sanitize(body or "")
    if not bodyhtml.to_text(clean).strip():
        raise ValidationError(BODY_REQUIRED, code="body")
    page, _ = LegalPage.objects.update_or_create(
        slug=slug,
        defaults={"title": title, "body": clean, "updated_by": actors.name_of(by)},
    )
    _announce(page.pk, by)
    return page


@transaction.atomic
def legal_page_reset(*, slug: str, by: Actor) -> None:
    """Drop the edited text of page ``slug`` so readers see its default text again."""
    _require_manage(by)
    _check_slug(slug)
    deleted, _ = LegalPage.objects.filter(slug=slug).delete()
    if deleted:
        _announce(None, by)
