"""What the desk lists: the dashboard's queues, an article's history, the audit log.

Every list here is for signed-in newsroom users; readers' lists live in
``newsroom.selectors``. A 기자 sees their own articles; a 데스크 the queues of their sections.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from sinmun.newsroom import access, roles
from sinmun.newsroom.models import Article, ArticleRevision, PendingChange, Reporter, Section

DASHBOARD_LIMIT = 30
AUDIT_PAGE = 50


def _base() -> QuerySet[Article]:
    return Article.objects.select_related("section", "section__parent", "series", "owner")


def own_articles(user) -> QuerySet[Article]:
    """Return articles ``user`` created or carries a byline on, newest save first."""
    return (
        _base()
        .filter(Q(owner=user) | Q(bylines__reporter__user=user))
        .distinct()
        .order_by("-modified_at", "-id")
    )


def desk_sections(user) -> list[Section] | None:
    """Return the sections ``user`` runs the desk for, or None for all of them."""
    if roles.role_of(user) == roles.ADMIN:
        return None
    assigned = list(user.desk_sections.all())
    return assigned or None


def _in_sections(qs: QuerySet[Article], sections: list[Section] | None) -> QuerySet[Article]:
    if sections is None:
        return qs
    ids = [s.pk for s in sections]
    return qs.filter(Q(section_id__in=ids) | Q(section__parent_id__in=ids))


@dataclass
class Dashboard:
    role: str
    mine: list[Article]
    returned: list[Article]
    queue: list[tuple[Section, list[Article]]]
    proposals: list[PendingChange]
    scheduled: list[Article]
    embargoed: list[Article]
    released: list[Article]

    @property
    def queue_total(self) -> int:
        return sum(len(items) for _, items in self.queue) + len(self.proposals)


def dashboard(user) -> Dashboard:
    """Return the dashboard's lists for ``user``, by role."""
    role = roles.role_of(user)
    now = timezone.now()
    mine = list(own_articles(user)[:DASHBOARD_LIMIT])
    returned = [a for a in own_articles(user).filter(status=Article.Status.RETURNED)]
    queue: list[tuple[Section, list[Article]]] = []
    proposals: list[PendingChange] = []
    scheduled: list[Article] = []
    embargoed: list[Article] = []
    released: list[Article] = []
    if role in (roles.DESK, roles.ADMIN):
        sections = desk_sections(user)
        submitted = _in_sections(_base().filter(status=Article.Status.SUBMITTED), sections)
        grouped: dict[int, tuple[Section, list[Article]]] = {}
        for article in submitted.order_by("section__order", "section_id", "modified_at"):
            root = article.section.parent or article.section
            grouped.setdefault(root.pk, (root, []))[1].append(article)
        queue = list(grouped.values())
        proposals = list(
            PendingChange.objects.select_related("article", "article__section", "by")
            .filter(article__in=_in_sections(Article.objects.all(), sections))
            .order_by("at")
        )
        ahead = _in_sections(
            _base().filter(status=Article.Status.PUBLISHED, first_published_at__gt=now), sections
        ).order_by("first_published_at")
        scheduled = [a for a in ahead if not a.embargoed]
        embargoed = [a for a in ahead if a.embargoed]
        released = list(
            _in_sections(
                _base().filter(
                    status=Article.Status.PUBLISHED,
                    first_published_at__lte=now,
                    first_published_at__gte=now - timedelta(days=1),
                ),
                sections,
            ).order_by("-first_published_at")[:DASHBOARD_LIMIT]
        )
    return Dashboard(role, mine, returned, queue, proposals, scheduled, embargoed, released)


def history(article: Article) -> list[ArticleRevision]:
    """Return every revision of ``article``, newest first, with who made it."""
    return list(article.revisions.select_related("by").order_by("-at", "-id"))


def last_memo(article: Article) -> ArticleRevision | None:
    """Return the desk's latest 반려 record for ``article``, if any."""
    return (
        article.revisions.filter(
            action__in=[ArticleRevision.Action.RETURN, ArticleRevision.Action.DISCARD]
        )
        .select_related("by")
        .order_by("-at", "-id")
        .first()
    )


def audit_log(*, user, action: str | None = None) -> QuerySet[ArticleRevision]:
    """Return revisions of every article ``user`` may release, newest first (the audit log)."""
    qs = ArticleRevision.objects.select_related("article", "by").order_by("-at", "-id")
    if roles.role_of(user) != roles.ADMIN:
        qs = qs.filter(article__in=_in_sections(Article.objects.all(), desk_sections(user)))
    if action:
        qs = qs.filter(action=action)
    return qs


def may_open(user, article: Article) -> bool:
    """Return whether ``user`` may open ``article`` in the editor (to edit or to propose)."""
    return access.may_edit_article(user, article) or access.may_propose_change(user, article)


def active_reporters() -> list[Reporter]:
    """Return the reporters an editor may put on a byline (재직), in 가나다 order."""
    return list(Reporter.objects.filter(active=True).order_by("name", "id"))
