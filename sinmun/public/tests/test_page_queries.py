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

from sinmun.newsroom.models import Article, ArticleReporter
from sinmun.related.models import RelatedLink

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="counts SQLite virtual-machine steps"
)

SMALL = 30
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
    """Return (SQL, parameters, virtual-machine steps) for each query rendering ``url`` runs."""
    connection.ensure_connection()
    raw = connection.connection
    counted: list[tuple[str, tuple, int]] = []

    def count(execute, sql, params, many, context):
        steps = [0]

        def tick():
            steps[0] += 1
            return 0

        raw.set_progress_handler(tick, 10)
        try:
            return execute(sql, params, many, context)
        finally:
            raw.set_progress_handler(None, 10)
            counted.append((sql, tuple(params or ()), steps[0] * 10))

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200
    return counted


def total(counted: list[tuple[str, tuple, int]], *, but=lambda sql: False) -> int:
    return sum(steps for sql, _, steps in counted if not but(sql))


@pytest.fixture
def small_site(newsroom):
    articles = add_articles(newsroom, SMALL, days_back=0)
    opened = articles[3]
    RelatedLink.objects.bulk_create(
        RelatedLink(article=opened, related=other, rank=rank, score=1.0 - rank / 10)
        for rank, other in enumerate(articles[5:11])
    )
    return opened


def grow(newsroom) -> None:
    add_articles(newsroom, 9 * SMALL, days_back=30)


def test_the_home_page_reads_as_much_with_ten_times_the_articles(client, newsroom, small_site):
    before = total(steps_per_query(client, "/"))
    grow(newsroom)
    after = total(steps_per_query(client, "/"))
    assert after <= before * FLAT, (before, after)


def test_the_article_page_reads_as_much_with_ten_times_the_articles(client, newsroom, small_site):
    url = small_site.get_absolute_url()
    first = client.get(url).content.decode()
    before = total(steps_per_query(client, url))
    grow(newsroom)
    after = total(steps_per_query(client, url))
    assert after <= before * FLAT, (before, after)
    # The same page: its 관련기사 box and latest list did not change with the older articles.
    assert client.get(url).content.decode() == first


@pytest.mark.parametrize("page", ["", "?page=2"])
def test_a_section_page_reads_as_much_with_ten_times_the_articles_but_its_count(
    client, newsroom, small_site, page
):
    # 정치 with its child 국회: the list spans two sections.
    url = newsroom.politics.get_absolute_url() + page
    is_count = lambda sql: sql.startswith("SELECT COUNT(*)")  # noqa: E731
    before = steps_per_query(client, url)
    grow(newsroom)
    after = steps_per_query(client, url)
    assert total(after, but=is_count) <= total(before, but=is_count) * FLAT, (before, after)
    # The count does grow with the section, but it reads the section index alone.
    [(count_sql, params)] = [(sql, params) for sql, params, _ in after if is_count(sql)]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + count_sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX" in plan, plan
