"""Every read of newsroom content.

Reader-facing selectors only ever see published articles whose 입력 time has come
(``published_articles``); nothing else in the code base filters on status for readers.
"""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from . import access, bodyhtml, bylines, generation
from .actors import Actor
from .models import (
    Article,
    ArticleReporter,
    Correction,
    Keyword,
    OutletSettings,
    Reporter,
    Section,
    Series,
)

PAGE_SIZE = 20
CACHE_SECONDS = 300
OUTLET_CACHE_KEY = "newsroom:outlet"
NAVIGATION_CACHE_KEY = "newsroom:navigation"


def outlet() -> OutletSettings:
    """Return the outlet settings (cached; a fresh install gets an unsaved placeholder)."""
    return generation.cached(
        OUTLET_CACHE_KEY,
        lambda: (
            OutletSettings.objects.filter(pk=1).first() or OutletSettings(name="신문", title="신문")
        ),
        CACHE_SECONDS,
    )


@dataclass(frozen=True)
class NavSection:
    section: Section
    children: tuple[Section, ...]


def navigation() -> list[NavSection]:
    """Return top-level sections with their children, in order (cached)."""

    def build() -> list[NavSection]:
        sections = list(Section.objects.all())
        return [
            NavSection(s, tuple(c for c in sections if c.parent_id == s.pk))
            for s in sections
            if s.parent_id is None
        ]

    return generation.cached(NAVIGATION_CACHE_KEY, build, CACHE_SECONDS)


NOT_ALLOWED_TO_OPEN = "이 기사를 열어 고칠 권한이 없습니다."


def article_for_editing(*, actor: Actor, pk: int) -> Article:
    """Return the article ``pk`` for ``actor`` to edit, whatever its state, or raise.

    The only way the desk, the API or the command line opens an article readers may not see:
    ``Article.DoesNotExist`` when there is none, ``PermissionDenied`` when ``actor`` may not
    edit it (``access.may_edit_article``).
    """
    article = (
        Article.objects.select_related("section", "series")
        .prefetch_related("keywords", "bylines__reporter")
        .get(pk=pk)
    )
    if not access.may_edit_article(actor, article):
        raise PermissionDenied(NOT_ALLOWED_TO_OPEN)
    return article


def published_articles() -> QuerySet[Article]:
    """Return the articles readers may see: published, 입력 time reached."""
    return Article.objects.filter(
        status=Article.Status.PUBLISHED, first_published_at__lte=timezone.now()
    )


def _byline_prefetch() -> Prefetch:
    return Prefetch(
        "bylines",
        queryset=ArticleReporter.objects.select_related("reporter").order_by("order", "id"),
    )


