"""Every read of the audience app: the lists pages show, the desk's numbers.

Pages read the worker's ranking lists (ids) from the store and fetch those articles through
the newsroom's ``published_articles``, so an article withdrawn or embargoed since the last
refresh is left out at once; no ranking work happens on a request.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db.models import Sum
from django.utils import timezone

from sinmun.newsroom import selectors as newsroom_selectors
from sinmun.newsroom.models import Article, ArticleReporter, Section

from . import counting, ranking
from . import store as stores
from .models import DailyViews, ReferrerDaily, ViewBucket

logger = logging.getLogger(__name__)

PERIODS = (("1h", "1시간"), ("24h", "24시간"), ("7d", "7일"))
BOX_SIZE = 10
TRENDING_SIZE = 5
REFERRER_LABELS = {
    counting.DIRECT: "직접 방문",
    counting.INTERNAL: "사이트 내부",
    counting.OTHER: "기타",
}


@dataclass
class PeriodList:
    key: str
    label: str
    articles: list[Article]


@dataclass
class MostRead:
    scope: str
    periods: list[PeriodList] = field(default_factory=list)
    trending: list[Article] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.trending and not any(p.articles for p in self.periods)


def most_read(*, section: Section | None = None, size: int = BOX_SIZE, store=None) -> MostRead:
    """Return the 많이 본 뉴스 lists (1 h, 24 h, 7 days) and 급상승 for the site or a section."""
    scope = section.pk if section is not None else ranking.ALL
    names = [ranking.popular_name(key, scope) for key, _ in PERIODS]
    names.append(ranking.trending_name(scope))
    try:
        lists = (store or stores.current()).rankings(names)
    except Exception:
        # The lists are an extra: a page renders without them when the store does not answer.
        logger.exception("많이 본 뉴스 목록을 읽지 못했습니다")
        lists = {}
    wanted = {pk for ids in lists.values() for pk in ids}
    # Unordered (the lists give the order): ordered by 입력 time, SQLite walked the status
    # index over every published article instead of seeking the ids (docs/decisions/0027).
    articles = (
        {
            a.pk: a
            for a in newsroom_selectors.headlines(
                newsroom_selectors.published_articles().filter(pk__in=wanted).order_by()
            )
        }
        if wanted
        else {}
    )

    def pick(name: str, limit: int) -> list[Article]:
        return [articles[pk] for pk in lists.get(name, []) if pk in articles][:limit]

    return MostRead(
        scope=str(scope),
        periods=[
            PeriodList(key, label, pick(ranking.popular_name(key, scope), size))
            for key, label in PERIODS
        ],
        trending=pick(ranking.trending_name(scope), TRENDING_SIZE),
    )


# The desk's numbers ------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    cells: list[int]
    total: int
    key: int | None = None
    extra: str = ""


@dataclass
class Table:
    columns: list[str]
    rows: list[Row]


def periods(*, start: date, end: date, unit: str) -> list[tuple[date, date, str]]:
    """Return the columns of a table: days, or weeks from Monday, within ``start``–``end``."""
    columns = []
    if unit == "week":
        first = start - timedelta(days=start.weekday())
        while first <= end:
            last = first + timedelta(days=6)
            columns.append((max(first, start), min(last, end), f"{max(first, start):%m.%d}~"))
            first += timedelta(days=7)
    else:
        day = start
        while day <= end:
            columns.append((day, day, f"{day:%m.%d}"))
            day += timedelta(days=1)
    return columns


def _column_of(columns: list[tuple[date, date, str]]):
    index = {}
    for n, (first, last, _) in enumerate(columns):
        day = first
        while day <= last:
            index[day] = n
            day += timedelta(days=1)
    return index


def _table(grouped: dict, labels: dict, columns, extras=None) -> Table:
    rows = [
        Row(
            label=labels[key],
            cells=cells,
            total=sum(cells),
            key=key,
            extra=(extras or {}).get(key, ""),
        )
        for key, cells in grouped.items()
    ]
    rows.sort(key=lambda r: (-r.total, r.label))
    return Table(columns=[label for _, _, label in columns], rows=rows)


def daily_rows(*, start: date, end: date, section: Section | None = None):
    rows = DailyViews.objects.filter(day__gte=start, day__lte=end)
    if section is not None:
        rows = rows.filter(article__section__in=_section_and_children(section))
    return rows


def _section_and_children(section: Section) -> list[int]:
    return [section.pk, *Section.objects.filter(parent=section).values_list("pk", flat=True)]


def article_table(
    *, start: date, end: date, unit: str, section: Section | None = None, limit: int = 50
) -> Table:
    """Return the most read articles of the range, with views per day or week."""
    columns = periods(start=start, end=end, unit=unit)
    column = _column_of(columns)
    rows = daily_rows(start=start, end=end, section=section)
    top = list(
        rows.values("article_id").annotate(total=Sum("views")).order_by("-total", "-article_id")
    )[:limit]
    ids = [row["article_id"] for row in top]
    grouped = {pk: [0] * len(columns) for pk in ids}
    for pk, day, views in rows.filter(article_id__in=ids).values_list("article_id", "day", "views"):
        grouped[pk][column[day]] += views
    articles = Article.objects.select_related("section").in_bulk(ids)
    return _table(
        grouped,
        {pk: articles[pk].headline for pk in ids},
        columns,
        extras={pk: articles[pk].section.name for pk in ids},
    )


def reporter_table(*, start: date, end: date, unit: str, section: Section | None = None) -> Table:
    """Return views per reporter (every byline of an article counts its views) per day or week."""
    columns = periods(start=start, end=end, unit=unit)
    column = _column_of(columns)
    bylines = defaultdict(list)
    labels = {}
    rows = daily_rows(start=start, end=end, section=section)
    viewed = rows.values("article_id")
    for article_id, reporter_id, name in ArticleReporter.objects.filter(
        article_id__in=viewed
    ).values_list("article_id", "reporter_id", "reporter__name"):
        bylines[article_id].append(reporter_id)
        labels[reporter_id] = name
    grouped = defaultdict(lambda: [0] * len(columns))
    for article_id, day, views in rows.values_list("article_id", "day", "views"):
        for reporter_id in bylines[article_id]:
            grouped[reporter_id][column[day]] += views
    return _table(dict(grouped), labels, columns)


def section_table(*, start: date, end: date, unit: str) -> Table:
    """Return views per section (an article's own section) per day or week."""
    columns = periods(start=start, end=end, unit=unit)
    column = _column_of(columns)
    labels = {
        s.pk: f"{s.parent.name} › {s.name}" if s.parent_id else s.name
        for s in Section.objects.select_related("parent")
    }
    grouped = defaultdict(lambda: [0] * len(columns))
    rows = daily_rows(start=start, end=end).values_list("article__section_id", "day", "views")
    for section_id, day, views in rows:
        grouped[section_id][column[day]] += views
    return _table(dict(grouped), labels, columns)


def referrer_table(*, start: date, end: date, limit: int = 20) -> list[tuple[str, int, float]]:
    """Return (domain, views, share in %) of the range, most first."""
    rows = list(
        ReferrerDaily.objects.filter(day__gte=start, day__lte=end)
        .values("domain")
        .annotate(total=Sum("views"))
        .order_by("-total", "domain")
    )
    everything = sum(row["total"] for row in rows) or 1
    return [
        (
            REFERRER_LABELS.get(row["domain"], row["domain"]),
            row["total"],
            round(100 * row["total"] / everything, 1),
        )
        for row in rows[:limit]
    ]


def article_hourly(*, article: Article, now: datetime | None = None, hours: int = 72):
    """Return [(hour start, views)] for the last ``hours`` hours, empty hours included."""
    now = now or timezone.now()
    end = now.replace(minute=0, second=0, microsecond=0)
    first = end - timedelta(hours=hours - 1)
    sums = defaultdict(int)
    for start, views in ViewBucket.objects.filter(article=article, start__gte=first).values_list(
        "start", "views"
    ):
        sums[start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)] += views
    return [(first + timedelta(hours=n), sums[first + timedelta(hours=n)]) for n in range(hours)]


def article_daily(*, article: Article, end: date, days: int = 30):
    """Return [(day, views)] for the ``days`` days up to ``end``, empty days included."""
    first = end - timedelta(days=days - 1)
    sums = dict(
        DailyViews.objects.filter(article=article, day__gte=first, day__lte=end).values_list(
            "day", "views"
        )
    )
    return [
        (first + timedelta(days=n), sums.get(first + timedelta(days=n), 0)) for n in range(days)
    ]


def article_total(*, article: Article) -> int:
    return DailyViews.objects.filter(article=article).aggregate(total=Sum("views"))["total"] or 0


def article_for_stats(*, pk: int) -> Article:
    """Return an article that readers could see at some time (released), or raise DoesNotExist."""
    return Article.objects.select_related("section").get(
        pk=pk,
        status__in=[Article.Status.PUBLISHED, Article.Status.WITHDRAWN],
        first_published_at__isnull=False,
    )
