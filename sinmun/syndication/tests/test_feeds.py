"""The RSS feeds as a feed reader gets them (feedparser), with conditional GET."""

from datetime import timedelta
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from django.utils import timezone
from django.utils.http import http_date
from lxml import etree

from sinmun.newsroom import actors, services
from sinmun.newsroom.models import Article, OutletSettings

from .articles import HOSTILE_HEADLINE, HOSTILE_NAME, hidden_articles, hidden_marks, photo

FEEDS = ["/rss/", "/rss/section/it-science/", "/rss/section/bigtech/", "/rss/reporter/kim-minjun/"]


@pytest.fixture
def story(newsroom):
    return newsroom.article(
        headline="한결전자, 평택 공장 착공",
        reporters=[newsroom.kim, newsroom.lee],
        series=newsroom.column,
        lead_photo=photo("lead.jpg"),
        minutes_ago=30,
    )


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/rss+xml")
    return response, feedparser.parse(response.content)


def test_site_feed_reads_as_rss2_with_kst_dates_creators_and_enclosure(client, story):
    response, feed = parse(client, "/rss/")
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.feed.title == "새나루일보"
    assert feed.feed.language == "ko"
    assert feed.feed.link == "http://testserver/"
    (entry,) = feed.entries
    assert entry.title == story.headline
    assert entry.link == f"http://testserver/article/{story.public_id}/"
    assert entry.published.endswith("+0900")
    assert parsedate_to_datetime(entry.published) == story.first_published_at.replace(microsecond=0)
    root = etree.fromstring(response.content)
    creators = root.findall(".//item/{http://purl.org/dc/elements/1.1/}creator")
    assert [c.text for c in creators] == ["김민준", "이서연"]
    assert root.nsmap["dc"] == "http://purl.org/dc/elements/1.1/"
    (enclosure,) = entry.enclosures
    assert enclosure.href.startswith("http://testserver/media/photos/")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == story.lead_photo.size
    assert {t.term for t in entry.tags} >= {"빅테크", "기자수첩", "반도체"}
    assert root.findtext("channel/lastBuildDate").endswith("+0900")


def test_excerpt_by_default_and_full_text_when_the_outlet_asks(client, newsroom, committed):
    body = "<p>첫 문단입니다.</p>" + "<p>" + "긴 본문 " * 200 + "</p>"
    newsroom.article(body=body)
    _, feed = parse(client, "/rss/")
    summary = feed.entries[0].summary
    assert summary.startswith("[새나루일보=김민준 기자] 첫 문단입니다.")
    assert "<p>" not in summary and len(summary) <= 201
    with committed():
        services.outlet_update(by=actors.DEMO, feed_full_text=True)
    _, feed = parse(client, "/rss/")
    assert feed.entries[0].summary.count("긴 본문") == 200
    assert "<p>" in feed.entries[0].summary


def test_feeds_scope_and_fifty_newest(client, newsroom):
    for minutes in range(55):
        newsroom.article(headline=f"기사 {minutes}", minutes_ago=minutes + 1)
    newsroom.article(
        headline="국회 소식", section=newsroom.assembly, reporters=[newsroom.park], minutes_ago=0
    )
    _, site = parse(client, "/rss/")
    assert len(site.entries) == 50
    assert site.entries[0].title == "국회 소식"
    _, politics = parse(client, "/rss/section/politics/")  # the parent carries its child
    assert [e.title for e in politics.entries] == ["국회 소식"]
    _, park = parse(client, "/rss/reporter/park-hajun/")
    assert [e.title for e in park.entries] == ["국회 소식"]
    _, tech = parse(client, "/rss/section/it-science/")
    assert len(tech.entries) == 50 and tech.entries[0].title == "기사 0"
    assert client.get("/rss/section/nowhere/").status_code == 404
    assert client.get("/rss/series/nowhere/").status_code == 404


def test_series_feed(client, newsroom):
    newsroom.article(headline="연재 기사", series=newsroom.column)
    newsroom.article(headline="다른 기사")
    _, feed = parse(client, "/rss/series/column/")
    assert [e.title for e in feed.entries] == ["연재 기사"]


def test_hidden_articles_are_in_no_feed(client, newsroom, story):
    hidden = hidden_articles(newsroom)
    for url in [*FEEDS, "/rss/series/column/"]:
        response, feed = parse(client, url)
        text = response.content.decode()
        for mark in hidden_marks(hidden):
            assert mark not in text, (url, mark)
    _, feed = parse(client, "/rss/")
    assert [e.title for e in feed.entries] == [story.headline]


def test_hostile_strings_are_escaped(client, newsroom):
    villain = services.reporter_create(by=actors.DEMO, name=HOSTILE_NAME, slug="villain")
    newsroom.article(headline=HOSTILE_HEADLINE, reporters=[villain])
    response, feed = parse(client, "/rss/")
    text = response.content.decode()
    assert "<script>" not in text and "</script>" not in text and "<!--" not in text
    root = etree.fromstring(response.content)  # well-formed XML
    assert root.findtext("channel/item/title") == HOSTILE_HEADLINE
    assert root.findtext("channel/item/{http://purl.org/dc/elements/1.1/}creator") == HOSTILE_NAME
    assert feed.bozo == 0


def test_conditional_get_answers_304_until_something_changes(client, newsroom, committed):
    newsroom.article()
    first = client.get("/rss/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/rss/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    with committed():
        newsroom.article(headline="새 기사", minutes_ago=0)
    assert client.get("/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_withdrawal_changes_both_validators(client, newsroom, committed):
    older = newsroom.article(headline="오래된 기사", minutes_ago=120)
    newsroom.article(headline="새 기사", minutes_ago=60)
    # HTTP dates have whole seconds: the rows' own saves lie an hour back, the withdrawal now.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Article.objects.update(modified_at=an_hour_ago)
    OutletSettings.objects.update(updated_at=an_hour_ago)
    first = client.get("/rss/")
    with committed():
        services.article_withdraw(article=older, by=actors.DEMO)
    assert client.get("/rss/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    # A reader that sends only If-Modified-Since sees the withdrawal too.
    since = http_date(parsedate_to_datetime(first["Last-Modified"]).timestamp())
    assert client.get("/rss/", HTTP_IF_MODIFIED_SINCE=since).status_code == 200


def test_feeds_use_the_configured_site_url(client, newsroom, settings):
    settings.SITE_URL_SET, settings.SITE_URL = True, "https://news.example.kr"
    article = newsroom.article()
    _, feed = parse(client, "/rss/")
    assert feed.entries[0].link == f"https://news.example.kr/article/{article.public_id}/"
    assert feed.feed.link == "https://news.example.kr/"
