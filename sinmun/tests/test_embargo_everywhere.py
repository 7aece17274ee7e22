"""An article under 엠바고 (or 예약 출고) is absent from every read path, one by one, until its
time — and present on each once the time has come.

Each path is checked with a visible control article that shares the embargoed one's section,
series, reporter and keyword, so a path that shows nothing at all cannot pass for the wrong
reason. The clock is moved by patching ``django.utils.timezone.now``; the read selectors are
what enforce the rule (``newsroom.selectors.published_articles``), never a template.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.newsroom import actors, services
from sinmun.syndication.portal import portal_rows

EMBARGO_TOKEN = "보라매협약"
CONTROL_TOKEN = "새나루협약"

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(newsroom, committed):
    """Return (embargoed, control): same section, series, reporter and keyword.

    Made inside ``committed()`` so the after-commit follow-ups (search indexing) run.
    """
    with committed():
        return _pair(newsroom)


def _pair(newsroom):
    common = {
        "section": newsroom.bigtech,
        "series": newsroom.column,
        "reporters": [newsroom.kim],
        "keywords": ["협약"],
    }
    control = newsroom.article(headline=f"{CONTROL_TOKEN} 체결 소식", minutes_ago=30, **common)
    embargoed = newsroom.article(headline=f"{EMBARGO_TOKEN} 체결 소식", publish=False, **common)
    services.article_publish(
        article=embargoed,
        by=actors.DEMO,
        at=timezone.now() + timedelta(hours=2),
        embargo=True,
    )
    embargoed.refresh_from_db()
    assert embargoed.embargoed
    return embargoed, control


def month_sitemap(article) -> str:
    """Return the month sitemap that lists ``article`` (its KST month, not today's)."""
    return f"/sitemap-articles-{timezone.localtime(article.first_published_at):%Y-%m}.xml"


READ_PATHS = [
    "/",
    "/section/bigtech/",
    "/section/it-science/",
    "/series/column/",
    "/reporter/kim-minjun/",
    "/keyword/협약/",
    "/search/?q=협약",
    "/rss/",
    "/rss/section/bigtech/",
    "/rss/series/column/",
    "/rss/reporter/kim-minjun/",
    "SITEMAP",
    "/sitemap-news.xml",
    "/api/v1/articles",
    "/api/v1/articles?section=bigtech",
    "/api/v1/search?q=협약",
    "RELATED",
]


def resolve(path: str, control) -> str:
    if path == "SITEMAP":
        return month_sitemap(control)
    if path == "RELATED":
        return f"/article/{control.public_id}/related/"
    return path


@pytest.mark.parametrize("path", READ_PATHS)
def test_an_embargoed_article_is_absent_until_its_time_then_present(
    client, pair, path, monkeypatch, committed
):
    embargoed, control = pair
    url = resolve(path, control)
    before = client.get(url)
    assert before.status_code == 200, url
    text = before.content.decode()
    if path != "RELATED":  # the related list of the control never shows the control itself
        assert control.public_id in text or CONTROL_TOKEN in text, url
    assert EMBARGO_TOKEN not in text and embargoed.public_id not in text, url
    # Its own month's sitemap (the embargo may end in the next month) must not list it either.
    if path == "SITEMAP":
        url = month_sitemap(embargoed)
        assert embargoed.public_id not in client.get(url).content.decode(), url

    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with committed():  # its follow-ups run, as the worker would (the related lists)
        services.embargoes_announce_due(by=actors.SCHEDULE, now=later)
    after = client.get(url).content.decode()
    assert EMBARGO_TOKEN in after or embargoed.public_id in after, url


def test_its_own_url_and_api_detail_answer_404_until_its_time(client, pair, monkeypatch):
    embargoed, _ = pair
    assert client.get(embargoed.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/articles/{embargoed.public_id}").status_code == 404
    assert client.get(f"/article/{embargoed.public_id}/related/").status_code == 404
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(embargoed.get_absolute_url()).status_code == 200
    assert client.get(f"/api/v1/articles/{embargoed.public_id}").status_code == 200


def test_the_related_box_of_a_neighbour_leaves_it_out(client, pair):
    embargoed, control = pair
    page = client.get(control.get_absolute_url()).content.decode()
    assert EMBARGO_TOKEN not in page and embargoed.public_id not in page


def test_the_portal_list_leaves_it_out(pair):
    embargoed, control = pair
    today = timezone.localdate()
    urls = [
        row.url
        for row in portal_rows(start=today - timedelta(days=1), end=today + timedelta(days=1))
    ]
    assert any(control.public_id in u for u in urls)
    assert not any(embargoed.public_id in u for u in urls)
