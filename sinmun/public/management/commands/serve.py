"""``sinmun serve``: run the site under granian, one web process per core.

The server was chosen by measurement (docs/decisions/0017-web-server.md): granian answers a
page-cache hit several times faster than gunicorn's sync workers and needs no per-user control
socket. It runs inside this command's process: everything a worker needs — Django, the URL
and template machinery, the Korean analyzer's model *and* its user dictionary, built by a
first analysis — is loaded here once, and the workers are forked from this process, so they
share those pages copy-on-write instead of each building ~300 MB of its own. Words added to
the dictionary later reach every process without a restart (``sinmun.search.dictionary``), so
workers are never recycled.

The background worker (``sinmun worker``: search indexing, sweeps, the weather) is forked from
the same loaded process too, unless ``--no-worker``: on its own it would load a second model of
~750 MB. A small keeper process, forked before the server starts, forks the worker and forks a
new one if it dies; it stops the worker and itself when the server goes
(docs/decisions/0018-analyzer-memory.md).
"""

import atexit
import ctypes
import faulthandler
import gc
import logging
import os
import signal
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def _default_workers() -> int:
    value = os.environ.get("SINMUN_WORKERS", "")
    return int(value) if value.isdigit() and int(value) > 0 else (os.cpu_count() or 1)


