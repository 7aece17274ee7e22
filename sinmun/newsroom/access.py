"""The one place that answers "may this actor see / edit / release this article?".

Services ask here before they change anything, and the selectors that open unpublished
articles (``selectors.article_for_editing``) ask here before they return one; no view has
another way in. Rules, cell by cell (tested in tests/test_access.py; the roles in roles.py):

- Readers (anyone, signed in or not) see an article that is published and whose 입력 time has
  come. Anything else is seen only by whoever may edit it.
- A 기자 (``add``/``change_article`` without ``publish_article``) edits and 송고s only their
  own articles (they created it or their name is on the byline), while it is 작성 중, 송고 or
  반려. A change to their released article is a proposal the desk releases
  (``may_propose_change``): the live text never changes behind the desk's back.
- A 데스크 (``publish_article``) edits, returns, schedules, releases, corrects and withdraws
  the articles of their sections (``Section.desk_editors``; a 데스크 assigned to no section
  covers all, as in a small newsroom with one desk). A 관리자 (``change_outletsettings``) and
  a superuser may do all of it everywhere.
- System actors (import, schedule, API clients) have no sections and no articles of their
  own: their permissions alone answer.
- An inactive user may do nothing (Django's backends answer no for them).
"""

from django.utils import timezone

from . import actors
from .actors import Actor
from .models import Article

_LIVE = (Article.Status.PUBLISHED, Article.Status.WITHDRAWN)
_WRITABLE = (Article.Status.DRAFT, Article.Status.SUBMITTED, Article.Status.RETURNED)


def article_is_public(article: Article) -> bool:
    """Return whether readers may see ``article`` now (published, 입력 time reached)."""
    return (
        article.status == Article.Status.PUBLISHED
        and article.first_published_at is not None
        and article.first_published_at <= timezone.now()
    )


def is_own(actor: Actor, article: Article) -> bool:
    """Return whether ``actor`` (a user) created ``article`` or is on its byline."""
    if isinstance(actor, actors.SystemActor) or not actor.is_authenticated or article.pk is None:
        return False
    if article.owner_id == actor.pk:
        return True
    return article.bylines.filter(reporter__user_id=actor.pk).exists()


def _is_admin(actor: Actor) -> bool:
    return actor.has_perm(actors.MANAGE_OUTLET) or getattr(actor, "is_superuser", False)


def desk_covers(actor: Actor, article: Article) -> bool:
    """Return whether ``actor``'s release rights reach ``article``'s section."""
    if not actor.has_perm(actors.PUBLISH):
        return False
    if isinstance(actor, actors.SystemActor) or _is_admin(actor):
        return True
    sections = set(actor.desk_sections.values_list("pk", flat=True))
    if not sections:
        return True
    section = article.section
    return section.pk in sections or (section.parent_id in sections)


def may_create_article(actor: Actor) -> bool:
    return actors.require(actor).has_perm(actors.ADD)


def may_edit_article(actor: Actor, article: Article) -> bool:
    """Return whether ``actor`` may change ``article``'s text directly (not as a proposal)."""
    actor = actors.require(actor)
    if not actor.has_perm(actors.CHANGE):
        return False
    if desk_covers(actor, article):
        return True
    if isinstance(actor, actors.SystemActor):
        return article.status not in _LIVE
    return article.status in _WRITABLE and is_own(actor, article)


def may_propose_change(actor: Actor, article: Article) -> bool:
    """Return whether ``actor`` may send a change to a released article to the desk."""
    actor = actors.require(actor)
    if article.status not in _LIVE or isinstance(actor, actors.SystemActor):
        return False
    return actor.has_perm(actors.CHANGE) and (desk_covers(actor, article) or is_own(actor, article))


def may_submit_article(actor: Actor, article: Article) -> bool:
    return may_edit_article(actor, article)


def may_release_article(actor: Actor, article: Article) -> bool:
    """Return whether ``actor`` may release, schedule, return, correct or withdraw ``article``."""
    return desk_covers(actors.require(actor), article)


def may_view_article(actor: Actor, article: Article) -> bool:
    actor = actors.require(actor)
    return (
        article_is_public(article)
        or may_edit_article(actor, article)
        or may_propose_change(actor, article)
    )


def may_manage_outlet(actor: Actor) -> bool:
    return actors.require(actor).has_perm(actors.MANAGE_OUTLET)


def may_manage(actor: Actor, model: str, *, creating: bool) -> bool:
    """Return whether ``actor`` may create or change a ``model`` (section, series, …) row."""
    verb = "add" if creating else "change"
    return actors.require(actor).has_perm(f"newsroom.{verb}_{model}")
