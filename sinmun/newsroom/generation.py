"""The content generation: a number that changes whenever readers could see something new.

Services bump it after every public change commits (publish, update of a published article,
withdraw, import, outlet or section change); caches of rendered pages key on it. It lives in a
file under ``SINMUN_VAR_DIR`` (its modification time, read with one ``stat``) because the
default set-up runs several gunicorn workers with per-process memory caches and the ``sinmun``
command publishes from yet another process: a file on the one disk is the cheapest thing all of
them share.
"""

import os
import time

from django.conf import settings


def _path():
    return settings.VAR_DIR / "content-generation"


def current() -> int:
    """Return the current generation (0 before the first change)."""
    try:
        return os.stat(_path()).st_mtime_ns
    except FileNotFoundError:
        return 0


def bump() -> None:
    """Start a new generation."""
    path = _path()
    path.touch(exist_ok=True)
    # Strictly later, even when two bumps fall into one clock tick.
    now = max(time.time_ns(), current() + 1)
    os.utime(path, ns=(now, now))
