"""Going back in an article's history (복원) and the editor's 30-second autosave.

A restore is a new revision with the old text, never a rewind: the history stays complete.
An autosave is not a revision; it is one row per user and article that the next real save
removes (``articles._forget_autosave``), so history lists only what someone chose to save.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import access
from ..actors import Actor
from ..models import Article, ArticleRevision, Autosave, Section, Series
from .articles import NOT_ALLOWED_TO_EDIT, _reporters_in_order, article_update

WRONG_REVISION = "이 기사의 이력이 아닙니다."
AUTOSAVE_TOO_LARGE = "자동 저장할 내용이 너무 큽니다."
AUTOSAVE_MAX_CHARS = 500_000
_TEXT_FIELDS = ("headline", "subheadlines", "body", "lead_photo_caption", "lead_photo_credit")


def revision_fields(revision: ArticleRevision) -> dict[str, object]:
    """Return the article fields a revision's snapshot restores (rows that still exist)."""
    snap = revision.snapshot
    fields: dict[str, object] = {k: snap[k] for k in _TEXT_FIELDS if k in snap}
    section = None
    if snap.get("section_id"):
        section = Section.objects.filter(pk=snap["section_id"]).first()
    if section is None and snap.get("section"):
        section = Section.objects.filter(slug=snap["section"]).first()
    if section is not None:
        fields["section"] = section
    if "series_id" in snap or "series" in snap:
        series = None
        if snap.get("series_id"):
            series = Series.objects.filter(pk=snap["series_id"]).first()
        elif snap.get("series"):
            series = Series.objects.filter(slug=snap["series"]).first()
        fields["series"] = series
    if snap.get("reporter_ids"):
        fields["reporters"] = _reporters_in_order(snap["reporter_ids"])
    if "keywords" in snap:
        fields["keywords"] = list(snap["keywords"])
    return fields


@transaction.atomic
def article_restore(
    *, article: Article, by: Actor, revision: ArticleRevision, base_version: int | None = None
) -> Article:
    """Make ``revision``'s text the article's current text, as a new revision (복원)."""
    if revision.article_id != article.pk:
        raise ValidationError(WRONG_REVISION, code="revision")
    when = timezone.localtime(revision.at)
    memo = f"{revision.version}판 복원" if revision.version else f"{when:%Y-%m-%d %H:%M} 복원"
    return article_update(
        article=article,
        by=by,
        base_version=base_version,
        action=ArticleRevision.Action.RESTORE,
        memo=memo,
        **revision_fields(revision),
    )


def autosave_store(
    *, by: Actor, article: Article | None, fields: dict[str, object], base_version: int | None
) -> Autosave:
    """Keep ``by``'s unsaved editor text (every 30 s); one row per user and article."""
    if article is not None:
        allowed = access.may_edit_article(by, article) or access.may_propose_change(by, article)
    else:
        allowed = access.may_create_article(by)
    if not allowed or not getattr(by, "pk", None):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    clean = {k: v for k, v in fields.items() if k in _TEXT_FIELDS}
    if sum(len(str(v)) for v in clean.values()) > AUTOSAVE_MAX_CHARS:
        raise ValidationError(AUTOSAVE_TOO_LARGE, code="size")
    row, _ = Autosave.objects.update_or_create(
        article=article,
        user=by,
        defaults={"fields": clean, "base_version": base_version, "at": timezone.now()},
    )
    return row
