"""Who else has an article open, on both homes of the shared cache: files and Redis."""

import os
import subprocess
import sys
import unicodedata
import uuid

import pytest

from sinmun.newsroom import presence
from sinmun.newsroom.presence import PRESENCE_SECONDS, leave, others, touch

REDIS_MISSING = "SINMUN_TEST_REDIS_URL is not set: `make test` sets it when 127.0.0.1:6379 answers"

KIM, LEE, PARK = 1, 2, 3


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, at: float = 1_796_000_000.0):
        self.at = at

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, settings, tmp_path):
    """Point the shared cache at fresh files, or at a Redis database of this test process's own.

    Return the environment a second process needs to reach the same cache.
    """
    local = settings.CACHES["local"]
    if request.param == "file":
        default = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
        env = {"SINMUN_VAR_DIR": str(tmp_path), "SINMUN_REDIS_URL": ""}
    else:
        base = os.environ.get("SINMUN_TEST_REDIS_URL", "")
        if not base:
            pytest.fail(REDIS_MISSING)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        url = f"{base.rstrip('/')}/{5 + int(worker.removeprefix('gw') or 0) % 4}"
        default = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        env = {"SINMUN_VAR_DIR": str(tmp_path), "SINMUN_REDIS_URL": url}
    settings.CACHES = {"default": default, "local": local}
    return env


@pytest.fixture
def article(shared_cache):
    """Return an article id no other test, process or earlier run has used in this cache."""
    return uuid.uuid4().int % 10**15


@pytest.fixture
def clock():
    return Clock()


def test_two_users_see_each_other_and_not_themselves(article, clock):
    touch(article_id=article, user_id=KIM, name="김기자", now=clock)
    touch(article_id=article, user_id=LEE, name="이데스크", now=clock)
    assert others(article_id=article, user_id=KIM, now=clock) == ["이데스크"]
    assert others(article_id=article, user_id=LEE, now=clock) == ["김기자"]
    assert others(article_id=article, user_id=PARK, now=clock) == ["김기자", "이데스크"]


def test_alone_on_an_article_sees_nobody(article, clock):
    assert others(article_id=article, user_id=KIM, now=clock) == []
    touch(article_id=article, user_id=KIM, name="김기자", now=clock)
    assert others(article_id=article, user_id=KIM, now=clock) == []


def test_presence_is_per_article(article, clock):
    touch(article_id=article, user_id=KIM, name="김기자", now=clock)
    assert others(article_id=article + 1, user_id=LEE, now=clock) == []


def test_a_user_is_present_until_45_seconds_after_the_last_heartbeat(article, clock):
    assert PRESENCE_SECONDS == 45
    touch(article_id=article, user_id=KIM, name="김기자", now=clock)
    clock.advance(PRESENCE_SECONDS)
    assert others(article_id=article, user_id=LEE, now=clock) == ["김기자"]
    clock.advance(0.5)
    assert others(article_id=article, user_id=LEE, now=clock) == []


def test_heartbeats_keep_a_user_present(article, clock):
    for _ in range(8):  # two minutes of heartbeats every 15 s
        touch(article_id=article, user_id=KIM, name="김기자", now=clock)
        clock.advance(15)
    assert others(article_id=article, user_id=LEE, now=clock) == ["김기자"]


def test_a_stale_user_drops_out_while_others_stay(article, clock):
    touch(article_id=article, user_id=KIM, name="김기자", now=clock)
    clock.advance(30)
    touch(article_id=article, user_id=LEE, name="이데스크", now=clock)
    clock.advance(30)
    assert others(article_id=article, user_id=PARK, now=clock) == ["이데스크"]


def test_leave_hides_a_user_at_once(article, clock):
    touch(article_id=article, user_id=KIM, name="김기자", now=clock)
    touch(article_id=article, user_id=LEE, name="이데스크", now=clock)
    leave(article_id=article, user_id=KIM, now=clock)
    assert others(article_id=article, user_id=PARK, now=clock) == ["이데스크"]
    leave(article_id=article, user_id=LEE, now=clock)
    assert others(article_id=article, user_id=PARK, now=clock) == []


def test_leaving_an_article_never_opened_is_harmless(article, clock):
    leave(article_id=article, user_id=KIM, now=clock)
    touch(article_id=article, user_id=LEE, name="이데스크", now=clock)
    leave(article_id=article, user_id=KIM, now=clock)
    assert others(article_id=article, user_id=PARK, now=clock) == ["이데스크"]


def test_a_heartbeat_after_leaving_shows_the_user_again(article, clock):
    # A second tab of the same user keeps beating after the first tab closed.
    touch(article_id=article, user_id=KIM, name="김기자", now=clock)
    leave(article_id=article, user_id=KIM, now=clock)
    clock.advance(15)
    touch(article_id=article, user_id=KIM, name="김기자", now=clock)
    assert others(article_id=article, user_id=LEE, now=clock) == ["김기자"]


def test_one_entry_per_user_with_the_latest_name(article, clock):
    touch(article_id=article, user_id=KIM, name="김기자", now=clock)
    touch(article_id=article, user_id=KIM, name="김철수 기자", now=clock)
    assert others(article_id=article, user_id=LEE, now=clock) == ["김철수 기자"]


def test_names_come_in_korean_order(article, clock):
    names = {10: "하윤서", 11: "강민준", 12: "박서연", 13: "김도윤", 14: "Alex Kim", 15: "이지호"}
    for user_id, name in names.items():
        # Typed on some systems in decomposed jamo: stored and sorted as the same Hangul.
        touch(
            article_id=article, user_id=user_id, name=unicodedata.normalize("NFD", name), now=clock
        )
    assert others(article_id=article, user_id=KIM, now=clock) == [
        "Alex Kim",
        "강민준",
        "김도윤",
        "박서연",
        "이지호",
        "하윤서",
    ]


def test_same_names_of_different_users_both_show(article, clock):
    touch(article_id=article, user_id=KIM, name="김민지", now=clock)
    touch(article_id=article, user_id=LEE, name="김민지", now=clock)
    assert others(article_id=article, user_id=PARK, now=clock) == ["김민지", "김민지"]


def test_the_real_clock_is_the_default(article):
    touch(article_id=article, user_id=KIM, name="김기자")
    assert others(article_id=article, user_id=LEE) == ["김기자"]


def test_another_process_sees_a_heartbeat(article, shared_cache):
    # What one web worker records, the others read: the cache is the processes' only meeting point.
    # The settings module alone, without django.setup(): the cache needs no installed app.
    code = (
        "from sinmun.newsroom import presence;"
        f"presence.touch(article_id={article}, user_id={LEE}, name='이데스크')"
    )
    subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**os.environ, **shared_cache, "DJANGO_SETTINGS_MODULE": "sinmun.settings"},
        check=True,
        timeout=60,
    )
    assert presence.others(article_id=article, user_id=KIM) == ["이데스크"]
