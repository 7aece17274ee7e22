"""The beacon endpoint through the test client: what counts, what is refused, what is kept."""

import pytest
from django.urls import reverse

from sinmun.audience import counting, services
from sinmun.audience.models import DailyViews, ReferrerDaily, ViewBucket

from .conftest import counted

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ADDRESS = "203.0.113.77"


@pytest.fixture
def beacon(client):
    def send(public_id, *, agent=CHROME, address=ADDRESS, referrer="", **headers):
        return client.post(
            reverse("audience:beacon"),
            {"a": public_id, "r": referrer},
            HTTP_USER_AGENT=agent,
            REMOTE_ADDR=address,
            **headers,
        )

    return send


@pytest.mark.django_db
def test_a_reader_view_is_counted_once_with_its_referrer(store, beacon, newsroom):
    article = newsroom.article()
    response = beacon(article.public_id, referrer="https://m.search.naver.com/search.naver?q=1")
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    assert counted(store) == 1
    assert services.views_flush() == 1
    assert ViewBucket.objects.get().views == 1
    assert DailyViews.objects.get(article=article).views == 1
    assert list(ReferrerDaily.objects.values_list("domain", "views")) == [("naver.com", 1)]


@pytest.mark.django_db
def test_a_crawler_a_prefetch_and_another_site_count_nothing(store, beacon, newsroom):
    article = newsroom.article()
    assert beacon(article.public_id, agent=GOOGLEBOT).status_code == 204
    assert beacon(article.public_id, agent="curl/8.5.0").status_code == 204
    assert beacon(article.public_id, HTTP_SEC_PURPOSE="prefetch;prerender").status_code == 204
    assert beacon(article.public_id, HTTP_SEC_FETCH_SITE="cross-site").status_code == 204
    assert counted(store) == 0
    # The same request as a reader's is counted: the refusals above were for what they said.
    beacon(article.public_id)
    assert counted(store) == 1


@pytest.mark.django_db
def test_a_malformed_beacon_gets_a_korean_400_and_counts_nothing(store, beacon, client):
    response = beacon("../x")
    assert response.status_code == 400
    assert response.content.decode() == counting.NOT_AN_ARTICLE
    huge = client.post(
        reverse("audience:beacon"),
        "a=" + "x" * 5000,
        content_type="text/plain",
        HTTP_USER_AGENT=CHROME,
    )
    assert huge.status_code == 400
    assert counted(store) == 0


@pytest.mark.django_db
def test_get_is_not_allowed(client):
    assert client.get(reverse("audience:beacon")).status_code == 405


def _record(store, *, at: float, address=ADDRESS, agent=CHROME, public_id="abcd2345"):
    return services.view_record(
        public_id=public_id,
        referrer="",
        user_agent=agent,
        address=address,
        headers={},
        host="testserver",
        now=at,
    )


# 2026-12-07 10:00 KST
NOON = 1796605200.0


def test_the_same_reader_within_30_minutes_counts_once(store):
    _record(store, at=NOON)
    _record(store, at=NOON + 60)
    _record(store, at=NOON + 29 * 60 + 59)
    assert counted(store) == 1
    # The window runs from the counted view: at 30 minutes the reader counts again.
    _record(store, at=NOON + 30 * 60)
    assert counted(store) == 2


def test_other_readers_and_other_articles_count_apart(store):
    _record(store, at=NOON)
    _record(store, at=NOON, address="203.0.113.78")
    _record(store, at=NOON, agent=CHROME + " Edg/131.0")
    _record(store, at=NOON, public_id="abcd2346")
    assert counted(store) == 4


def test_the_salt_rotates_daily_and_older_salts_are_dropped(store):
    first = store.salt("2026-12-07")
    assert store.salt("2026-12-07") == first
    second = store.salt("2026-12-08")
    assert second != first
    if hasattr(store, "client"):
        key = store.prefix + "salt:2026-12-08"
        assert store.client.ttl(key) > 0  # expires by itself
    else:
        rows = store._db().execute("SELECT day FROM salt").fetchall()
        assert rows == [("2026-12-08",)]


@pytest.mark.django_db
def test_no_address_and_no_cookie_are_kept(store, beacon, newsroom, settings):
    article = newsroom.article()
    response = beacon(article.public_id, referrer="https://www.google.com/")
    assert not response.cookies
    services.views_flush()
    kept = []
    if hasattr(store, "client"):
        for key in store.client.scan_iter(match=store.prefix + "*"):
            kept.append(key)
            if store.client.type(key) == b"string":
                kept.append(store.client.get(key))
    else:
        store._db().execute("PRAGMA wal_checkpoint(FULL)")
        kept.append(open(store.path, "rb").read())
    assert kept
    assert all(ADDRESS.encode() not in value for value in kept)
    for model in (ViewBucket, DailyViews, ReferrerDaily):
        for row in model.objects.values():
            assert ADDRESS not in str(row)
