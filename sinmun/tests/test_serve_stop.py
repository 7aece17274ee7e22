"""A web process of ``sinmun serve`` that does not stop says where it waits."""

from sinmun.testcommand import python

# A web process as ``serve`` sets it up (_in_web_process), whose stop handler — granian's, in
# the real server — never returns in time. The relay thread calls it; the main thread waits.
STUCK = """
import os, signal, threading, time
from sinmun.public.management.commands import serve

serve.STUCK_STOP_SECONDS = 1
released = threading.Event()

def granians_handler_that_hangs(signum, frame):
    released.wait(4)

signal.signal(signal.SIGTERM, granians_handler_that_hangs)
serve._in_web_process(None)
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
