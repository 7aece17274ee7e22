"""How a web process of ``sinmun serve`` stops: on granian's word, never losing the signal, and
saying where it waits when it does not."""

import json

from sinmun.testcommand import python

# A web process as ``serve`` sets it up (_in_web_process), whose stop handler — granian's, in
# the real server, installed after _in_web_process — never returns in time. The relay thread
# calls it; the main thread waits.
STUCK = """
import os, signal, threading, time
from sinmun.public.management.commands import serve

serve.STUCK_STOP_SECONDS = 1
serve.PARENTS_WORD_SECONDS = 0  # the signal below is this process's own, not its parent's
released = threading.Event()

def granians_handler_that_hangs(signum, frame):
    released.wait(4)

serve._in_web_process(None)
signal.signal(signal.SIGTERM, granians_handler_that_hangs)
os.kill(os.getpid(), signal.SIGTERM)
time.sleep(2.5)
released.set()
"""


def test_a_web_process_stuck_after_its_stop_signal_writes_its_threads_stacks():
    # granian kills such a process 15 s after the signal; its log must say what held it.
    done = python(STUCK)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Thread" in done.stderr
    assert "granians_handler_that_hangs" in done.stderr


# This script plays granian's main process: it forks a web process, which sets itself up as
# serve's do and then installs "granian's" handler (it reports the stop and leaves). Another
# process stops the web process first, as Ctrl-C or a service manager's group signal does;
# then, after WORD seconds (or never, WORD < 0), the main process passes the stop on.
GROUP_STOP = """
import json, os, signal, time
from sinmun.public.management.commands import serve

serve.PARENTS_WORD_SECONDS = {parents_word_seconds}
WORD = {word}
r, w = os.pipe()
web = os.fork()
if web == 0:
    serve._in_web_process(None)
    signal.signal(signal.SIGTERM, lambda s, f: (os.write(w, b"stopped"), os._exit(0)))
    time.sleep(30)
    os._exit(1)
os.close(w)
time.sleep(0.3)
other = os.fork()
if other == 0:
    os.kill(web, signal.SIGTERM)
    os._exit(0)
os.waitpid(other, 0)
signalled = time.monotonic()
if WORD >= 0:
    time.sleep(WORD)
    left_before_word = os.waitpid(web, os.WNOHANG)[0] != 0
    os.kill(web, signal.SIGTERM)
else:
    left_before_word = None
os.waitpid(web, 0)
print(json.dumps({{
    "left_before_word": left_before_word,
    "seconds": round(time.monotonic() - signalled, 2),
    "said": os.read(r, 100).decode(),
}}))
"""


def _group_stop(word: float, parents_word_seconds: float = 5.0) -> dict:
    done = python(GROUP_STOP.format(word=word, parents_word_seconds=parents_word_seconds))
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_a_web_process_stopped_by_the_group_waits_for_the_servers_word():
    # Had it left at once, granian would take it for a crash and fork another just as its own
    # stop came: the new one missed that stop and was killed 15 s later (the CI failure).
    stop = _group_stop(word=1.5)
    assert stop["left_before_word"] is False
    assert stop["said"] == "stopped"
    assert 1.5 <= stop["seconds"] < 3


def test_a_web_process_whose_server_says_nothing_stops_by_itself():
    # `kill <web pid>` by hand: granian starts a new one, as it should.
    stop = _group_stop(word=-1, parents_word_seconds=0.5)
    assert stop["said"] == "stopped"
    assert 0.5 <= stop["seconds"] < 3


# A stop signal sent the moment a web process is forked, before it has its relay thread or
# granian's handler: the child starts with its parent's handler (here one that says "eaten"),
# which would take the signal and do nothing in the child.
WHILE_STARTING = """
import os, signal, time
from sinmun.public.management.commands import serve

r, w = os.pipe()
signal.signal(signal.SIGTERM, lambda s, f: os.write(w, b"eaten"))  # the main process's own
{hold}
web = os.fork()
if web == 0:
    time.sleep(0.5)  # loading
    serve._in_web_process(None)
    time.sleep(0.5)  # granian sets up its worker
    signal.signal(signal.SIGTERM, lambda s, f: (os.write(w, b"stopped"), os._exit(0)))
    time.sleep(10)
    os._exit(1)
os.close(w)
os.kill(web, signal.SIGTERM)
_, status = os.waitpid(web, 0)
print(os.waitstatus_to_exitcode(status), os.read(r, 100).decode())
"""


def test_a_stop_signal_that_comes_while_a_web_process_starts_is_not_lost():
    # The server's main thread blocks the stop signals before it forks (serve.handle).
    done = python(WHILE_STARTING.format(hold="serve._hold_stop_signals()"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", "stopped"]


# serve itself: the web processes granian forks hold the stop signals from their first moment.
# A stand-in for granian forks one child and reports its blocked signals before anything runs.
SERVE_FORKS = """
import os, signal
os.environ["DJANGO_SETTINGS_MODULE"] = "sinmun.settings"
os.environ["SINMUN_VAR_DIR"] = "{var}"
import django
django.setup()
import granian
from django.core.management import call_command
from sinmun.public.management.commands import serve

class Granian:
    def __init__(self, *args, **kwargs):
        pass

    def serve(self, target_loader):
        child = os.fork()
        if child == 0:
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, [])
            os._exit(0 if {{signal.SIGTERM, signal.SIGINT}} <= blocked else 3)
        _, status = os.waitpid(child, 0)
        print("child", os.waitstatus_to_exitcode(status))

granian.Granian = Granian
serve.preload = lambda: None
call_command("serve", "--no-worker", "--bind", "127.0.0.1:1")
"""


def test_serve_forks_web_processes_that_hold_the_stop_signals(tmp_path):
    done = python(SERVE_FORKS.format(var=tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "child 0" in done.stdout, done.stdout


# The server process while it loads, before granian is up: a stop signal ends it at once, but
# one the process was started to ignore (`nohup`, a background job of a script) stays ignored.
WHILE_LOADING = """
import os, signal, time
from sinmun.public.management.commands import serve

if "{ignored}" == "yes":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
serve._server_takes_stop_signals_in_one_thread()
os.kill(os.getpid(), signal.SIGINT)
time.sleep(1)
print("still loading")
"""


def test_a_stop_signal_while_the_server_loads_ends_it():
    done = python(WHILE_LOADING.format(ignored="no"))
    assert done.returncode == 128 + 2
    assert "still loading" not in done.stdout


def test_an_ignored_interrupt_stays_ignored_while_the_server_loads():
    done = python(WHILE_LOADING.format(ignored="yes"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "still loading" in done.stdout
