"""The full-page cache: hits cost no query, and every public change is seen at once."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from sinmun.newsroom import actors, generation, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_second_request_is_a_hit_without_queries(client, newsroom, django_assert_num_queries):
    article = newsroom.article()
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_query_string_is_part_of_the_key(client, newsroom):
    newsroom.article()
    client.get("/section/it-science/")
    assert client.get("/section/it-science/?page=2")["X-Page-Cache"] == "miss"


def test_publishing_shows_on_the_home_page_at_once(
    client, newsroom, django_capture_on_commit_callbacks
):
    newsroom.article(headline="먼저 나간 기사")
    assert "먼저 나간 기사" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article(headline="방금 출고한 속보", minutes_ago=0)
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "방금 출고한 속보" in response.content.decode()


def test_updating_a_published_article_shows_at_once(
    client, newsroom, django_capture_on_commit_callbacks
):
    article = newsroom.article(headline="고치기 전 제목")
    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=article, by=actors.DEMO, headline="고친 뒤 제목")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "고친 뒤 제목" in page
    assert "고치기 전 제목" not in page


def test_withdrawing_answers_gone_at_once(client, newsroom, django_capture_on_commit_callbacks):
    article = newsroom.article()
    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(article=article, by=actors.DEMO)
    assert client.get(article.get_absolute_url()).status_code == 410


def test_a_change_without_commit_keeps_the_cached_page(client, newsroom):
    """The bump waits for the commit: a rolled-back change must not start a generation."""
    article = newsroom.article(headline="그대로인 제목")
    client.get(article.get_absolute_url())
    before = generation.current()
    services.article_update(article=article, by=actors.DEMO, headline="커밋되지 않은 제목")
    assert generation.current() == before
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_desk_sessions_are_never_served_from_the_cache(client, newsroom):
    article = newsroom.article()
    client.get(article.get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = "desk-session"
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_not_found_is_not_cached(client, newsroom):
    client.get("/article/nothere/")
    response = client.get("/article/nothere/")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response


def test_page_cache_off_renders_every_time(client, newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 0
    article = newsroom.article()
    client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in client.get(article.get_absolute_url())


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
