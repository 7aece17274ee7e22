"""Counting from many threads and many processes at once: the totals are exact."""

import multiprocessing
import threading
import time

import pytest

from sinmun.audience import services
from sinmun.audience import store as stores
from sinmun.audience.models import DailyViews
from sinmun.audience.pageviews import ViewBuffer

from .conftest import redis_url, seen
from .counting_process import count

READERS = 120
ARTICLES_PER_WORKER = 2
WORKERS = 4


def _where(store) -> tuple[str, str, str]:
    if isinstance(store, stores.EmbeddedStore):
        return "embedded", store.path, ""
    return "redis", redis_url(), store.prefix


def _ranges() -> list[range]:
    # Overlapping readers between workers: the same reader counted by two processes is one view.
    step = READERS // WORKERS
    return [range(n * step, n * step + step * 2) for n in range(WORKERS)]


def _expected(articles) -> int:
    readers = set()
    for r in _ranges():
        readers.update(r)
    return len(readers) * len(articles)


@pytest.mark.django_db
def test_threads_count_exactly(store, newsroom):
    articles = [
        newsroom.article(headline=f"기사 {n}").public_id for n in range(ARTICLES_PER_WORKER)
    ]
    kind, where, prefix = _where(store)
    now = time.time()
    threads = [
        threading.Thread(target=count, args=(kind, where, prefix, readers, articles, now))
        for readers in _ranges()
    ]
    for thread in threads:
        thread.start()
    # A flush running while they count must neither lose nor double a view.
    flushed = 0
    while any(t.is_alive() for t in threads):
        flushed += services.views_flush()
    for thread in threads:
        thread.join()
    flushed += services.views_flush()
    assert flushed == _expected(articles)
    assert sum(DailyViews.objects.values_list("views", flat=True)) == _expected(articles)


def _count_in_processes(store, newsroom, start_method: str, target) -> None:
    """Run ``target`` in a process per reader range while the worker drains; check the totals."""
    articles = [
        newsroom.article(headline=f"기사 {n}").public_id for n in range(ARTICLES_PER_WORKER)
    ]
    kind, where, prefix = _where(store)
    now = time.time()
    context = multiprocessing.get_context(start_method)
    processes = [
        context.Process(target=target, args=(kind, where, prefix, readers, articles, now))
        for readers in _ranges()
    ]
    for process in processes:
        process.start()
    flushed = 0
    while any(p.is_alive() for p in processes):
        flushed += services.views_flush()
        time.sleep(0.05)  # the worker drains every 15 s, not in a tight loop
    for process in processes:
        process.join()
        assert process.exitcode == 0
    flushed += services.views_flush()
    assert flushed == _expected(articles)
    assert sum(DailyViews.objects.values_list("views", flat=True)) == _expected(articles)


@pytest.mark.django_db
def test_processes_count_exactly(store, newsroom):
    _count_in_processes(store, newsroom, "spawn", count)


def _read_in_a_web_process(kind, where, prefix, readers, articles, now) -> None:
    """Spool every reader of every article twice, as a web process does (``pageviews``)."""
    store = stores.EmbeddedStore(where) if kind == "embedded" else stores.RedisStore(where, prefix)
    buffer = ViewBuffer(store=store, flush_seconds=0.01)
    for _ in range(2):
        for reader in readers:
            for public_id in articles:
                address = f"10.0.{reader // 250}.{reader % 250}"
                buffer.add(seen(public_id, address, "Mozilla/5.0 test", "", "", now))
    # Leaves as a granian web process does: its clean exit hands the rest to the spool.


@pytest.mark.django_db
def test_web_processes_spooling_while_the_worker_drains_count_exactly(store, newsroom):
    """The dedup is the worker's, shared by every web process: a reader two processes saw is
    one view, and a drain running while they spool neither loses nor doubles one."""
    _count_in_processes(store, newsroom, "fork", _read_in_a_web_process)