def _default_threads() -> int:
    value = os.environ.get("SINMUN_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else 2


def preload():
    """Load everything the workers share, in this (the parent) process, then let go of sockets."""
    # One analyzer thread: kiwipiepy's pool would not survive fork() (sinmun.korean.analyzer).
    os.environ["SINMUN_ANALYZER_THREADS"] = "1"
    from django.db import connections

    from sinmun import wsgi
    from sinmun.korean import analyzer
    from sinmun.search import dictionary

    dictionary.ensure_user_dictionary()
    analyzer.terms("준비")  # builds the model's state with the dictionary, once, here
    # Forked workers must open their own database connections.
    connections.close_all()
    # What is loaded now lives as long as the processes: the collector need not walk it again.
    # Frozen, it is left out of every collection in the workers (a kept-fragment render spent
    # ~5% of its time collecting) and its pages stay shared after the fork instead of being
    # written to by the collector's bookkeeping (Python's gc docs: freeze before fork).
    gc.freeze()
    return wsgi.application


def _exit_without_finalizing() -> None:
    """Leave a forked process without running the interpreter's teardown.

    The analyzer's model was built in the parent, which has kiwipiepy's thread; its destructor
    in a forked child waits for that thread forever, so Ctrl-C (SIGINT to every process) left
    the web processes hanging at exit. Logs are flushed first.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _hold_stop_signals() -> None:
    """Block the stop signals in this thread: they wait for a relay thread's ``sigwait``."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


def _server_takes_stop_signals_in_one_thread() -> None:
    """Have one thread of the server process take its stop signals and pass them to granian.

    granian's main process waits in its main thread for an Event, which its Python signal
    handler sets; the handler runs in the main thread only, when that thread is woken. The
    kernel may hand a signal to any thread that does not block it (the analyzer's own thread,
    started while loading): then the main thread slept on until a web process left, and took
    that for a crash — it forked a new one, and terminated it while it was starting, when its
    handler finally ran; the new one missed that signal (reproduced; the CI failure "refused to
    gracefully stop"). So, from before anything is loaded, every thread of this process blocks
    the stop signals — the threads started later, and the processes forked from it, inherit
    that — and one thread waits for them and calls the handler granian installs, which sets the
    Event. The web processes keep them blocked (``_in_web_process``); the keeper takes them
    back (``start_worker_keeper``).
    """
    _hold_stop_signals()
    threading.Thread(target=_relay_server_stop_signals, name="stop-signals", daemon=True).start()


def _relay_server_stop_signals() -> None:
    while True:
        signum = signal.sigwait(_STOP_SIGNALS)
        handler = signal.getsignal(signum)
        if callable(handler) and handler is not signal.default_int_handler:
            handler(signum, None)
        elif handler != signal.SIG_IGN:  # still loading, before granian is up: nothing to stop
            os._exit(128 + signum)


def _in_web_process(application):
    """Run in each forked web process before its first request."""
    atexit.register(_exit_without_finalizing)
    # granian's web process waits for its stop in the main thread (an Event) and is told by a
    # Python signal handler, which only the main thread runs. The kernel hands a signal sent to
    # the process to whichever thread does not block it, and one taken by another thread (a
    # request thread, the views' flushing thread) never woke the main thread: Ctrl-C left a web
    # process running until granian killed it 15 s later (2 stops in 5). So every thread of the
    # process blocks the stop signals (they inherit this thread's mask) and one thread waits
    # for them and runs the handler granian installs.
    _hold_stop_signals()
    inherited = {signum: signal.getsignal(signum) for signum in _STOP_SIGNALS}
    threading.Thread(
        target=_relay_stop_signals,
        args=(os.getppid(), inherited),
        name="stop-signals",
        daemon=True,
    ).start()
    # `kill -USR1 <pid>` writes every thread's stack to the log: what a web process that does
    # not answer or does not stop is waiting for.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    return application


# A web process still running this long after its stop signal writes every thread's stack to
# its log, once: granian kills it at 15 s, and without the stack nobody could tell what it was
# waiting for (a CI run saw one such kill, and nothing to go on).
STUCK_STOP_SECONDS = 10
# How long a web process told to stop by anyone but granian's main process (Ctrl-C and a
# service manager signal the whole group) waits for the main process's own word.
PARENTS_WORD_SECONDS = 3.0
# How long the relay waits for granian's handler when the signal came before it was installed.
HANDLER_SECONDS = 10.0


def _relay_stop_signals(parent: int, inherited: dict) -> None:
    while True:
        info = signal.sigwaitinfo(_STOP_SIGNALS)
        signum = info.si_signo if info.si_pid == parent else _parents_word(parent, info.si_signo)
        faulthandler.dump_traceback_later(STUCK_STOP_SECONDS, exit=False)
        handler = _granians_handler(signum, inherited[signum])
        if callable(handler):
            handler(signum, None)
        elif handler != signal.SIG_IGN:  # no handler of granian's: the default
            os._exit(0)


def _parents_word(parent: int, signum: int) -> int:
    """Wait until granian's main process (``parent``) passes the stop on; return its signal.

    A group signal reaches the web processes and the main process at once. A web process that
    left before the main process had taken its own was, to granian, a crash: it forked a new one
    and, its stop coming next, terminated that one within the millisecond it was starting
    (reproduced by stopping the main process across a group SIGTERM; the CI failure "refused
    to gracefully stop"). So a web process stops on its parent's terminate; on its own only if
    the parent is gone or silent for ``PARENTS_WORD_SECONDS`` (``kill <web pid>`` by hand).
    """
    deadline = time.monotonic() + PARENTS_WORD_SECONDS
    while os.getppid() == parent and (left := deadline - time.monotonic()) > 0:
        # A few times a second, to see the parent go.
        info = signal.sigtimedwait(_STOP_SIGNALS, min(left, 0.25))
        if info is not None and info.si_pid == parent:
            return info.si_signo
    return signum


def _granians_handler(signum: int, inherited):
    """Return the handler granian installed in this process, waiting for it if need be: a
    signal that came before then would otherwise run the main process's inherited handler."""
    deadline = time.monotonic() + HANDLER_SECONDS
    handler = signal.getsignal(signum)
    while handler == inherited and callable(handler) and time.monotonic() < deadline:
        time.sleep(0.01)
        handler = signal.getsignal(signum)
    return signal.SIG_DFL if handler == inherited else handler


def _die_with_parent() -> None:
    """Have the kernel send SIGTERM to this process when its parent exits (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _run_worker() -> None:
    from django.core.management import call_command

    from sinmun.audience import handover

    # The web processes hand their page views to this worker (audience/handover.py).
    handover.start_counting()
    try:
        call_command("worker")
    finally:
        try:
            # Ctrl-C reaches every process of the group: a second interrupt while this waits
            # would otherwise skip the exit below and run the interpreter's teardown in a
            # forked child (kiwipiepy's destructor aborts there). The counting process got the
            # same signal and stops on its own, counting what it holds.
            handover.stop_counting()
        finally:
            os._exit(0)


def start_worker_keeper() -> int:
    """Fork the keeper of the background worker; return its pid (in the server process)."""
    keeper = os.fork()
    if keeper:
        return keeper
    _die_with_parent()
    server = os.getppid()
    child = 0

    def stop(signum, frame):
        if child:
            try:
                os.kill(child, signal.SIGTERM)  # the worker finishes the job under way
                os.waitpid(child, 0)
            except (ChildProcessError, ProcessLookupError):
                pass
        from sinmun.audience import handover

        # Page views the web processes sent while they were stopping (audience/handover.py).
        handover.count_left(server)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # Forked from the server's main thread, which blocks them (the worker inherits this).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    while os.getppid() == server:
        child = os.fork()
        if child == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _die_with_parent()
            _run_worker()
        # Where to find it (operators, and the system test that kills it).
        (settings.VAR_DIR / "worker.pid").write_text(f"{child}\n")
        _, status = os.waitpid(child, 0)
        child = 0
        sys.stderr.write(f"백그라운드 작업자가 멈췄습니다 (상태 {status}); 다시 시작합니다.\n")
        time.sleep(1)
    os._exit(0)


class Command(BaseCommand):
    help = "사이트를 실행합니다 (granian). 예: sinmun serve --bind 127.0.0.1:8000 --workers 2"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("SINMUN_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers",
            type=int,
            default=_default_workers(),
            help="웹 프로세스 수 (기본: 코어 수, SINMUN_WORKERS)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_default_threads(),
            help="프로세스마다 요청을 처리하는 스레드 수 (기본 2, SINMUN_THREADS)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="백그라운드 작업자 없이 웹만 실행합니다 (작업자는 따로 `sinmun worker`로)",
        )
        parser.add_argument(
            "--access-log",
            action="store_true",
            default=os.environ.get("SINMUN_ACCESS_LOG", "") == "1",
            help="요청마다 한 줄씩 기록합니다 (SINMUN_ACCESS_LOG=1)",
        )

    def handle(self, *args, **options):
        from granian import Granian
        from granian.constants import Interfaces

        host, _, port = options["bind"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError("--bind는 호스트:포트 형식이어야 합니다. 예: 127.0.0.1:8000")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers와 --threads는 1 이상이어야 합니다.")
        bind = options["bind"]
        self.stdout.write("사이트를 준비하는 중입니다 (형태소 분석기와 사전을 한 번만 올립니다)…")
        self.stdout.flush()
        _server_takes_stop_signals_in_one_thread()
        application = preload()
        if not options["no_worker"]:
            from sinmun.audience import handover

            # Opened before the forks: the web processes send page views, the worker receives.
            handover.open_channel()
            start_worker_keeper()
            handover.close_receiving()
        self.stdout.write(
            f"사이트: http://{bind}/  (데스크: http://{bind}/desk/) — "
            f"웹 프로세스 {options['workers']}개 × 스레드 {options['threads']}개"
        )
        from sinmun.demo.loader import accounts_file

        # The file of the database this server uses: another database's demo has its own.
        accounts = accounts_file()
        if accounts.exists():
            logins = ", ".join(line for line in accounts.read_text().splitlines() if line)
            self.stdout.write(f"데모 데스크 로그인 (아이디 비밀번호): {logins}")
        self.stdout.flush()
        server = Granian(
            "sinmun.wsgi:application",
            address=host.strip("[]"),
            port=int(port),
            interface=Interfaces.WSGI,
            workers=options["workers"],
            blocking_threads=options["threads"],
            backlog=2048,
            log_access=options["access_log"],
            # A worker that dies is replaced; workers are never recycled on a timer or count.
            respawn_failed_workers=True,
            # A web process that does not stop within this is killed (the stop never hangs).
            workers_kill_timeout=15,
        )
        server.serve(target_loader=lambda _target: _in_web_process(application))
