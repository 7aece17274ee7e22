"""The one place that answers "may this actor see / edit / release this article?".

Services ask here before they change anything, and the selectors that open unpublished
articles (``selectors.article_for_editing``) ask here before they return one; no view has
another way in. Rules, cell by cell (tested in tests/test_access.py):

- Readers (anyone, signed in or not) see an article that is published and whose 입력 time has
  come. Anything else is seen only by whoever may edit it.
- Editing a draft or a 송고 article needs ``change_article``. Editing what readers see or saw
  (published, withdrawn) needs ``publish_article`` too: a change to a live article goes public
  at once, so it is a release decision, not a reporter's.
- Creating needs ``add_article``; 송고 needs ``change_article``.
- Releasing (출고), withdrawing (출고 취소) and scheduling need ``publish_article``.
- An inactive user may do nothing (Django's backends answer no for them).
"""

from django.utils import timezone

from . import actors
from .actors import Actor
from .models import Article

_LIVE = (Article.Status.PUBLISHED, Article.Status.WITHDRAWN)


def article_is_public(article: Article) -> bool:
    """Return whether readers may see ``article`` now (published, 입력 time reached)."""
    return (
        article.status == Article.Status.PUBLISHED
        and article.first_published_at is not None
        and article.first_published_at <= timezone.now()
    )


def may_create_article(actor: Actor) -> bool:
    return actors.require(actor).has_perm(actors.ADD)


def may_edit_article(actor: Actor, article: Article) -> bool:
    actor = actors.require(actor)
    if not actor.has_perm(actors.CHANGE):
        return False
    return article.status not in _LIVE or actor.has_perm(actors.PUBLISH)


def may_submit_article(actor: Actor, article: Article) -> bool:
    return actors.require(actor).has_perm(actors.CHANGE)


def may_release_article(actor: Actor, article: Article) -> bool:
    """Return whether ``actor`` may release, schedule or withdraw ``article``."""
    return actors.require(actor).has_perm(actors.PUBLISH)


def may_view_article(actor: Actor, article: Article) -> bool:
    actor = actors.require(actor)
    return article_is_public(article) or may_edit_article(actor, article)


def may_manage_outlet(actor: Actor) -> bool:
    return actors.require(actor).has_perm(actors.MANAGE_OUTLET)


def may_manage(actor: Actor, model: str, *, creating: bool) -> bool:
    """Return whether ``actor`` may create or change a ``model`` (section, series, …) row."""
    verb = "add" if creating else "change"
    return actors.require(actor).has_perm(f"newsroom.{verb}_{model}")
