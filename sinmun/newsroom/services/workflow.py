"""The desk's workflow: 송고, 반려, 예약/엠바고, 출고, 회수, and a reporter's change to a
released article (수정 송고) that the desk releases or returns.

```
작성 중 ──송고──▶ 송고 ──출고──▶ 출고 (입력 time now, or ahead: 예약 / 엠바고) ──회수──▶ 회수
   ▲                │                 │
   └──── 반려 ◀──────┘                 └─ 기자's change ─▶ 수정안 ──출고──▶ live text
                                                             └─반려─▶ dropped, memo kept
```

Each function: permission (``access``), precondition, one transaction with the row locked
and the version bumped, a revision, and the announcement readers' caches react to.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import access, actors
from ..actors import Actor
from ..followups import Event
from ..models import Article, ArticleRevision, PendingChange, Section, Series
from .articles import (
    NOT_ALLOWED_TO_EDIT,
    NOT_ALLOWED_TO_PUBLISH,
    _announce,
    _apply_fields,
    _current_version,
    _forget_autosave,
    _lock,
    _record,
    _reporters_in_order,
    article_update,
)
from .cleaning import clean_line

CANNOT_SUBMIT = "작성 중이거나 반려된 기사만 송고할 수 있습니다."
CANNOT_RETURN = "송고된 기사만 반려할 수 있습니다."
CANNOT_WITHDRAW = "출고된 기사만 회수할 수 있습니다."
CANNOT_UNSCHEDULE = "예약 출고·엠바고가 걸린 기사만 예약을 취소할 수 있습니다."
CANNOT_PROPOSE = "출고된 기사에 대해서만 수정안을 보낼 수 있습니다."
ALREADY_PUBLISHED = "이미 출고된 기사입니다."
MEMO_REQUIRED = "반려 사유를 적어 주세요."
REASON_REQUIRED = "회수 사유를 적어 주세요."
TIME_IN_PAST = "예약 시각은 지금보다 뒤여야 합니다."
NO_PENDING = "기다리는 수정안이 없습니다."

_RELEASABLE = (Article.Status.DRAFT, Article.Status.SUBMITTED, Article.Status.RETURNED)


def _require_release(by: Actor, article: Article) -> None:
    if not access.may_release_article(by, article):
        raise PermissionDenied(NOT_ALLOWED_TO_PUBLISH)


def _save(article: Article, *fields: str) -> None:
    article.save(update_fields=[*fields, "version", "modified_at"])


@transaction.atomic
def article_submit(*, article: Article, by: Actor, base_version: int | None = None) -> Article:
    """Send a draft (or a returned article) to the desk (송고)."""
    if not access.may_submit_article(by, article):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    if article.status not in (Article.Status.DRAFT, Article.Status.RETURNED):
        raise ValidationError(CANNOT_SUBMIT, code="status")
    _lock(article, base_version)
    article.status = Article.Status.SUBMITTED
    _save(article, "status")
    _record(article, ArticleRevision.Action.SUBMIT, by, timezone.now())
    return article


@transaction.atomic
def article_return(
    *, article: Article, by: Actor, memo: str, base_version: int | None = None
) -> Article:
    """Return a 송고 article to its reporter (반려) with the desk's memo."""
    _require_release(by, article)
    if article.status != Article.Status.SUBMITTED:
        raise ValidationError(CANNOT_RETURN, code="status")
    memo = str(memo or "").strip()
    if not memo:
        raise ValidationError(MEMO_REQUIRED, code="memo")
    _lock(article, base_version)
    article.status = Article.Status.RETURNED
    _save(article, "status")
    _record(article, ArticleRevision.Action.RETURN, by, timezone.now(), memo[:2000])
    return article


@transaction.atomic
def article_publish(
    *,
    article: Article,
    by: Actor,
    at: datetime | None = None,
    embargo: bool | None = None,
    base_version: int | None = None,
) -> Article:
    """Release an article to readers (출고); its 입력 time is the first publication.

    ``at`` in the future is a 예약 출고, or an 엠바고 with ``embargo``: the article is
    released but no reader sees it before then (the read selectors), and the worker's sweep
    announces ``EMBARGO_LIFTED`` when the time comes. Without ``at``, a time the desk or a
    wire item set earlier (``release_at``) is used while it is still ahead.
    """
    _require_release(by, article)
    if article.status == Article.Status.PUBLISHED:
        # Nothing to release: a second 출고 must not set a 수정 time or announce anything.
        raise ValidationError(ALREADY_PUBLISHED, code="status")
    now = timezone.now()
    if at is None and article.release_at is not None and article.release_at > now:
        at = article.release_at
    # A time in the past back-dates the 입력 time (an archive, a test); ahead, it schedules.
    # Only a first release is scheduled; a re-release after 회수 is a change, now.
    ahead = at is not None and at > now and article.first_published_at is None
    _lock(article, base_version)
    article.status = Article.Status.PUBLISHED
    article.embargoed = ahead and (article.embargoed if embargo is None else bool(embargo))
    if article.first_published_at is None:
        article.first_published_at = at or now
    elif article.updated_at is None or article.updated_at < now:
        # A re-release after withdrawal is a public change.
        article.updated_at = now
    article.release_at = None
    article.withdrawn_reason = ""
    if not isinstance(by, actors.SystemActor):
        article.approved_at = now
    _save(
        article,
        "status",
        "first_published_at",
        "updated_at",
        "approved_at",
        "release_at",
        "embargoed",
        "withdrawn_reason",
    )
    action = ArticleRevision.Action.SCHEDULE if ahead else ArticleRevision.Action.PUBLISH
    _record(article, action, by, now)
    _announce(Event.PUBLISHED, article, by)
    return article


