"""Article views counted by the server on the way out (``pageviews``), as `sinmun serve` runs it.

The requests go through ``sinmun.wsgi.application`` (``FrontClient``): the page cache, the
counter and Django, so a view answered from the page cache is counted like a rendered one.
"""

import os
import subprocess
import sys
import threading
import time

import pytest

from sinmun import clients
from sinmun.audience import counting, pageviews
from sinmun.audience import store as stores
from sinmun.audience.pageviews import ViewBuffer

from .conftest import seen

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture
def views(store):
    """The process's view buffer, empty, handing over to the test's store."""
    pageviews.buffer.flush()
    yield pageviews.buffer
    pageviews.buffer.flush()


def read(front, article, agent=CHROME, **headers):
    return front.get(article.get_absolute_url(), headers={"User-Agent": agent, **headers})


@pytest.mark.django_db
def test_readers_are_counted_from_the_page_cache_and_once_per_window(
    front, views, store, newsroom, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    article = newsroom.article()
    first = read(front, article, Referer="https://m.search.naver.com/search.naver?query=x")
    again = read(front, article)
    other = read(front, article, agent=f"{CHROME} Whale/4.0")
    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 200)
    assert again["X-Page-Cache"] == "hit"
    # The web process spools all three (this flush, or its thread's once a second); the worker's
    # drain counts the repeat once.
    views.flush()
    assert store.drain() == 2
    counts = store.batch(store.claim())
    assert sorted((c.public_id, c.domain, c.views) for c in counts) == [
        (article.public_id, "direct", 1),
        (article.public_id, "naver.com", 1),
    ]


@pytest.mark.django_db
def test_a_readers_304_from_the_page_cache_counts(front, views, store, newsroom, settings):
    """A reader whose browser revalidates gets a 304 from the kept page: still a look at it."""
    settings.PAGE_CACHE_SECONDS = 60
    article = newsroom.article()
    first = read(front, article)
    revalidated = read(
        front, article, agent=f"{CHROME} Whale/4.0", **{"If-None-Match": first["ETag"]}
    )
    assert revalidated.status_code == 304
    assert revalidated["X-Page-Cache"] == "hit"
    views.flush()
    assert store.drain() == 2


