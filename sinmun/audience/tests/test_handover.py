"""Page views handed from forked web processes to the worker through ``handover``'s socket pair.

The channel is opened in the test's process, as ``sinmun serve`` opens it before forking; the
web processes are forked children with their own ``ViewBuffer``; the worker's ``Counter`` runs
in the test's process, as in the forked worker.
"""

import multiprocessing
import os
import signal
import socket
import sqlite3
import threading
import time

import pytest

from sinmun.audience import handover, pageviews
from sinmun.audience import store as stores
from sinmun.audience.pageviews import ViewBuffer
from sinmun.testcommand import python

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ARTICLES = ["abcd2345", "efgh6789"]


def page_view(public_id, address, agent=CHROME, **headers):
    environ = {"REMOTE_ADDR": address, "HTTP_USER_AGENT": agent, "HTTP_HOST": "saenaru.example"}
    environ.update({"HTTP_" + name.upper().replace("-", "_"): v for name, v in headers.items()})
    return pageviews.raw_view(public_id, environ, time.time())


@pytest.fixture
def channel(monkeypatch):
    """Open the channel as ``sinmun serve`` does; close it after the test (and leave none open:
    the closed sockets left behind made the next test's buffer think it had a channel)."""
    monkeypatch.setattr(handover, "_sending", None)
    monkeypatch.setattr(handover, "_receiving", None)
    handover.open_channel()
    sending, receiving = handover._sending, handover._receiving
    yield receiving
    handover.stop_counting()
    for sock in (sending, receiving):
        sock.close()


def _web_process(readers: range) -> None:
    """Read every article twice per reader, plus a crawler and a prefetch, then hand over."""
    buffer = ViewBuffer(flush_seconds=3600)
    for _ in range(2):
        for reader in readers:
            for public_id in ARTICLES:
                buffer.add(page_view(public_id, f"10.0.{reader // 250}.{reader % 250}"))
    buffer.add(page_view(ARTICLES[0], "10.1.0.1", GOOGLEBOT))
    buffer.add(page_view(ARTICLES[0], "10.1.0.2", Sec_Purpose="prefetch;prerender"))
    buffer.add(page_view(ARTICLES[0], "10.1.0.3", Sec_Fetch_Dest="iframe"))
    sent = buffer.flush()
    assert sent == len(readers) * len(ARTICLES) * 2 + 3  # all of them went through the socket


def _fork(target, *args):
    process = multiprocessing.get_context("fork").Process(target=target, args=args)
    process.start()
    return process


def _pending(store) -> int:
    store.drain()  # Redis: the worker spooled them for Redis's own dedup
    return store.open_views()


def test_views_of_forked_web_processes_count_exactly_once_per_reader(channel, store):
    """A reader two processes saw is one view; crawlers, prefetches and frames are none. The
    counting process is forked as the worker forks it; its clean stop counts the rest."""
    assert handover.start_counting()
    # The same readers in both processes: the dedup is the counting process's, shared.
    processes = [_fork(_web_process, range(300)) for _ in range(2)]
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    handover.stop_counting()
    if isinstance(store, stores.EmbeddedStore):
        assert store.spooled() == 0  # counted at once, not by the spool
    assert _pending(store) == 300 * len(ARTICLES)


def test_a_killed_counting_process_is_forked_again_and_the_socket_kept_its_views(channel, embedded):
    pid = handover.start_counting()
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    buffer = ViewBuffer(flush_seconds=3600)
    for n in range(50):
        buffer.add(page_view(ARTICLES[1], f"10.7.0.{n}"))
    assert buffer.flush() == 50  # sent: they wait in the socket
    handover._process = pid  # as the worker knows it (waited for here already)
    handover.ensure_counting()  # the worker's tick
    assert handover._process not in (0, pid)
    handover.stop_counting()
    assert embedded.open_views() == 50


def test_nothing_of_the_address_or_the_user_agent_is_written(channel, store, tmp_path):
    agent = f"{CHROME} Unmistakable/7.7"
    buffer = ViewBuffer(flush_seconds=3600)
    buffer.add(page_view(ARTICLES[0], "192.0.2.77", agent))
    assert buffer.flush() == 1
    handover.Counter(channel, handover._count).stop()
    assert _pending(store) == 1
    if isinstance(store, stores.RedisStore):
        written = b"".join(
            _redis_value(store.client, key)
            for key in store.client.scan_iter(match=store.prefix + "*")
        )
    else:
        sqlite3.connect(store.path).execute("PRAGMA wal_checkpoint(FULL)").close()
        written = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.is_file())
    assert written
    for secret in (b"192.0.2.77", b"Unmistakable"):
        assert secret not in written


