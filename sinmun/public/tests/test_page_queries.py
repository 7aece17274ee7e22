"""The home, section and article pages read as much on a big site as on a small one
(docs/decisions/0027, ``make bench-million``).

Counted in SQLite's virtual-machine steps (its progress handler) per query rather than in time:
a query that walks every published article takes ten times the steps with ten times the
articles, one that seeks its rows takes the same. Each test renders a page of a small site,
adds nine times as many older articles (a site that has been publishing for longer), and
renders it again. SQLite only: the steps are its own, and its planner, which Sinmun never
gives statistics (no ANALYZE), is the one these queries were written for.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sinmun.audience import ranking, store
from sinmun.newsroom import selectors
from sinmun.newsroom.models import Article, ArticleReporter
from sinmun.related.models import RelatedLink

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="counts SQLite virtual-machine steps"
)

SMALL = 100
# Steps may grow a little with a deeper index; a walk over the articles grows tenfold.
FLAT = 1.5


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_SECONDS = 0


def add_articles(newsroom, count: int, *, days_back: int) -> list[Article]:
    """Store ``count`` published articles, the newest ``days_back`` days old, across all four
    sections, with a byline and a body long enough to overflow a database page."""
    now = timezone.now()
    start = Article.objects.count()
    sections = [newsroom.politics, newsroom.assembly, newsroom.tech, newsroom.bigtech]
    body = "".join(f"<p>새나루시 의회가 {i}번째 안건을 두고 회의를 열었다.</p>" for i in range(80))
    articles = Article.objects.bulk_create(
        Article(
            public_id=f"q{start + i:08d}",
            uri=f"urn:sinmun-test:{start + i}",
            headline=f"새나루시 소식 {start + i}",
            body=body,
            body_text=body,
            section=sections[i % len(sections)],
            status=Article.Status.PUBLISHED,
            # One in ten marked 톱기사, as a desk marks one a day.
            is_top=i % 10 == 0,
            first_published_at=now - timedelta(days=days_back, minutes=i),
            updated_at=now - timedelta(days=days_back, minutes=i),
        )
        for i in range(count)
    )
    ArticleReporter.objects.bulk_create(
        ArticleReporter(article=a, reporter=newsroom.kim) for a in articles
    )
    return articles


def steps_per_query(client, url: str) -> list[tuple[str, tuple, int]]:
    """Return (SQL, parameters, virtual-machine steps) for each query rendering ``url`` runs.

    A query's steps are counted until the next one starts: SQLite finds most rows while they
    are fetched, after ``execute`` has returned.
    """
    client.get(url)  # the outlet, menu and banner rows the first render reads and keeps
    connection.ensure_connection()
    raw = connection.connection
    counted: list[list] = []

    def tick():
        if counted:
            counted[-1][2] += 10
        return 0

    def count(execute, sql, params, many, context):
        counted.append([sql, tuple(params or ()), 0])
        return execute(sql, params, many, context)

    raw.set_progress_handler(tick, 10)
    try:
        with connection.execute_wrapper(count):
            response = client.get(url)
    finally:
        raw.set_progress_handler(None, 10)
    assert response.status_code == 200
    return [tuple(q) for q in counted]


def total(counted: list[tuple[str, tuple, int]], *, but=lambda sql: False) -> int:
    return sum(steps for sql, _, steps in counted if not but(sql))


def grown(before, after, *, but=lambda sql: False) -> list[tuple[str, int, int]]:
    """Return the queries (in order, the same before and after) that grew past ``FLAT``; a
    few steps either way are noise for a query of a handful."""
    pairs = zip(
        [q for q in before if not but(q[0])], [q for q in after if not but(q[0])], strict=True
    )
    return [(b[0][:120], b[2], a[2]) for b, a in pairs if a[2] > b[2] * FLAT + 100]


@pytest.fixture
def small_site(newsroom):
    articles = add_articles(newsroom, SMALL, days_back=0)
    opened = articles[3]
    RelatedLink.objects.bulk_create(
        RelatedLink(article=opened, related=other, rank=rank, score=1.0 - rank / 10)
        for rank, other in enumerate(articles[5:11])
    )
    # 많이 본 뉴스 on every page: the site's lists and each section's, as the worker stores them.
    scopes = [ranking.ALL, *(s.pk for s in {a.section for a in articles})]
    ids = [a.pk for a in articles[:10]]
    lists = {
        ranking.popular_name(window, scope): ids for window in ranking.WINDOWS for scope in scopes
    }
    lists |= {ranking.trending_name(scope): ids[:5] for scope in scopes}
    store.current().put_rankings(lists)
    yield opened
    store.current().put_rankings({})


def grow(newsroom) -> None:
    add_articles(newsroom, 9 * SMALL, days_back=30)


def test_the_home_page_reads_as_much_with_ten_times_the_articles(client, newsroom, small_site):
    before = steps_per_query(client, "/")
    grow(newsroom)
    after = steps_per_query(client, "/")
    assert total(after) <= total(before) * FLAT, (total(before), total(after))
    assert not grown(before, after)


def test_the_article_page_reads_as_much_with_ten_times_the_articles(client, newsroom, small_site):
    url = small_site.get_absolute_url()
    first = client.get(url).content.decode()
    before = steps_per_query(client, url)
    grow(newsroom)
    after = steps_per_query(client, url)
    assert total(after) <= total(before) * FLAT, (total(before), total(after))
    assert not grown(before, after)
    # The same page: its 관련기사 box and latest list did not change with the older articles.
    assert client.get(url).content.decode() == first


def section_url(newsroom, page: str) -> str:
    """Return 정치's address for ``page``: "" (the first), "2", or "next to last" (full, as the
    last may not be)."""
    url = newsroom.politics.get_absolute_url()
    if page == "next to last":
        last = selectors.articles_for_section(section=newsroom.politics, page=1).paginator.num_pages
        page = str(last - 1)
    return url + (f"?page={page}" if page else "")


def test_a_sections_pages_read_as_much_with_ten_times_the_articles_but_its_count(
    client, newsroom, small_site
):
    # 정치 with its child 국회: the list spans two sections. Its last pages are read from the
    # oldest end: walked from the newest, they passed every newer entry (docs/decisions/0027).
    pages = ["", "2", "next to last"]
    is_count = lambda sql: sql.startswith("SELECT COUNT(*)")  # noqa: E731
    before = {page: steps_per_query(client, section_url(newsroom, page)) for page in pages}
    grow(newsroom)
    after = {page: steps_per_query(client, section_url(newsroom, page)) for page in pages}
    for page in pages:
        b, a = before[page], after[page]
        assert total(a, but=is_count) <= total(b, but=is_count) * FLAT, (page, b, a)
        assert not grown(b, a, but=is_count), page
        # The count does grow with the section, but it reads the section index alone.
        [(count_sql, params)] = [(sql, params) for sql, params, _ in a if is_count(sql)]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + count_sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "COVERING INDEX" in plan, plan