def headlines(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Return ``queryset`` with what a headline-only list shows: label and headline, no byline."""
    return queryset.select_related("section", "series")


def teasers(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Return ``queryset`` with what a teaser shows: label, byline, excerpt source."""
    return headlines(queryset).prefetch_related(_byline_prefetch())


def article_reporters(article: Article) -> list[Reporter]:
    """Return the article's reporters in byline order (uses the prefetch when present)."""
    prefetched = getattr(article, "_prefetched_objects_cache", {})
    if article.pk is not None and "bylines" not in prefetched:
        # Read without them (``article_for_reader(prefetch=False)``): the keywords come along,
        # since whatever part of the page needs the byline shows the keywords too.
        prefetch_related_objects([article], _byline_prefetch(), "keywords")
    return [b.reporter for b in article.bylines.all()]


def article_byline(article: Article) -> str:
    """Return ``[매체명=기자명 기자]`` for ``article``."""
    return bylines.byline(outlet().name, article_reporters(article))


def article_teaser_text(article: Article) -> str:
    """Return the teaser text: the byline, then the body (Korean teasers open with the byline)."""
    return f"{article_byline(article)} {article.body_text}".strip()


def article_body_html(article: Article) -> str:
    """Return the body HTML with the byline opening its first paragraph."""
    return bodyhtml.with_byline(article.body, article_byline(article))


def article_for_reader(*, public_id: str, prefetch: bool = True) -> Article:
    """Return a published article by public id, or raise ``Article.DoesNotExist``.

    ``prefetch=False`` reads the one row only (the article page: its byline and keywords are
    read when a part of the page not kept as a fragment asks for them).
    """
    queryset = headlines(published_articles()).select_related("section__parent")
    if prefetch:
        queryset = queryset.prefetch_related(_byline_prefetch(), "keywords")
    return (
        # Asked in the same query (no GROUP BY over the joined rows), so the page reads
        # corrections only when there are some.
        queryset.annotate(
            has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk")))
        ).get(public_id=public_id)
    )


def article_status(*, public_id: str) -> str | None:
    """Return the status of any article with ``public_id`` (to tell 404 from 410)."""
    return Article.objects.filter(public_id=public_id).values_list("status", flat=True).first()


def withdrawn_reason(*, public_id: str) -> str:
    """Return why a withdrawn article was taken down (the 410 page shows it)."""
    return (
        Article.objects.filter(public_id=public_id, status=Article.Status.WITHDRAWN)
        .values_list("withdrawn_reason", flat=True)
        .first()
        or ""
    )


def corrections_for(*, article: Article) -> list[Correction]:
    """Return the correction notices on ``article``, newest first (shown above the headline)."""
    if getattr(article, "has_corrections", None) is False:
        return []
    return list(article.corrections.order_by("-published_at", "-id"))


def corrections_page(*, page: int | str | None) -> Page:
    """Return a page of every correction notice on an article readers may see."""
    qs = (
        Correction.objects.filter(article__in=published_articles())
        .select_related("article", "article__section")
        .order_by("-published_at", "-id")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def top_story() -> Article | None:
    """Return the newest article marked 톱기사, else the newest article."""
    base = teasers(published_articles())
    return base.filter(is_top=True).first() or base.first()


def latest_articles(*, limit: int, exclude: Article | None = None) -> list[Article]:
    """Return the newest articles for a compact headline list (최신 기사)."""
    qs = headlines(published_articles())
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs[:limit])


def latest_by_section(*, per_section: int, exclude: Article | None = None) -> list[tuple]:
    """Return ``[(top-level section, [articles…]), …]`` in section order, one query.

    Articles of child sections count for their parent. Each section's newest ids come from its
    own range of the section index (a subquery per section, ``per_section`` entries each), so
    the home page reads a few dozen index entries however many articles the site holds; the
    window function ranking every published article that this replaced read them all, bodies
    included (3.2 s at 10k articles, minutes at 1M; docs/decisions/0027).
    """
    visible = published_articles()
    if exclude is not None:
        visible = visible.exclude(pk=exclude.pk)
    nav = navigation()
    roots = {s.pk: item.section.pk for item in nav for s in (item.section, *item.children)}
    if not roots:
        return []
    wanted = Q()
    for section_id in roots:
        newest = visible.filter(section_id=section_id).order_by("-first_published_at", "-id")
        wanted |= Q(pk__in=newest.values("pk")[:per_section])
    # The subqueries checked visibility; checking it again out here would make SQLite walk the
    # status index instead of fetching the few ids.
    grouped: dict[int, list[Article]] = {}
    for article in teasers(Article.objects.filter(wanted)):
        group = grouped.setdefault(roots[article.section_id], [])
        if len(group) < per_section:
            group.append(article)
    return [(item.section, grouped[item.section.pk]) for item in nav if item.section.pk in grouped]


def _kept_count(key: str, queryset: QuerySet) -> int:
    """Return ``queryset.count()``, counted once a content generation for every process.

    A list's count grows with the site (a section's at a million articles reads its entries
    in an index: 17–26 ms), and each page of the list asked for once a minute counted it again
    (docs/decisions/0027). Kept in the shared cache under the generation, so it is exact: a
    publish, withdrawal, update (a move to another section, a byline, a keyword), import,
    rename or an embargo's end (announced by the worker at its time) all start a new one.
    Counted every time when nothing is kept (``FRAGMENT_SECONDS=0``).
    """
    if settings.FRAGMENT_SECONDS <= 0:
        return queryset.count()
    shared = caches["default"]
    # The generation is read before counting: a count made while a change commits is kept
    # under the generation that change ends.
    versioned = f"newsroom:count:{key}:{generation.current()}"
    value = shared.get(versioned)
    if value is None:
        value = queryset.count()
        shared.set(versioned, value, settings.FRAGMENT_SECONDS)
    return value


class _ListPaginator(Paginator):
    """Paginate a reader list of ids: the count kept a generation (``_kept_count``), and a page
    nearer the oldest end read from there.

    ``LIMIT 20 OFFSET n`` walks ``n`` index entries before its page, so a parent section's last
    pages walked ~225,000 at a million articles; read oldest first with the offset counted from
    that end (then turned around), the last page costs what the first does. The same URLs.
    """

    def __init__(self, object_list: QuerySet, per_page: int, *, count_key: str):
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return _kept_count(self.count_key, self.object_list)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom <= self.count - top:
            return self._get_page(self.object_list[bottom:top], number, self)
        # Every list's order is total (입력 time, then id), so reversed it is the same list.
        oldest_first = self.object_list.reverse()[self.count - top : self.count - bottom]
        return self._get_page(list(oldest_first)[::-1], number, self)


def _page(queryset: QuerySet[Article], page: int | str | None, *, count_key: str) -> Page:
    # The page's ids first, then their rows: skipping to page N walks index entries only, where
    # a LIMIT/OFFSET over whole rows read each skipped article's body (docs/decisions/0027).
    ids_only = queryset.values_list("pk", flat=True)
    found = _ListPaginator(ids_only, PAGE_SIZE, count_key=count_key).get_page(page)
    ids = list(found.object_list)
    rows = {a.pk: a for a in teasers(Article.objects.filter(pk__in=ids).order_by())}
    found.object_list = [rows[pk] for pk in ids]
    return found


def section_by_slug(*, slug: str) -> Section:
    return Section.objects.select_related("parent").get(slug=slug)


def articles_for_section(*, section: Section, page: int | str | None) -> Page:
    """Return a page of the section's articles, its child sections' included.

    By section ids rather than a join on the section's parent, which made SQLite count every
    published article (docs/decisions/0027); the section page prefetches the children.
    """
    ids = [section.pk, *(child.pk for child in section.children.all())]
    return _page(
        published_articles().filter(section_id__in=ids), page, count_key=f"section:{section.pk}"
    )


def reporter_by_slug(*, slug: str) -> Reporter:
    return Reporter.objects.get(slug=slug)


def articles_for_reporter(*, reporter: Reporter, page: int | str | None) -> Page:
    return _page(
        published_articles().filter(bylines__reporter=reporter),
        page,
        count_key=f"reporter:{reporter.pk}",
    )


def keyword_by_name(*, name: str) -> Keyword:
    return Keyword.objects.get(name=name)


def articles_for_keyword(*, keyword: Keyword, page: int | str | None) -> Page:
    return _page(
        published_articles().filter(keywords=keyword), page, count_key=f"keyword:{keyword.pk}"
    )


def series_by_slug(*, slug: str) -> Series:
    return Series.objects.get(slug=slug)


def articles_for_series(*, series: Series, page: int | str | None) -> Page:
    return _page(published_articles().filter(series=series), page, count_key=f"series:{series.pk}")