def _redis_value(client, key: bytes) -> bytes:
    kind = client.type(key)
    if kind == b"string":
        value = [client.get(key)]
    elif kind == b"list":
        value = client.lrange(key, 0, -1)
    elif kind == b"hash":
        value = [item for pair in client.hgetall(key).items() for item in pair]
    elif kind == b"set":
        value = list(client.smembers(key))
    else:
        value = []
    return key + b"".join(v or b"" for v in value)


def test_a_full_socket_keeps_then_spools_and_no_reader_spools_losing_nothing(
    channel, embedded, monkeypatch
):
    """The counting process is behind (nobody receives): what the socket cannot take waits in
    the web process, and is spooled there once older than HOLD_SECONDS; when nobody holds the
    socket any more everything is spooled. Each view counts once."""
    # A small machine's socket: net.core.wmem_max keeps the send buffer at its default.
    handover._sending.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
    buffer = ViewBuffer(flush_seconds=3600)
    for n in range(3000):  # ~450 KB
        buffer.add(page_view(ARTICLES[0], f"10.2.{n // 250}.{n % 250}"))
    sent = buffer.flush()
    assert 0 < sent < 3000
    assert buffer.waiting() == 3000 - sent  # kept for the next second, not spooled
    assert embedded.spooled() == 0
    monkeypatch.setattr(pageviews, "HOLD_SECONDS", -1)  # now they are too old to keep
    assert buffer.flush() == 3000 - sent
    assert buffer.waiting() == 0
    assert embedded.spooled() > 0
    # The counting process stops cleanly: it counts what waits in the socket.
    handover.Counter(channel, handover._count).stop()
    channel.close()  # and nobody holds the receiving end any more
    for n in range(100):
        buffer.add(page_view(ARTICLES[0], f"10.3.0.{n}"))
    assert buffer.flush() == 100
    assert embedded.spooled() > 0
    embedded.drain()
    assert embedded.open_views() == 3100


def test_the_keeper_counts_what_arrived_after_the_worker_stopped(channel, embedded):
    buffer = ViewBuffer(flush_seconds=3600)
    for n in range(40):
        buffer.add(page_view(ARTICLES[1], f"10.4.0.{n}"))
    assert buffer.flush() == 40
    handover.count_left(server=-1)  # the server is gone already: counts at once
    assert embedded.open_views() == 40


def test_the_counting_loop_counts_as_views_arrive_and_stops_cleanly(channel, embedded):
    stopping = threading.Event()
    counter = handover.Counter(channel, handover._count)
    loop = threading.Thread(target=counter.run, args=(stopping,), daemon=True)
    loop.start()
    buffer = ViewBuffer(flush_seconds=3600)
    for n in range(25):
        buffer.add(page_view(ARTICLES[1], f"10.5.0.{n}"))
    buffer.flush()
    deadline = time.monotonic() + 10
    while embedded.open_views() < 25 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert embedded.open_views() == 25  # while running, not at the stop
    for n in range(25, 40):
        buffer.add(page_view(ARTICLES[1], f"10.5.0.{n}"))
    buffer.flush()
    stopping.set()
    loop.join(5)
    assert embedded.open_views() == 40
    assert counter.held() == 0


def test_a_clean_stop_of_the_web_process_spools_instead_of_sending(channel, embedded):
    """At exit the worker may be gone already: the last views go to the durable spool."""
    buffer = ViewBuffer(flush_seconds=3600)
    for n in range(30):
        buffer.add(page_view(ARTICLES[0], f"10.6.0.{n}"))
    buffer.flush_at_exit()
    assert embedded.drain() == 30


HAMMER = """
import os, signal, sys, threading, time
from sinmun.audience.handover import Stopping

sys.setswitchinterval(0.0001)  # the sender gets the GIL back from the spinning main thread

stopping = Stopping()
signal.signal(signal.SIGTERM, stopping.set)

def send():
    for _ in range(3000):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.0001)  # lets the main thread run, into the handler and out

sender = threading.Thread(target=send)
sender.start()
while sender.is_alive():
    stopping.set()  # as the handler itself does: a signal lands inside it
print(stopping.is_set())
"""


def test_stop_signals_that_land_inside_the_stop_handler_do_not_hang_it():
    # A threading.Event here recursed into its own lock (RecursionError in this script; in
    # the counting process a deadlock that outlived the server).
    done = python(HAMMER)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"


