"""Sitemaps, the Google News sitemap and robots.txt, validated against the published schemas."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from sinmun.newsroom import actors, services
from sinmun.syndication import sitemaps

from .articles import HOSTILE_HEADLINE, hidden_articles, hidden_marks

FIXTURES = Path(__file__).parent / "fixtures"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}  # fmt: skip


def _schema(*imports: tuple[str, str]) -> etree.XMLSchema:
    """Return a schema that imports each (namespace, fixture file): strict ``xsd:any`` needs all."""
    lines = "".join(
        f'<xsd:import namespace="{ns}" schemaLocation="{(FIXTURES / name).as_uri()}"/>'
        for ns, name in imports
    )
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{lines}</xsd:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


@pytest.fixture(scope="module")
def schemas():
    return {
        "index": etree.XMLSchema(etree.parse(str(FIXTURES / "siteindex.xsd"))),
        "urlset": etree.XMLSchema(etree.parse(str(FIXTURES / "sitemap.xsd"))),
        "news": _schema((NS["sm"], "sitemap.xsd"), (NS["news"], "sitemap-news.xsd")),
    }


def fetch(client, url, schema):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    schema.assertValid(root)
    return root


def locations(root) -> list[str]:
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


@pytest.fixture
def site(newsroom):
    now = timezone.now()
    older = newsroom.article(headline="지난달 기사", keywords=["지난달"])
    # Backdated through the import: a month earlier than today, in KST.
    services.article_import(
        by=actors.IMPORT,
        uri=older.uri,
        status="published",
        first_published_at=now - timedelta(days=40),
        updated_at=now - timedelta(days=39),
        headline=older.headline,
        body=older.body,
        section=newsroom.bigtech,
        reporters=[newsroom.lee],
    )
    today = newsroom.article(headline="오늘 기사", series=newsroom.column, minutes_ago=30)
    return {"older": older, "today": today, "now": now}


def test_index_lists_month_files_taxonomy_and_news_and_validates(client, site, schemas):
    root = fetch(client, "/sitemap.xml", schemas["index"])
    months = [f"{timezone.localtime(site['now'] - timedelta(days=d)):%Y-%m}" for d in (0, 40)]
    assert locations(root) == [
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-series.xml",
        "http://testserver/sitemap-reporters.xml",
        "http://testserver/sitemap-keywords.xml",
        f"http://testserver/sitemap-articles-{months[0]}.xml",
        f"http://testserver/sitemap-articles-{months[1]}.xml",
        "http://testserver/sitemap-news.xml",
    ]
    lastmods = [m.text for m in root.iterfind(".//sm:lastmod", NS)]
    assert lastmods and all(m.endswith("+09:00") for m in lastmods)
    for url in locations(root)[:-1]:
        fetch(client, url.removeprefix("http://testserver"), schemas["urlset"])


def test_month_files_hold_that_months_articles(client, site, schemas):
    month = f"{timezone.localtime(site['today'].first_published_at):%Y-%m}"
    root = fetch(client, f"/sitemap-articles-{month}.xml", schemas["urlset"])
    assert locations(root) == [f"http://testserver{site['today'].get_absolute_url()}"]
    assert root.findtext(".//sm:lastmod", namespaces=NS).endswith("+09:00")
    assert client.get("/sitemap-articles-1999-01.xml").status_code == 404


def test_taxonomy_files_list_only_pages_with_readable_articles(client, site, newsroom, schemas):
    root = fetch(client, "/sitemap-reporters.xml", schemas["urlset"])
    assert locations(root) == [
        f"http://testserver{newsroom.kim.get_absolute_url()}",
        f"http://testserver{newsroom.lee.get_absolute_url()}",
    ]
    root = fetch(client, "/sitemap-sections.xml", schemas["urlset"])
    assert len(locations(root)) == 4
    root = fetch(client, "/sitemap-keywords.xml", schemas["urlset"])
    assert len(locations(root)) == 3  # 지난달, 반도체, 한결전자
    assert all(loc.startswith("http://testserver/keyword/") for loc in locations(root))


def test_news_sitemap_has_two_days_ko_and_the_outlet_name(client, site, newsroom, schemas):
    newsroom.article(headline=HOSTILE_HEADLINE, minutes_ago=60 * 47)
    newsroom.article(headline="사흘 전 기사", minutes_ago=60 * 49)
    root = fetch(client, "/sitemap-news.xml", schemas["news"])
    titles = [t.text for t in root.iterfind(".//news:title", NS)]
    assert titles == ["오늘 기사", HOSTILE_HEADLINE]
    assert {n.text for n in root.iterfind(".//news:publication/news:name", NS)} == {"새나루일보"}
    assert {n.text for n in root.iterfind(".//news:language", NS)} == {"ko"}
    dates = [d.text for d in root.iterfind(".//news:publication_date", NS)]
    assert all(d.endswith("+09:00") for d in dates)
    assert "<script>" not in client.get("/sitemap-news.xml").content.decode()


def test_news_sitemap_stops_at_one_thousand(client, newsroom, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    for n in range(5):
        newsroom.article(headline=f"기사 {n}", minutes_ago=n + 1)
    assert sitemaps.NewsSitemap().items()[0].headline == "기사 0"
    assert len(sitemaps.NewsSitemap().items()) == 3
    assert sitemaps.URLS_PER_FILE == 50_000 and sitemaps.ArticleMonthSitemap.limit == 50_000


def test_hidden_articles_are_in_no_sitemap(client, site, newsroom, schemas):
    hidden = hidden_articles(newsroom)
    index = fetch(client, "/sitemap.xml", schemas["index"])
    for url in locations(index):
        text = client.get(url.removeprefix("http://testserver")).content.decode()
        for mark in hidden_marks(hidden):
            assert mark not in text, (url, mark)


def test_sitemaps_answer_304(client, site):
    first = client.get("/sitemap.xml")
    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    news = client.get("/sitemap-news.xml")
    assert client.get("/sitemap-news.xml", HTTP_IF_NONE_MATCH=news["ETag"]).status_code == 304


def test_robots_points_to_the_sitemaps(client, settings):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
    assert "Disallow: /desk/" in text
    settings.SITE_URL_SET, settings.SITE_URL = True, "https://news.example.kr"
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://news.example.kr/sitemap.xml" in text


def test_sitemaps_use_the_configured_site_url(client, site, settings, schemas):
    settings.SITE_URL_SET, settings.SITE_URL = True, "https://news.example.kr:8443"
    root = fetch(client, "/sitemap.xml", schemas["index"])
    assert all(loc.startswith("https://news.example.kr:8443/") for loc in locations(root))
    root = fetch(client, "/sitemap-sections.xml", schemas["urlset"])
    assert all(loc.startswith("https://news.example.kr:8443/") for loc in locations(root))
