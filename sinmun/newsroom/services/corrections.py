"""정정보도 · 반론보도 · 추후보도 (언론중재법 §14–17): a notice published on the original.

The notice shows above the original's headline and in the corrections list; the original's
수정 time moves to the notice's time, and readers' caches hear ``CORRECTED``.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import access
from ..actors import Actor
from ..followups import Event
from ..models import Article, ArticleRevision, Correction
from .articles import NOT_ALLOWED_TO_PUBLISH, _actor_fields, _announce, _lock, _record
from .cleaning import clean_line

CORRECTION_TEXT_REQUIRED = "정정·반론보도 내용을 입력하세요."
CORRECTION_TEXT_TOO_LONG = "정정·반론보도 내용은 5,000자를 넘을 수 없습니다."
CORRECTION_KIND_INVALID = "정정보도, 반론보도, 추후보도 가운데 하나를 고르세요."
CORRECTION_NOT_PUBLIC = "독자에게 공개된 기사에만 정정·반론보도를 붙일 수 있습니다."
CORRECTION_DATE_AHEAD = "청구일은 오늘보다 뒤일 수 없습니다."


@transaction.atomic
def correction_publish(
    *,
    article: Article,
    by: Actor,
    kind: str,
    text: str,
    requested_on: date | None = None,
    decision: str = "",
) -> Correction:
    """Publish a correction notice on ``article`` (the desk's 정정)."""
    if not access.may_release_article(by, article):
        raise PermissionDenied(NOT_ALLOWED_TO_PUBLISH)
    if kind not in Correction.Kind.values:
        raise ValidationError(CORRECTION_KIND_INVALID, code="kind")
    text = "\n".join(clean_line(line) for line in str(text or "").splitlines()).strip()
    if not text:
        raise ValidationError(CORRECTION_TEXT_REQUIRED, code="text")
    if len(text) > 5000:
        raise ValidationError(CORRECTION_TEXT_TOO_LONG, code="text")
    now = timezone.now()
    if requested_on is not None and requested_on > timezone.localdate(now):
        raise ValidationError(CORRECTION_DATE_AHEAD, code="requested_on")
    if not access.article_is_public(article):
        raise ValidationError(CORRECTION_NOT_PUBLIC, code="status")
    _lock(article, None)
    correction = Correction.objects.create(
        article=article,
        kind=kind,
        text=text,
        requested_on=requested_on,
        decision=clean_line(str(decision or ""))[:300],
        published_at=now,
        **_actor_fields(by),
    )
    article.updated_at = now
    article.save(update_fields=["updated_at", "version", "modified_at"])
    label = Correction.Kind(kind).label
    _record(article, ArticleRevision.Action.CORRECT, by, now, f"[{label}] {text[:200]}")
    _announce(Event.CORRECTED, article, by)
    return correction