@pytest.mark.django_db
def test_answers_rendered_by_django_count_by_their_own_status(
    front, views, store, newsroom, settings
):
    """Without the page cache (as for a desk user, whose session passes it) Django answers: its
    200s count, a 404 never."""
    settings.PAGE_CACHE_SECONDS = 0
    article = newsroom.article()
    first = read(front, article)
    other = read(front, article, agent=f"{CHROME} Whale/4.0")
    assert (first.status_code, other.status_code) == (200, 200)
    assert "X-Page-Cache" not in first
    assert read(front, newsroom.article(publish=False)).status_code == 404
    views.flush()
    assert store.drain() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": "Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)"},
        {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"User-Agent": "curl/8.5.0"},
        {"User-Agent": ""},
        {"User-Agent": CHROME, "Sec-Purpose": "prefetch;prerender"},
        {"User-Agent": CHROME, "Purpose": "prefetch"},
        {"User-Agent": CHROME, "Sec-Fetch-Dest": "iframe"},
        {"User-Agent": CHROME, "Sec-Fetch-Dest": "empty"},
    ],
)
def test_crawlers_prefetches_and_fetches_are_not_views(front, views, store, newsroom, headers):
    article = newsroom.article()
    assert front.get(article.get_absolute_url(), headers=headers).status_code == 200
    read(front, article, **{"Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "cross-site"})
    # Only the reader who came from another site by a link counts.
    views.flush()
    assert store.drain() == 1


@pytest.mark.django_db
def test_only_a_readers_get_of_a_published_article_page_counts(front, views, store, newsroom):
    article = newsroom.article()
    draft = newsroom.article(publish=False)
    url = article.get_absolute_url()
    assert front.get(url, method="HEAD", headers={"User-Agent": CHROME}).status_code == 200
    assert front.get(url + "related/", headers={"User-Agent": CHROME}).status_code == 200
    assert read(front, draft).status_code == 404
    assert front.get("/article/zzzz9999/", headers={"User-Agent": CHROME}).status_code == 404
    views.flush()
    assert store.spooled() == 0


@pytest.mark.django_db
def test_with_the_beacon_the_server_counts_nothing_and_the_page_carries_it(
    front, views, store, newsroom, settings
):
    article = newsroom.article()
    served = read(front, article)
    assert b"audience/beacon" not in served.content
    settings.AUDIENCE_COUNTING = "beacon"
    other = newsroom.article(headline="새나루 시립도서관, 밤 10시까지 문 연다")
    beaconed = read(front, other)
    assert b"audience/beacon" in beaconed.content
    views.flush()
    assert store.drain() == 1  # the first page only


class Down:
    """A store that fails like Redis when it is down, then comes back."""

    def __init__(self, store):
        self.store, self.down = store, True

    def __getattr__(self, name):
        if self.down:
            raise ConnectionError("Redis down")
        return getattr(self.store, name)


def test_views_wait_while_the_store_is_down_and_count_when_it_is_back(embedded):
    down = Down(embedded)
    buffer = ViewBuffer(store=down)
    for n in range(3):
        buffer.add(seen("abcd2345", f"198.51.100.{n}", CHROME, "", "saenaru.example", time.time()))
    assert buffer.flush() == 0
    assert buffer.waiting() == 3
    down.down = False
    assert buffer.flush() == 3
    assert buffer.waiting() == 0
    assert embedded.drain() == 3
    assert embedded.open_views() == 3


class BusyOnce(Down):
    """A store busy at the first hand-over (the worker's drain holding the write lock)."""

    def __getattr__(self, name):
        if self.down:
            self.down = False
            raise ConnectionError("database is locked")
        return getattr(self.store, name)


def test_a_clean_exit_tries_again_when_the_store_is_busy(embedded):
    buffer = ViewBuffer(store=BusyOnce(embedded))
    for n in range(3):
        buffer.add(seen("abcd2345", f"198.51.100.{n}", CHROME, "", "", time.time()))
    buffer.flush_at_exit()  # there is no next second to try again in
    assert buffer.waiting() == 0
    assert embedded.drain() == 3


def test_waiting_views_are_bounded_while_the_store_is_down(embedded, monkeypatch):
    monkeypatch.setattr(pageviews, "MAX_WAITING", 5)
    down = Down(embedded)
    buffer = ViewBuffer(store=down)
    for n in range(8):
        buffer.add(seen("abcd2345", f"198.51.100.{n}", CHROME, "", "", time.time()))
    buffer.flush()
    assert buffer.waiting() == 5
    # Back: the five kept are handed over (and nothing waits for the buffer's thread, or its
    # exit hook, to log a failure long after this test).
    down.down = False
    assert buffer.flush() == 5
    assert embedded.drain() == 5


def test_threads_adding_while_flushing_lose_nothing(store):
    buffer = ViewBuffer(store=store)
    readers_per_thread, threads = 400, 4

    def read_many(t):
        for n in range(readers_per_thread):
            buffer.add(
                seen("abcd2345", f"10.{t}.{n // 250}.{n % 250}", CHROME, "", "", time.time())
            )

    workers = [threading.Thread(target=read_many, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    counted = 0
    while any(worker.is_alive() for worker in workers):
        counted += buffer.flush()
    counted += buffer.flush()
    assert counted == store.drain() == store.open_views() == readers_per_thread * threads


PROCESS = """
import sys
import django
django.setup()
import time
from sinmun.audience import pageviews
from sinmun.audience import store as stores
pageviews.buffer.store = stores.EmbeddedStore(sys.argv[1])
for n in range(int(sys.argv[2])):
    address = f"10.9.{n // 250}.{n % 250}"
    environ = {"REMOTE_ADDR": address, "HTTP_USER_AGENT": "Mozilla/5.0 X"}
    pageviews.buffer.add(pageviews.raw_view("abcd2345", environ, time.time()))
# No flush: a clean exit hands the views over by itself.
"""


def test_a_clean_exit_hands_every_view_over(tmp_path):
    path = tmp_path / "audience.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sinmun.settings"}
    subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", PROCESS, str(path), "700"], check=True, timeout=60, env=env
    )
    spooled = stores.EmbeddedStore(path)
    assert spooled.drain() == spooled.open_views() == 700


def _read_in_a_web_process(path: str, readers: int) -> None:
    buffer = ViewBuffer(store=stores.EmbeddedStore(path), flush_seconds=3600)
    for n in range(readers):
        buffer.add(seen("abcd2345", f"10.8.{n // 250}.{n % 250}", CHROME, "", "", time.time()))
    # Returns without a flush, as a granian web process does when the server stops.


def test_a_web_process_stopped_cleanly_hands_every_view_over(tmp_path):
    """granian's web processes are multiprocessing children, which never run atexit hooks."""
    import multiprocessing

    path = str(tmp_path / "audience.sqlite3")
    child = multiprocessing.get_context("fork").Process(
        target=_read_in_a_web_process, args=(path, 300)
    )
    child.start()
    child.join(60)
    assert child.exitcode == 0
    spooled = stores.EmbeddedStore(path)
    assert spooled.drain() == spooled.open_views() == 300


@pytest.mark.parametrize("header", counting.PREFETCH_HEADERS)
def test_the_request_keeps_every_prefetch_header_the_rules_read(header):
    # The request reads the prefetch headers one by one (``raw_view``); a header added to the
    # rules and not read there would never reach them.
    environ = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": CHROME}
    assert pageviews.is_reader(pageviews.raw_view("abcd2345", environ, time.time()))
    environ[clients.environ_key(header)] = "prefetch"
    assert not pageviews.is_reader(pageviews.raw_view("abcd2345", environ, time.time()))
