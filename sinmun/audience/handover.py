"""Page views handed from the web processes to the worker forked beside them, memory to memory.

``sinmun serve`` forks its web processes and the worker (through its keeper) from one loaded
process. Before it forks, it opens a channel here (``open_channel``): an ``AF_UNIX`` datagram
socket pair. The web processes send their raw views over it ten times a second (``send``: one
``marshal`` datagram of up to ``VIEWS_A_DATAGRAM`` views, never blocking; a datagram is whole or
not sent, whatever the number of writers). The worker forks a *counting process* that receives
them and counts them (``Counter``): the reader test, the keyed hash and the 30-minute dedup,
one transaction a second. It runs in the idle scheduling class and has one thread,
so it only ever uses a core nothing else wants and holds no lock (the GIL) that the worker's own
jobs need; it holds the store's write lock at normal priority, and where the system would not
let it come back from the idle class it stays at normal priority (revision 7). A web process
does no more per view than keep a tuple and send it (docs/decisions/0020, revision 3).

What is sent is the address and the User-Agent themselves, but only through the kernel's memory
between two of the site's own processes: nothing is written anywhere before it is hashed.

Where there is no channel — a separately run ``sinmun worker``, ``serve --no-worker``, the
development server, the test client — or nobody reads it any more, the web process counts as
before: it judges, hashes and spools (``services.views_spool``). While the socket is full (the
counting process waits for an idle core) a web process keeps its views, and spools those older
than ``pageviews.HOLD_SECONDS`` itself, so no view waits in memory longer than that.

What a crash can lose: a killed web process, the views it had not sent: its last tenth of a
second, at most ``pageviews.HOLD_SECONDS`` (15 s, the worker's tick) while the machine is
saturated; a killed counting process, what it received and had not counted: its last second, at
most ``VIEWS_A_COUNT`` views. The datagrams waiting in the socket survive it (the keeper and the
worker keep the socket open) and the worker forks a new counting process at its next tick. A
clean stop loses nothing: the counting process counts what waits in the socket before it
leaves, the web processes spool their last views, and the keeper counts what arrived in
between, once the server and its web processes are gone (``count_left``).

Written by hand: a socket pair and two threads; a queue library would add a process.
"""

import contextlib
import ctypes
import logging
import marshal
import os
import signal
import socket
import threading
import time

logger = logging.getLogger(__name__)

# One datagram: ~150 bytes a view, ~30 KB.
VIEWS_A_DATAGRAM = 200
# What the socket holds unreceived: the send buffer (a socket pair's datagrams are not limited
# by net.unix.max_dgram_qlen). Linux doubles what is asked, within net.core.wmem_max: 8 MB
# (~50,000 views) where wmem_max is 4 MB, 416 KB (~2,800 views) at its default of 208 KB.
SOCKET_BUFFER = 4 * 1024 * 1024
READ_BYTES = 1024 * 1024
COUNT_SECONDS = 1.0
# The counting process counts what it received once a second, or sooner once it holds this
# many views: one transaction each (a transaction per datagram of 200 cost 16.6 µs a view
# against 12.9, measured). What a killed counting process can lose: its last second, at most
# this many.
VIEWS_A_COUNT = 20_000
# While the counting process holds this many views uncounted (the store down), it stops
# receiving: the socket fills and the web processes keep, then spool, their own.
MAX_HELD_VIEWS = 200_000
# How long the keeper waits for the server's web processes to leave before it counts the rest
# (granian kills a web process that has not stopped within 15 s).
SERVER_EXIT_SECONDS = 20

_sending: socket.socket | None = None
_receiving: socket.socket | None = None


def open_channel() -> None:
    """Open the channel in the server process, before the worker and the web processes fork."""
    global _sending, _receiving
    _sending, _receiving = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    for sock, option in ((_sending, socket.SO_SNDBUF), (_receiving, socket.SO_RCVBUF)):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, option, SOCKET_BUFFER)
    _sending.setblocking(False)


def close_receiving() -> None:
    """Close this process's receiving end (the server, once the keeper holds its own): when the
    keeper and the worker are gone, a web process's send fails and it spools instead."""
    global _receiving
    if _receiving is not None:
        _receiving.close()
        _receiving = None


def is_open() -> bool:
    """Return whether this process can hand views to a worker (``sinmun serve``'s processes)."""
    return _sending is not None


