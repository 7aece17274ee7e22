"""The full-page cache in front of Django: hits cost no query and never enter a view, and every
public change is seen at once."""

import gzip
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.test import RequestFactory

from sinmun.newsroom import actors, generation, services
from sinmun.newsroom.models import Section
from sinmun.public import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_second_request_is_a_hit_without_queries(front, newsroom, django_assert_num_queries):
    article = newsroom.article()
    first = front.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = front.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_query_string_is_part_of_the_key(front, newsroom):
    newsroom.article()
    front.get("/section/it-science/")
    assert front.get("/section/it-science/?page=2")["X-Page-Cache"] == "miss"


def test_publishing_shows_on_the_home_page_at_once(
    front, newsroom, django_capture_on_commit_callbacks
):
    newsroom.article(headline="먼저 나간 기사")
    assert "먼저 나간 기사" in front.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article(headline="방금 출고한 속보", minutes_ago=0)
    response = front.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "방금 출고한 속보" in response.content.decode()


def test_updating_a_published_article_shows_at_once(
    front, newsroom, django_capture_on_commit_callbacks
):
    article = newsroom.article(headline="고치기 전 제목")
    front.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=article, by=actors.DEMO, headline="고친 뒤 제목")
    page = front.get(article.get_absolute_url()).content.decode()
    assert "고친 뒤 제목" in page
    assert "고치기 전 제목" not in page


def test_withdrawing_answers_gone_at_once(front, newsroom, django_capture_on_commit_callbacks):
    article = newsroom.article()
    front.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(article=article, by=actors.DEMO)
    assert front.get(article.get_absolute_url()).status_code == 410


def test_a_change_without_commit_keeps_the_cached_page(front, newsroom):
    """The bump waits for the commit: a rolled-back change must not start a generation."""
    article = newsroom.article(headline="그대로인 제목")
    front.get(article.get_absolute_url())
    before = generation.current()
    services.article_update(article=article, by=actors.DEMO, headline="커밋되지 않은 제목")
    assert generation.current() == before
    assert front.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_desk_sessions_are_never_served_from_the_cache(front, newsroom):
    article = newsroom.article()
    front.get(article.get_absolute_url())
    front.cookies[settings.SESSION_COOKIE_NAME] = "desk-session"
    response = front.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_not_found_is_not_cached(front, newsroom):
    front.get("/article/nothere/")
    response = front.get("/article/nothere/")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response


def test_page_cache_off_renders_every_time(front, newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 0
    article = newsroom.article()
    front.get(article.get_absolute_url())
    assert "X-Page-Cache" not in front.get(article.get_absolute_url())


def test_generation_is_shared_with_other_processes():
    """A publish from the `sinmun` command (another process) must end the web workers' copies."""
    before = generation.current()
    env = {**os.environ, "SINMUN_VAR_DIR": str(settings.VAR_DIR)}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sinmun.settings'; "
        "django.setup(); from sinmun.newsroom import generation; generation.bump()"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)  # noqa: S603
    assert generation.current() > before


def test_bump_always_moves_forward():
    values = []
    for _ in range(20):
        generation.bump()
        values.append(generation.current())
    assert values == sorted(set(values))


# --- The layer in front of Django --------------------------------------------------------------


def test_a_hit_never_enters_a_view_or_the_middleware(front, newsroom, monkeypatch):
    article = newsroom.article()
    front.get(article.get_absolute_url())
    from sinmun import wsgi

    def must_not_run(environ, start_response):
        raise AssertionError("Django was entered for a cached page")

    layer = wsgi.application
    while not isinstance(layer, pagecache.PageCacheFront):
        layer = layer.app  # other layers in front (the audience beacon)
    monkeypatch.setattr(layer, "app", must_not_run)
    response = front.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_a_hit_repeats_the_headers_the_middleware_added(front, newsroom):
    article = newsroom.article()
    first = front.get(article.get_absolute_url())
    second = front.get(article.get_absolute_url())
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cache-Control"):
        assert second[name] == first[name], name
    assert second["Content-Length"] == str(len(second.content))


