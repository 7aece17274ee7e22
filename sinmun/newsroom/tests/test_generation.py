"""The content generation on both of its homes: a file (one machine) and Redis (many boxes)."""

import os
import subprocess
import sys
import threading
import time

import pytest

from sinmun.newsroom import generation
from sinmun.testcommand import python

REDIS_MISSING = "SINMUN_TEST_REDIS_URL is not set: `make test` sets it when 127.0.0.1:6379 answers"


@pytest.fixture(params=["file", "redis"])
def home(request, settings, tmp_path):
    """Point the generation at a fresh file, or at a Redis database of this test process's own."""
    settings.VAR_DIR = tmp_path
    settings.REDIS_URL = ""
    if request.param == "redis":
        base = os.environ.get("SINMUN_TEST_REDIS_URL", "")
        if not base:
            pytest.fail(REDIS_MISSING)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        settings.REDIS_URL = f"{base.rstrip('/')}/{5 + int(worker.removeprefix('gw') or 0) % 4}"
    generation._redis.cache_clear()
    generation.forget_reads()
    if settings.REDIS_URL:
        generation._redis().delete(generation.REDIS_KEY)
    yield request.param
    generation._redis.cache_clear()
    generation.forget_reads()


def test_a_bump_moves_the_generation_forward(home):
    before = generation.current()
    generation.bump()
    after = generation.current()
    generation.bump()
    assert before < after < generation.current()


def test_bumps_at_the_same_moment_are_never_lost(home):
    # Two processes committing at once must each start a generation of their own: a lost bump
    # would let a page rendered between them be served without the second change.
    seen: list[int] = []
    lock = threading.Lock()

    def bump_many():
        for _ in range(50):
            generation.bump()
            value = generation.current()
            with lock:
                seen.append(value)

    threads = [threading.Thread(target=bump_many) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if home == "redis":
        assert generation.current() == 100
    else:
        assert generation.current() >= max(seen)
        assert len(set(seen)) >= 50


def test_a_bump_answered_first_is_not_overwritten_by_an_older_one(settings, monkeypatch):
    # Two threads bump; Redis answers the first INCR (1) only after the second thread's INCR
    # (2) would have been answered. What this process remembers must be 2, not 1.
    settings.REDIS_URL = "redis://sinmun.invalid/0"
    generation.forget_reads()
    first_inside, release = threading.Event(), threading.Event()

    class SlowFirstAnswer:
        value = 0

        def incr(self, key):
            self.value += 1
            answer = self.value
            if answer == 1:
                first_inside.set()
                release.wait(5)
            return answer

    redis = SlowFirstAnswer()
    monkeypatch.setattr(generation, "_redis", lambda: redis)
    first = threading.Thread(target=generation.bump)
    first.start()
    assert first_inside.wait(5)
    second = threading.Thread(target=generation.bump)
    second.start()
    second.join(0.3)  # with the lock it waits for the first; without, it is answered 2 now
    release.set()
    first.join(5)
    second.join(5)
    try:
        assert generation.current() == 2
    finally:
        generation.forget_reads()


def test_another_process_sees_a_bump_at_its_next_read(home, settings):
    before = generation.current()
    env = dict(
        os.environ, SINMUN_VAR_DIR=str(settings.VAR_DIR), SINMUN_REDIS_URL=settings.REDIS_URL
    )
    code = (
        "import django; django.setup(); from sinmun.newsroom import generation; generation.bump()"
    )
    subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "sinmun.settings"},
        check=True,
        timeout=60,
    )
    assert generation.current() > before


def test_cached_values_last_until_the_next_generation(home):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert generation.cached("test:value", compute, 60) == 1
    assert generation.cached("test:value", compute, 60) == 1
    generation.bump()
    assert generation.cached("test:value", compute, 60) == 2


def test_a_kept_value_is_handed_out_as_is_until_the_local_cache_is_cleared(home):
    from django.core.cache import caches

    made = []

    def compute():
        made.append(["the menu"])
        return made[-1]

    first = generation.cached("test:object", compute, 60)
    assert generation.cached("test:object", compute, 60) is first  # not a pickled copy
    caches["local"].clear()
    assert generation.cached("test:object", compute, 60) is not first
    assert len(made) == 2


@pytest.fixture
def file_home(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.REDIS_URL = ""
    return tmp_path


def test_a_file_of_the_earlier_layout_is_taken_over_with_a_later_generation(file_home):
    # Before, the generation was the empty file's modification time; pages kept under it must
    # not match the first generation read from the file's bytes.
    old = file_home / "content-generation"
    old.touch()
    later_than_now = time.time_ns() + 3_600 * 10**9
    os.utime(old, ns=(later_than_now, later_than_now))
    assert generation.current() > later_than_now


def test_a_generation_file_made_again_is_seen(file_home):
    first = generation.current()
    (file_home / "content-generation").unlink()
    # Another process makes the file again (a var folder put back by hand) and bumps it.
    other = generation._Mapped(os.fspath(file_home / "content-generation"))
    other.bump()
    # The next look at the path, a second after the last one, finds the new file.
    generation._files[generation.CONTENT].checked -= generation.RECHECK_SECONDS
    assert generation.current() == other.read() != first
    # A bump of this process writes to the file that is there now.
    generation.bump()
    assert other.read() == generation.current() > first


def test_a_forked_process_and_its_parent_see_each_others_bumps(file_home):
    before = generation.current()  # mapped before the fork, as in `sinmun serve`
    child = os.fork()
    if child == 0:  # pragma: no cover - the child leaves at once
        generation.bump()
        os._exit(0)
    os.waitpid(child, 0)
    after = generation.current()
    assert after > before
    generation.bump()
    assert generation.current() > after


def test_the_ads_generation_moves_apart_from_the_content_generation(home):
    from sinmun.ads import inventory

    content, ads = generation.current(), inventory.generation()
    inventory.bump()
    assert inventory.generation() > ads
    assert generation.current() == content


def test_values_of_an_ended_generation_are_let_go_at_the_next_one(home):
    generation.cached("test:old", lambda: ["old"], 60)
    assert any(key.startswith("test:old:") for key in generation._kept)
    generation.bump()
    generation.cached("test:new", lambda: ["new"], 60)
    assert not any(key.startswith("test:old:") for key in generation._kept)
    assert any(key.startswith("test:new:") for key in generation._kept)


FORKED_WHILE_HELD = """
import os, threading
from sinmun.newsroom import generation

held, release = threading.Event(), threading.Event()

def holder():
    with generation._redis_lock:
        held.set()
        release.wait(5)

threading.Thread(target=holder).start()
held.wait(5)
child = os.fork()
if child == 0:
    os._exit(0 if generation._redis_lock.acquire(timeout=2) else 1)
_, status = os.waitpid(child, 0)
release.set()
print(os.waitstatus_to_exitcode(status))
"""


def test_a_process_forked_while_another_thread_reads_redis_can_read_redis():
    done = python(FORKED_WHILE_HELD)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0"]