def pack(views: list) -> bytes:
    """Return one datagram of ``views`` (at most ``VIEWS_A_DATAGRAM``)."""
    return marshal.dumps(views)


def unpack(datagram: bytes) -> list:
    # marshal, not pickle: the bytes come from this site's own processes through a socket pair
    # no other process can open, and marshal builds only plain values (tuples, strings, floats).
    return marshal.loads(datagram)  # noqa: S302


def send(datagrams) -> tuple[int, bool]:
    """Send ``datagrams`` (a deque of ``(oldest, views, datagram)``) in order to the counting
    process, removing each one sent; return how many views were sent, and whether the rest may
    be sent later (the socket was full) rather than not at all (nobody reads it).

    Never blocks: the rest is the caller's to keep or spool.
    """
    sent = 0
    while datagrams:
        _, views, datagram = datagrams[0]
        try:
            _sending.send(datagram)
        except BlockingIOError:  # full: the counting process is behind
            return sent, True
        except OSError:  # ConnectionRefusedError: nobody reads; EMSGSIZE: a view too big
            return sent, False
        datagrams.popleft()
        sent += views
    return sent, True


def _lowest_priority() -> None:
    """Run this process only on a core nothing else wants (``SCHED_IDLE``), where it may come
    back to normal priority to hold the store's write lock (``normal_priority``).

    Measured over HTTP: a counting thread at nice 19 still took a tenth of the cores during a
    benchmark round (the gaps between requests) and slowed the web processes that woke up
    behind it; an idle-class task is preempted as soon as another one wakes.

    A process that could not come back (an unprivileged user: ``RLIMIT_NICE``, sched(7); not
    Linux) stays at normal priority: an idle-class lock holder, starved on a saturated machine,
    made the web processes drop views (decision 0020, revisions 6 and 7). Counting then takes
    its share of the cores beside the web processes.
    """
    global _idle
    if not hasattr(os, "SCHED_IDLE"):
        logger.warning("이 시스템에는 유휴 우선순위가 없어 조회수를 보통 우선순위로 셉니다")
        return
    if not _may_leave_idle():
        logger.warning(
            "이 사용자는 유휴 우선순위에서 돌아올 수 없어 조회수를 보통 우선순위로 셉니다"
        )
        return
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    _idle = True


# Whether this process went to the idle class (the counting process, when it may come back).
_idle = False


def _may_leave_idle() -> bool:
    """Return whether this process may leave the idle class once in it, tried in a thread of its
    own (Linux sets the class per thread) so this one stays as it is."""
    outcome = []

    def attempt() -> None:
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
        except (AttributeError, OSError):
            outcome.append(False)
        else:
            outcome.append(True)

    trial = threading.Thread(target=attempt, name="idle-trial")
    trial.start()
    trial.join()
    return outcome == [True]


@contextlib.contextmanager
def normal_priority():
    """Run the block at normal priority, then back in the idle class: the counting process holds
    the store's write lock so (``EmbeddedStore.count``).

    In the idle class a saturated machine gives a process almost no CPU; holding SQLite's write
    lock so, it kept it for seconds while the web processes waited on it to spool views they
    had held for 15 s, and past 200,000 of them dropped the oldest: 147,418 of 2.9 M views were
    lost under two minutes of saturation (decision 0020, revision 6). Only the dedup and the
    writes run here (~1–2 µs a view); judging and hashing stay idle.
    """
    if not _idle:
        yield
        return
    os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    try:
        yield
    finally:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


