"""The desk's changes to a related list: pin an article, remove one, undo either.

Each checks that the editor may release the article (a 데스크 of its section, or a 관리자),
records the choice in ``Override`` (so every later computation applies it) and re-stores the
list at once, without similarity work; pages show it at the next request.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sinmun.newsroom import access, generation
from sinmun.newsroom import selectors as newsroom
from sinmun.newsroom.models import Article

from . import engine
from .models import Override

NOT_ALLOWED = (
    "관련기사를 고정하거나 뺄 권한이 없습니다. 이 기사의 섹션을 맡은 데스크만 할 수 있습니다."
)
NOT_ITSELF = "기사 자신을 관련기사로 고정할 수 없습니다."
NOT_VISIBLE = "독자에게 공개된 기사만 관련기사로 고정할 수 있습니다."
NOTHING_TO_UNDO = "되돌릴 고정·제외가 없습니다."


def _check(by, article: Article) -> None:
    if not access.may_release_article(by, article):
        raise PermissionDenied(NOT_ALLOWED)


def _set(*, article: Article, other: Article, action: str, by) -> Override:
    _check(by, article)
    if other.pk == article.pk:
        raise ValidationError(NOT_ITSELF)
    if action == Override.Action.PIN and not newsroom.published_articles().filter(pk=other.pk):
        raise ValidationError(NOT_VISIBLE)
    with transaction.atomic():
        override, _ = Override.objects.update_or_create(
            article=article,
            other=other,
            defaults={
                "action": action,
                "by": by if getattr(by, "pk", None) else None,
                "at": timezone.now(),
            },
        )
        engine.reapply_overrides(article.pk)
    transaction.on_commit(generation.bump)
    return override


def related_pin(*, article: Article, other: Article, by) -> Override:
    """Pin ``other`` to ``article``'s related list (after earlier pins, before the rest)."""
    return _set(article=article, other=other, action=Override.Action.PIN, by=by)


def related_remove(*, article: Article, other: Article, by) -> Override:
    """Keep ``other`` out of ``article``'s related list, whatever the engine finds."""
    return _set(article=article, other=other, action=Override.Action.REMOVE, by=by)


def related_undo(*, article: Article, other: Article, by) -> None:
    """Forget the pin or removal of ``other`` and recompute ``article``'s list."""
    _check(by, article)
    with transaction.atomic():
        deleted, _ = Override.objects.filter(article=article, other=other).delete()
        if not deleted:
            raise ValidationError(NOTHING_TO_UNDO)
        engine.recompute(article.pk)
    transaction.on_commit(generation.bump)