def test_etag_and_last_modified_answer_304_without_a_body(front, newsroom):
    article = newsroom.article()
    front.get(article.get_absolute_url())
    hit = front.get(article.get_absolute_url())
    not_modified = front.get(article.get_absolute_url(), headers={"If-None-Match": hit["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == hit["ETag"]
    since = front.get(
        article.get_absolute_url(), headers={"If-Modified-Since": hit["Last-Modified"]}
    )
    assert since.status_code == 304
    other = front.get(article.get_absolute_url(), headers={"If-None-Match": '"another"'})
    assert other.status_code == 200
    assert other.content == hit.content


def test_the_etag_changes_when_the_article_changes(front, newsroom, committed):
    article = newsroom.article(headline="처음 제목")
    front.get(article.get_absolute_url())
    before = front.get(article.get_absolute_url())["ETag"]
    with committed():
        services.article_update(article=article, by=actors.DEMO, headline="바뀐 제목")
    after = front.get(article.get_absolute_url(), headers={"If-None-Match": before})
    assert after.status_code == 200
    assert "바뀐 제목" in after.content.decode()
    assert after["ETag"] != before


def test_gzip_for_readers_who_accept_it(front, newsroom):
    article = newsroom.article()
    plain = front.get(article.get_absolute_url())
    front.get(article.get_absolute_url())
    packed = front.get(article.get_absolute_url(), headers={"Accept-Encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert packed["Vary"] == "Accept-Encoding"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


def test_head_answers_headers_only(front, newsroom):
    article = newsroom.article()
    page = front.get(article.get_absolute_url())
    head = front.head(article.get_absolute_url())
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(page.content))


def test_a_head_before_any_get_keeps_the_page_and_answers_its_etag(front, newsroom):
    """A HEAD is often a crawler's or a monitor's first request: it gets the GET's validators."""
    article = newsroom.article()
    head = front.head(article.get_absolute_url())
    assert head.status_code == 200
    assert head.content == b""
    assert head["X-Page-Cache"] == "miss"
    page = front.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"  # the HEAD kept it, with its body
    assert "<h1" in page.content.decode()
    assert head["ETag"] == page["ETag"]
    assert head["Content-Length"] == str(len(page.content))


def test_a_head_of_a_missing_page_answers_no_body(front, newsroom):
    missing = front.head("/article/zzzz9999/")
    assert missing.status_code == 404
    assert missing.content == b""


def test_surrogate_keys_name_the_article_its_links_and_not_the_menu(front, newsroom):
    other = newsroom.article(headline="관련된 앞 기사", keywords=["반도체"])
    article = newsroom.article(headline="본 기사", keywords=["반도체"])
    keys = front.get(article.get_absolute_url())["Surrogate-Key"].split()
    assert f"a-{article.public_id}" in keys
    assert f"a-{other.public_id}" in keys
    assert f"s-{article.section.slug}" in keys
    assert "site" in keys
    # Every page's menu links every section; only the page's own content counts.
    menu_only = {f"s-{s.slug}" for s in Section.objects.exclude(pk=article.section_id)}
    assert not menu_only & set(keys)


def _inner_app(extra_headers):
    def app(environ, start_response):
        start_response(
            "200 OK",
            [("Content-Type", "text/html"), ("X-Page-Cache", "miss"), *extra_headers],
        )
        return [b"<main>page</main>"]

    return app


def test_nothing_with_a_cookie_is_kept(front):
    app = pagecache.PageCacheFront(_inner_app([("Set-Cookie", "reader=1; Path=/")]))
    environ = RequestFactory().get("/article/x1/").environ
    for _ in range(2):
        result = app(dict(environ), lambda status, headers, exc_info=None: None)
        assert b"".join(result) == b"<main>page</main>"
    assert len(pagecache.store) == 0


def test_a_desk_session_passes_through_and_is_not_kept(front):
    calls = []

    def inner(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return _inner_app([])(environ, start_response)

    app = pagecache.PageCacheFront(inner)
    environ = RequestFactory().get("/article/x1/").environ
    environ["HTTP_COOKIE"] = f"{settings.SESSION_COOKIE_NAME}=abc"
    for _ in range(3):
        app(dict(environ), lambda status, headers, exc_info=None: None)
    assert len(calls) == 3
    assert len(pagecache.store) == 0


def test_the_store_is_bounded_and_drops_its_oldest_pages():
    def entry():
        return pagecache._make_entry("200 OK", [("Content-Type", "text/html")], b"x" * 1000)

    store = pagecache.PageStore(max_bytes=3 * entry().size)
    for n in range(5):
        store.put(f"/page/{n}/?", entry())
    assert len(store) == 3
    assert store.get("/page/0/?") is None
    assert store.get("/page/4/?") is not None


def test_a_render_that_overlaps_a_publish_is_not_served_after_it(front, newsroom, monkeypatch):
    """The generation is read before the render: a page rendered while a change commits is
    stored under the old generation and so is never a hit afterwards."""
    article = newsroom.article()
    real_view = pagecache.PageCacheFront._render_and_keep

    def render_during_a_bump(self, key, current, environ, start_response, method):
        result = real_view(self, key, current, environ, start_response, method)
        generation.bump()
        return result

    monkeypatch.setattr(pagecache.PageCacheFront, "_render_and_keep", render_during_a_bump)
    front.get(article.get_absolute_url())
    monkeypatch.setattr(pagecache.PageCacheFront, "_render_and_keep", real_view)
    assert front.get(article.get_absolute_url())["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("shared", ["files", "redis"])
def test_another_process_bump_is_seen_within_the_read_interval(shared, settings):
    import time as clock

    if shared == "redis":
        url = os.environ.get("SINMUN_TEST_REDIS_URL")
        if not url:
            pytest.fail("SINMUN_TEST_REDIS_URL is not set: `make test` sets it")
        settings.REDIS_URL = url
        generation._redis.cache_clear()
    try:
        before = generation.current()
        env = {**os.environ, "SINMUN_VAR_DIR": str(settings.VAR_DIR)}
        if shared == "redis":
            env["SINMUN_REDIS_URL"] = settings.REDIS_URL
        code = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sinmun.settings'; "
            "django.setup(); from sinmun.newsroom import generation; generation.bump()"
        )
        subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)  # noqa: S603
        clock.sleep(generation.REDIS_READ_INTERVAL + 0.05)
        assert generation.current() != before
    finally:
        generation._redis.cache_clear()
        generation.forget_reads()


def test_a_page_whose_minute_ran_out_is_rendered_by_one_request_while_others_get_it(
    front, newsroom, monkeypatch
):
    article = newsroom.article(headline="만료된 쪽")
    url = article.get_absolute_url()
    front.get(url)
    key = url + "?"
    pagecache.store.get(key).expires = 0  # its minute ran out; the generation is the same
    monkeypatch.setitem(pagecache._renewing, key, True)  # another request is rendering it
    assert front.get(url)["X-Page-Cache"] == "hit"
    monkeypatch.delitem(pagecache._renewing, key)
    assert front.get(url)["X-Page-Cache"] == "miss"  # nobody renewing it: this one renders


def test_a_new_generation_is_never_answered_with_the_old_page(
    front, newsroom, monkeypatch, committed
):
    article = newsroom.article(headline="바뀌기 전")
    url = article.get_absolute_url()
    front.get(url)
    monkeypatch.setitem(pagecache._renewing, url + "?", True)
    with committed():
        services.article_update(article=article, by=actors.DEMO, headline="바뀐 뒤")
    response = front.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "바뀐 뒤" in response.content.decode()


class _SlowPage:
    """A WSGI application whose renders wait for ``release`` (numbered, so answers tell which)."""

    def __init__(self):
        self.renders = 0
        self.started = threading.Semaphore(0)
        self.release = threading.Event()

    def __call__(self, environ, start_response):
        self.renders += 1
        number = self.renders
        self.started.release()
        self.release.wait(5)
        start_response("200 OK", [("Content-Type", "text/html"), ("X-Page-Cache", "miss")])
        return [f"판 {number}".encode()]


def _ask_in_thread(front, answers):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/busy/", "QUERY_STRING": ""}
    thread = threading.Thread(
        target=lambda: answers.append(b"".join(front(environ, lambda *a: None)).decode())
    )
    thread.start()
    return thread


def test_after_a_change_one_request_renders_the_page_and_the_others_wait_for_it():
    page = _SlowPage()
    front, answers = pagecache.PageCacheFront(page), []
    first = _ask_in_thread(front, answers)
    assert page.started.acquire(timeout=5)
    underway = pagecache._rendering["/busy/?"]
    waiting, wait = threading.Event(), underway.done.wait
    underway.done.wait = lambda timeout: waiting.set() or wait(timeout)
    second = _ask_in_thread(front, answers)
    assert waiting.wait(5)  # the second request waits for the first one's render
    page.release.set()
    first.join(5)
    second.join(5)
    assert page.renders == 1
    assert answers == ["판 1", "판 1"]
    assert not pagecache._rendering


def test_a_render_from_before_a_change_is_not_waited_for(monkeypatch):
    monkeypatch.setattr(pagecache, "RENDER_WAIT_SECONDS", 30)  # a wrong wait outlasts the 5 s
    page = _SlowPage()
    front, answers = pagecache.PageCacheFront(page), []
    first = _ask_in_thread(front, answers)
    assert page.started.acquire(timeout=5)
    generation.bump()
    second = _ask_in_thread(front, answers)
    assert page.started.acquire(timeout=5)  # rendered again under the new generation
    page.release.set()
    first.join(5)
    second.join(5)
    assert sorted(answers) == ["판 1", "판 2"]