@transaction.atomic
def article_unschedule(*, article: Article, by: Actor, base_version: int | None = None) -> Article:
    """Take back a 예약 출고 or 엠바고 before its time: the article returns to the 송고 queue."""
    _require_release(by, article)
    now = timezone.now()
    if not (
        article.status == Article.Status.PUBLISHED
        and article.first_published_at is not None
        and article.first_published_at > now
        and article.updated_at is None
    ):
        raise ValidationError(CANNOT_UNSCHEDULE, code="status")
    _lock(article, base_version)
    article.status = Article.Status.SUBMITTED
    article.release_at = article.first_published_at
    article.first_published_at = None
    article.approved_at = None
    _save(article, "status", "release_at", "first_published_at", "approved_at")
    _record(article, ArticleRevision.Action.SCHEDULE, by, now, "예약 취소")
    return article


@transaction.atomic
def article_withdraw(
    *, article: Article, by: Actor, reason: str = "", base_version: int | None = None
) -> Article:
    """Take a published article off the site (회수); its URL answers 410 Gone with the reason."""
    _require_release(by, article)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError(CANNOT_WITHDRAW, code="status")
    reason = clean_line(str(reason or ""))[:300]
    if not reason and not isinstance(by, actors.SystemActor):
        raise ValidationError(REASON_REQUIRED, code="reason")
    _lock(article, base_version)
    article.status = Article.Status.WITHDRAWN
    article.withdrawn_reason = reason
    _save(article, "status", "withdrawn_reason")
    _record(article, ArticleRevision.Action.WITHDRAW, by, timezone.now(), reason)
    _announce(Event.WITHDRAWN, article, by)
    return article


def _serializable(changes: dict[str, object]) -> dict[str, object]:
    """Return ``changes`` as JSON for a held proposal (rows become ids, photos names)."""
    out: dict[str, object] = {}
    for name, value in changes.items():
        if name in ("section", "series"):
            out[f"{name}_id"] = value.pk if value is not None else None
        elif name == "reporters":
            out["reporter_ids"] = [r.pk for r in value]
        elif name == "keywords":
            out["keywords"] = [getattr(k, "name", k) for k in value]
        elif name == "lead_photo":
            out["lead_photo"] = getattr(value, "name", value) if value else None
        else:
            out[name] = value
    return out


def pending_fields(pending: PendingChange) -> dict[str, object]:
    """Return a held proposal's fields as the article services take them (ids back to rows)."""
    fields = dict(pending.fields)
    if "section_id" in fields:
        fields["section"] = Section.objects.get(pk=fields.pop("section_id"))
    if "series_id" in fields:
        series_id = fields.pop("series_id")
        fields["series"] = Series.objects.filter(pk=series_id).first() if series_id else None
    if "reporter_ids" in fields:
        fields["reporters"] = _reporters_in_order(fields.pop("reporter_ids"))
    return fields


@transaction.atomic
def article_propose_change(
    *, article: Article, by: Actor, base_version: int | None = None, **changes: object
) -> PendingChange:
    """Hold a change to a released article for the desk (수정 송고); readers see no change.

    Validated now, as a direct save would be, so the desk never receives a change it cannot
    release. A second proposal replaces the first.
    """
    if not access.may_propose_change(by, article):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    if article.status not in (Article.Status.PUBLISHED, Article.Status.WITHDRAWN):
        raise ValidationError(CANNOT_PROPOSE, code="status")
    # The live row keeps its version: only a release of the proposal is a new 판.
    current = _current_version(article, base_version)
    # Validate on a throw-away copy: the live row must not change.
    probe = Article.objects.get(pk=article.pk)
    _apply_fields(probe, changes)
    probe.full_clean(exclude=["lead_photo"])
    if "lead_photo" in changes and changes["lead_photo"] is not None:
        changes = {**changes, "lead_photo": probe.lead_photo.name}
    now = timezone.now()
    pending, _ = PendingChange.objects.update_or_create(
        article=article,
        defaults={"fields": _serializable(changes), "base_version": current, "by": by, "at": now},
    )
    _record(article, ArticleRevision.Action.PROPOSE, by, now)
    _forget_autosave(article, by)
    return pending


@transaction.atomic
def pending_release(*, article: Article, by: Actor) -> Article:
    """Apply the held proposal to the live article (the desk's 출고 of a 수정안)."""
    _require_release(by, article)
    pending = PendingChange.objects.select_for_update().filter(article=article).first()
    if pending is None:
        raise ValidationError(NO_PENDING, code="pending")
    fields = pending_fields(pending)
    pending.delete()
    return article_update(article=article, by=by, memo="수정안 출고", **fields)


@transaction.atomic
def pending_return(*, article: Article, by: Actor, memo: str) -> None:
    """Drop the held proposal with the desk's memo (수정안 반려); the live text stays."""
    _require_release(by, article)
    memo = str(memo or "").strip()
    if not memo:
        raise ValidationError(MEMO_REQUIRED, code="memo")
    deleted, _ = PendingChange.objects.filter(article=article).delete()
    if not deleted:
        raise ValidationError(NO_PENDING, code="pending")
    _record(article, ArticleRevision.Action.DISCARD, by, timezone.now(), memo[:2000])