def _policies_while_counting(views, answer) -> None:
    """In a forked child: go to the idle class as the counting process does, count ``views``
    through the counting process's own path, and send back the scheduling policy seen while
    the store's write lock was held, and the one after."""
    seen = []
    inner = stores.EmbeddedStore._count

    def recording(self, db, hashed):
        seen.append(os.sched_getscheduler(0))
        return inner(self, db, hashed)

    stores.EmbeddedStore._count = recording
    handover._lowest_priority()
    counted = handover._count(views)
    answer.send((counted, seen, os.sched_getscheduler(0)))


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling classes")
def test_the_counting_process_holds_the_write_lock_at_normal_priority_and_goes_back_idle(embedded):
    """In the idle class a saturated machine starved the counting process while it held the
    store's write lock, and the web processes, waiting on it to spool, dropped views."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    except PermissionError:
        pytest.skip("this user may not leave the idle class (RLIMIT_NICE)")
    seen, after = _count_in_a_child(_policies_while_counting, embedded)
    assert (seen, after) == ([os.SCHED_OTHER], os.SCHED_IDLE)


def _count_in_a_child(target, embedded) -> tuple[list[int], int]:
    """Count five readers' views in a forked child running ``target``; check they are counted,
    and return the scheduling policies the child saw inside the transaction and after."""
    views = [page_view(ARTICLES[0], f"10.2.0.{n}") for n in range(5)]
    answer, child_end = multiprocessing.Pipe()
    child = _fork(target, views, child_end)
    counted, seen, after = answer.recv()
    child.join(10)
    assert counted == 5 and embedded.open_views() == 5
    return seen, after


def _policies_where_idle_is_for_good(views, answer) -> None:
    """As ``_policies_while_counting``, for a user who may not leave the idle class (no
    ``CAP_SYS_NICE``, ``RLIMIT_NICE`` 0): the kernel's refusal is played here, as the kernel
    plays it, for a thread in the idle class asking for the normal one."""
    real = os.sched_setscheduler

    def as_an_unprivileged_user(pid, policy, param):
        if policy == os.SCHED_OTHER and os.sched_getscheduler(pid) == os.SCHED_IDLE:
            raise PermissionError(1, "Operation not permitted")
        return real(pid, policy, param)

    os.sched_setscheduler = as_an_unprivileged_user
    _policies_while_counting(views, answer)


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling classes")
def test_a_counting_process_that_could_not_come_back_from_idle_stays_at_normal_priority(embedded):
    # Stuck in the idle class, it would hold the write lock starved (revision 6's loss).
    seen, after = _count_in_a_child(_policies_where_idle_is_for_good, embedded)
    assert (seen, after) == ([os.SCHED_OTHER], os.SCHED_OTHER)


def test_a_system_without_the_idle_class_counts_at_normal_priority_and_says_so(monkeypatch, caplog):
    # macOS, the BSDs: no SCHED_IDLE; the message must not blame the user's privileges.
    monkeypatch.delattr(os, "SCHED_IDLE", raising=False)
    monkeypatch.setattr(handover, "_idle", False)
    with caplog.at_level("WARNING", logger=handover.logger.name):
        handover._lowest_priority()
    assert handover._idle is False
    assert "이 시스템에는 유휴 우선순위가 없어" in caplog.text
    assert "이 사용자는" not in caplog.text


def _first_hand_over(buffer: ViewBuffer, handed, timeout: float = 10.0) -> float:
    """Add one view, then return the seconds until ``handed()`` says it left the buffer."""
    started = time.monotonic()
    buffer.add(page_view(ARTICLES[0], "10.9.0.1"))
    while not handed():
        assert time.monotonic() - started < timeout, "the view was never handed on"
        time.sleep(0.01)
    return time.monotonic() - started


def test_the_thread_hands_views_to_the_counting_process_ten_times_a_second(channel):
    # A tenth of a second's views are packed while still in the core's cache (revision 8).
    channel.setblocking(False)
    received = []

    def handed():
        try:
            received.append(channel.recv(handover.READ_BYTES))
        except BlockingIOError:
            pass
        return bool(received)

    buffer = ViewBuffer(spool_seconds=30)
    _first_hand_over(buffer, handed)  # the thread is started by the first view
    received.clear()
    assert _first_hand_over(buffer, handed) < 0.6  # once a second took up to a second


def test_without_a_counting_process_views_are_spooled_once_a_second(tmp_path):
    # Each spool hand-over is a write to the store: not ten of them a second.
    store = stores.EmbeddedStore(tmp_path / "audience.sqlite3")
    buffer = ViewBuffer(store=store, flush_seconds=0.05, spool_seconds=1.5)
    assert _first_hand_over(buffer, lambda: store.spooled() > 0) >= 1.4
    assert _first_hand_over(buffer, lambda: store.spooled() > 1) >= 1.0