class Counter:
    """The counting process's loop: receive the web processes' views and count them."""

    def __init__(self, receiving: socket.socket, count):
        self.receiving = receiving
        self.count = count  # count(views) -> int; raises when the store is down
        self._held: list = []  # views received and not counted (the store was down)

    def run(self, stopping) -> None:
        """Receive and count until ``stopping`` is set, then count what waits (a clean stop)."""
        self.receiving.settimeout(COUNT_SECONDS)
        counted_at = time.monotonic()
        while not stopping.is_set():
            if len(self._held) < MAX_HELD_VIEWS:
                try:
                    self._held.extend(unpack(self.receiving.recv(READ_BYTES)))
                except TimeoutError:
                    pass
                except OSError:
                    break
            else:
                time.sleep(COUNT_SECONDS)  # the store down: the socket fills, the web keeps
            now = time.monotonic()
            if len(self._held) >= VIEWS_A_COUNT or now - counted_at >= COUNT_SECONDS:
                self.count_waiting(limit=0)
                counted_at = now
        self.stop()

    def count_waiting(self, limit: int | None = None) -> int:
        """Receive what waits in the socket (up to ``limit`` datagrams) without waiting for more,
        and count it with what is held; return how many were readers' new views."""
        self.receiving.setblocking(False)
        try:
            while limit is None or limit > 0:
                self._held.extend(unpack(self.receiving.recv(READ_BYTES)))
                limit = None if limit is None else limit - 1
        except OSError:  # BlockingIOError: nothing more waits
            pass
        finally:
            self.receiving.settimeout(COUNT_SECONDS)
        if not self._held:
            return 0
        try:
            counted = self.count(self._held)
        except Exception:
            logger.exception("넘겨받은 조회수 %d건을 세지 못했습니다", len(self._held))
            return 0
        self._held = []
        return counted

    def held(self) -> int:
        """Return how many views wait here uncounted."""
        return len(self._held)

    def stop(self, attempts: int = 3) -> None:
        """Count everything received and waiting in the socket (a clean stop)."""
        for attempt in range(attempts):
            self.count_waiting()
            if not self._held:
                return
            time.sleep(0.2 * (attempt + 1))
        logger.error("조회수 %d건을 세지 못하고 멈춥니다", len(self._held))


def _count(views: list) -> int:
    from . import pageviews  # the web side, which imports this module

    return pageviews.count_handed_over(views, holding=normal_priority)


def _die_with_parent() -> None:
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Stopping:
    """Set by the stop signals' handler, read by ``Counter.run``: a plain attribute.

    Not a ``threading.Event``: its ``set`` takes a lock, and a second signal that arrives while
    the first one's handler is inside it (Ctrl-C reaches the whole group, then the worker's
    SIGTERM, then the parent-death one) runs the handler again in the same thread, which then
    waits for that lock for good. A counting process was found so, left behind by a test run.
    """

    def __init__(self):
        self._set = False

    def set(self, signum=None, frame=None) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set


def _counting_process() -> None:
    """The forked counting process: idle priority, one thread, no GIL shared with the worker."""
    stopping = Stopping()
    signal.signal(signal.SIGTERM, stopping.set)
    signal.signal(signal.SIGINT, stopping.set)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    _die_with_parent()
    _lowest_priority()
    try:
        Counter(_receiving, _count).run(stopping)
    except BaseException:
        logger.exception("조회수를 세는 프로세스가 멈췄습니다")
    finally:
        logging.shutdown()
        os._exit(0)


_process = 0
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def start_counting() -> int:
    """Fork the process that counts the web processes' views (from the forked worker); return
    its pid, or 0 where there is no channel."""
    global _process
    if _receiving is None:
        return 0
    # A stop that comes before the child's handlers are set waits for them (blocked, not lost).
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    pid = os.fork()
    if pid == 0:
        _counting_process()
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    _process = pid
    return pid


def ensure_counting() -> None:
    """Fork the counting process again if it died (the worker's tick)."""
    if not _process:
        return
    try:
        pid, status = os.waitpid(_process, os.WNOHANG)
    except ChildProcessError:
        pid, status = _process, -1
    if pid:
        logger.error("조회수를 세는 프로세스가 멈췄습니다 (상태 %s); 다시 시작합니다", status)
        start_counting()


def stop_counting() -> None:
    """Stop the counting process; it counts what it received and what waits in the socket."""
    global _process
    if not _process:
        return
    with contextlib.suppress(ChildProcessError, ProcessLookupError):
        os.kill(_process, signal.SIGTERM)
        os.waitpid(_process, 0)
    _process = 0


def count_left(server: int) -> None:
    """Count what waits in the socket once the server ``server`` has gone (the keeper's exit).

    The worker's counting process has counted what it received; a web process may still have
    sent views while it was stopping, until the server's exit.
    """
    if _receiving is None:
        return
    deadline = time.monotonic() + SERVER_EXIT_SECONDS
    while os.getppid() == server and time.monotonic() < deadline:
        time.sleep(0.1)
    Counter(_receiving, _count).stop()
