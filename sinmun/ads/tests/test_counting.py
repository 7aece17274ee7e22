"""Counting without a database write per event: exact totals under concurrent writers, each
batch applied once even when the worker dies half-way, on the spool files and on Redis."""

import multiprocessing
import os
import threading
import uuid
from datetime import date

import pytest
from django.db.models import Sum

from sinmun.ads import counting
from sinmun.ads.models import DailyStat, FlushMark

DAY = date(2026, 12, 6)


def redis_store():
    url = os.environ.get("SINMUN_TEST_REDIS_URL", "")
    if not url:
        pytest.fail("SINMUN_TEST_REDIS_URL is not set: `make test` sets it when Redis answers")
    return counting.RedisStore(url, prefix=f"sinmun:ads-test:{uuid.uuid4().hex}:")


@pytest.fixture(params=["spool", "redis"])
def store(request, tmp_path):
    if request.param == "redis":
        made = redis_store()
        yield made
        for key in made.client.scan_iter(match=f"{made.pending.rsplit(':', 1)[0]}:*"):
            made.client.delete(key)
    else:
        yield counting.SpoolStore(tmp_path / "spool")


def key(creative, kind=counting.VIEW, slot="rail-top", campaign=None):
    return counting.event_key(
        day=DAY, campaign_id=campaign or creative.campaign_id, creative_id=creative.pk,
        slot=slot, kind=kind,
    )  # fmt: skip


def totals():
    return DailyStat.objects.aggregate(v=Sum("impressions"), c=Sum("clicks"))


@pytest.fixture
def creative(booked):
    return booked["creatives"][(booked["paid"].pk, "rectangle")]


def test_flush_adds_counts_per_day_creative_and_slot(store, creative):
    for _ in range(3):
        store.add(key(creative))
    store.add(key(creative, counting.CLICK))
    store.add(key(creative, slot="rail-bottom"))
    assert DailyStat.objects.count() == 0  # nothing reaches the database before a flush
    assert counting.flush(store=store) == 5
    rows = {r.slot: (r.impressions, r.clicks) for r in DailyStat.objects.filter(day=DAY)}
    assert rows == {"rail-top": (3, 1), "rail-bottom": (1, 0)}
    assert counting.flush(store=store) == 0  # taken once
    store.add(key(creative))
    counting.flush(store=store)
    assert DailyStat.objects.get(slot="rail-top").impressions == 4


def test_a_batch_taken_but_not_committed_is_applied_at_the_next_flush(store, creative, monkeypatch):
    for _ in range(5):
        store.add(key(creative))

    def die(counts):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(counting, "_apply", die)
    with pytest.raises(RuntimeError):
        counting.flush(store=store)
    monkeypatch.undo()
    assert DailyStat.objects.count() == 0
    store.add(key(creative))  # new events meanwhile
    assert counting.flush(store=store) == 6
    assert totals()["v"] == 6


def test_a_batch_committed_but_not_removed_is_not_counted_twice(store, creative, monkeypatch):
    for _ in range(4):
        store.add(key(creative))
    monkeypatch.setattr(store, "done", lambda batch: None)  # killed right after the commit
    assert counting.flush(store=store) == 4
    monkeypatch.undo()
    assert FlushMark.objects.count() == 1
    assert counting.flush(store=store) == 0  # the same batch again: removed, not re-added
    assert totals()["v"] == 4
    assert list(store.take()) == []


def test_counts_of_an_unknown_creative_are_dropped_not_fatal(store, creative):
    store.add(key(creative))
    store.add(counting.event_key(day=DAY, campaign_id=1, creative_id=999999, slot="x", kind="v"))
    store.add("garbage|line")
    assert counting.flush(store=store) == 1
    assert totals()["v"] == 1
    assert list(store.take()) == []


def test_threads_writing_while_the_worker_flushes_lose_nothing(store, creative):
    threads, per_thread = 8, 250
    go = threading.Event()

    def write():
        go.wait()
        for n in range(per_thread):
            store.add(key(creative, counting.CLICK if n % 5 == 0 else counting.VIEW))

    workers = [threading.Thread(target=write) for _ in range(threads)]
    for t in workers:
        t.start()
    go.set()
    while any(t.is_alive() for t in workers):
        counting.flush(store=store)
    for t in workers:
        t.join()
    counting.flush(store=store)
    assert totals() == {"v": threads * 200, "c": threads * 50}


def _write_from_process(folder: str, line: str, n: int) -> None:
    spool = counting.SpoolStore(folder)
    for _ in range(n):
        spool.add(line)


def test_processes_writing_the_spool_while_it_is_flushed_lose_nothing(tmp_path, creative):
    spool = counting.SpoolStore(tmp_path / "spool")
    line = key(creative)
    context = multiprocessing.get_context("fork")
    procs = [
        context.Process(target=_write_from_process, args=(str(spool.folder), line, 400))
        for _ in range(4)
    ]
    for p in procs:
        p.start()
    while any(p.is_alive() for p in procs):
        counting.flush(store=spool)
    for p in procs:
        p.join()
        assert p.exitcode == 0
    counting.flush(store=spool)
    assert totals()["v"] == 1600
