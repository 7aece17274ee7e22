"""Article pages as crawlers and link previews read them: JSON-LD, Open Graph, Twitter, feeds."""

import json
import re
from html.parser import HTMLParser

import pytest

from sinmun.newsroom import actors, services
from sinmun.syndication import checks, structured

from .articles import HOSTILE_HEADLINE, HOSTILE_NAME, photo


class Head(HTMLParser):
    """Collect meta/link tags and the JSON-LD scripts of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.json_ld: list[dict] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (key := attrs.get("property") or attrs.get("name")):
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        self._in_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))
            self._in_ld = False


def head(client, url) -> tuple[Head, str]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    parser = Head()
    parser.feed(html)
    return parser, html


@pytest.fixture
def story(newsroom):
    return newsroom.article(
        headline="국회, 반도체 특별법 통과",
        subheadlines=["여야 합의로 처리", "내년 시행"],
        section=newsroom.assembly,
        reporters=[newsroom.kim, newsroom.lee],
        keywords=["반도체", "국회"],
        lead_photo=photo("lead.jpg", size=(160, 90)),
    )


@pytest.fixture
def no_renditions(monkeypatch):
    """Pretend the rendition module is absent: the original photo stands in (the fallback)."""
    monkeypatch.setattr(structured, "_photos", lambda: None)


def test_news_article_json_ld_field_by_field(client, story, no_renditions):
    page, _ = head(client, story.get_absolute_url())
    article, crumbs = page.json_ld
    url = f"http://testserver/article/{story.public_id}/"
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == story.headline
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", article["datePublished"])
    assert article["dateModified"] == article["datePublished"]  # never corrected
    assert article["author"] == [
        {"@type": "Person", "name": "김민준", "jobTitle": "기자",
         "url": "http://testserver/reporter/kim-minjun/"},
        {"@type": "Person", "name": "이서연", "jobTitle": "기자",
         "url": "http://testserver/reporter/lee-seoyeon/"},
    ]  # fmt: skip
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "새나루일보"
    assert publisher["logo"]["url"].startswith("http://testserver/static/syndication/")
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 60)
    assert article["articleSection"] == "국회"
    assert article["description"] == "여야 합의로 처리"
    assert article["keywords"] == ["국회", "반도체"]
    (image,) = article["image"]  # no renditions of the three shapes: the one photo
    assert image["url"].startswith("http://testserver/media/photos/")
    assert (image["width"], image["height"]) == (160, 90)
    assert crumbs["@type"] == "BreadcrumbList"
    assert [i["name"] for i in crumbs["itemListElement"]] == ["홈", "정치", "국회", story.headline]
    assert [i["position"] for i in crumbs["itemListElement"]] == [1, 2, 3, 4]
    assert crumbs["itemListElement"][-1]["item"] == url


def test_open_graph_twitter_canonical_and_description(client, story, no_renditions):
    page, _ = head(client, story.get_absolute_url())
    meta = page.meta
    url = f"http://testserver/article/{story.public_id}/"
    assert meta["og:type"] == ["article"]
    assert meta["og:locale"] == ["ko_KR"]
    assert meta["og:url"] == [url]
    assert meta["og:title"] == [story.headline]
    assert meta["og:image"][0].startswith("http://testserver/media/photos/")
    assert (meta["og:image:width"], meta["og:image:height"]) == (["160"], ["90"])
    assert meta["article:published_time"][0].endswith("+09:00")
    assert meta["article:modified_time"][0].endswith("+09:00")
    assert meta["article:section"] == ["국회"]
    assert meta["article:tag"] == ["국회", "반도체"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["description"] == ["여야 합의로 처리"]
    canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    assert canonical == [url]


def test_share_rendition_is_the_og_image_when_there_is_one(client, story, monkeypatch):
    class Rendition:
        url, width, height = "/media/renditions/share-abc123.jpg", 1200, 630

    class Photos:
        @staticmethod
        def rendition(name, kind, fmt="jpeg"):
            return Rendition if kind == "share" else None

    monkeypatch.setattr(structured, "_photos", lambda: Photos)
    page, _ = head(client, story.get_absolute_url())
    assert page.meta["og:image"] == ["http://testserver/media/renditions/share-abc123.jpg"]
    assert (page.meta["og:image:width"], page.meta["og:image:height"]) == (["1200"], ["630"])


def test_images_in_three_shapes_when_renditions_allow(story, monkeypatch):
    sizes = {
        "square": (1200, 1200),
        "4x3": (1200, 900),
        "16x9": (1200, 675),
        "lead": (1280, 640),
        "share": (1200, 630),
    }

    class Photos:
        @staticmethod
        def rendition(name, kind, fmt="jpeg"):
            w, h = sizes[kind]
            return type("R", (), {"url": f"/media/r/{kind}.jpg", "width": w, "height": h})

    monkeypatch.setattr(structured, "_photos", lambda: Photos)
    images = structured.article_images(story)
    assert [(i.width, i.height) for i in images] == [(1200, 1200), (1200, 900), (1200, 675)]


def test_hostile_strings_stay_inside_their_strings(client, newsroom):
    villain = services.reporter_create(by=actors.DEMO, name=HOSTILE_NAME, slug="villain")
    article = newsroom.article(headline=HOSTILE_HEADLINE, subheadlines=[], reporters=[villain])
    page, html = head(client, article.get_absolute_url())
    assert "</script><script>alert(1)" not in html
    assert "<!-- 속보" not in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 2
    assert all("<" not in s and ">" not in s and "&" not in s for s in scripts)
    news_article = page.json_ld[0]
    assert news_article["headline"] == HOSTILE_HEADLINE
    assert news_article["author"][0]["name"] == HOSTILE_NAME
    assert page.meta["og:title"] == [HOSTILE_HEADLINE]
    assert page.meta["twitter:title"] == [HOSTILE_HEADLINE]


def test_pages_advertise_their_feeds(client, story, newsroom):
    def feeds(url):
        page, _ = head(client, url)
        return [link["href"] for link in page.links if link.get("type") == "application/rss+xml"]

    assert feeds("/") == ["/rss/"]
    assert feeds("/section/politics/") == ["/rss/", "/rss/section/politics/"]
    assert feeds(story.get_absolute_url()) == ["/rss/", "/rss/section/assembly/"]
    assert feeds("/reporter/kim-minjun/") == ["/rss/", "/rss/reporter/kim-minjun/"]
    assert feeds("/series/column/") == ["/rss/", "/rss/series/column/"]


def test_canonical_uses_the_configured_site_url(client, story, settings):
    settings.SITE_URL_SET, settings.SITE_URL = True, "https://news.example.kr"
    page, _ = head(client, story.get_absolute_url())
    canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    assert canonical == [f"https://news.example.kr/article/{story.public_id}/"]


@pytest.mark.parametrize(
    ("site_url_set", "debug", "hosts", "errors"),
    [
        (False, False, ["news.example.kr"], ["syndication.E001"]),
        (False, False, ["*"], ["syndication.E001"]),
        (False, True, ["news.example.kr"], []),
        (False, False, ["127.0.0.1", "localhost", "testserver"], []),
        (True, False, ["news.example.kr"], []),
    ],
)
def test_production_refuses_to_start_without_site_url(settings, site_url_set, debug, hosts, errors):
    settings.SITE_URL_SET, settings.DEBUG, settings.ALLOWED_HOSTS = site_url_set, debug, hosts
    assert [e.id for e in checks.site_url_check()] == errors


def test_a_malformed_site_url_is_refused(settings):
    settings.SITE_URL_SET, settings.SITE_URL = True, "news.example.kr"
    assert [e.id for e in checks.site_url_check()] == ["syndication.E002"]
