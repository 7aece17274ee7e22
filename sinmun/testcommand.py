"""The installed ``sinmun`` command run as a user runs it, for the tests of every app.

A real process in a throw-away var folder, with none of the test run's own ``SINMUN_*`` settings
(the test database, immediate jobs, the page cache turned off), so it behaves as on a user's
machine: SQLite under the var folder unless the caller says otherwise.
"""

import os
import subprocess
import sys
from pathlib import Path

SINMUN = Path(sys.executable).parent / "sinmun"
TIMEOUT = 120


def environment(var_dir: Path, **settings: str) -> dict[str, str]:
    """Return this process's environment without its SINMUN_* settings, for ``var_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SINMUN_")}
    env.update(
        SINMUN_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="sinmun.settings",
        PYTHONIOENCODING="utf-8",
        **settings,
    )
    return env


def run(var_dir: Path, *args: str, timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    """Run ``sinmun ARGS`` in ``var_dir``; return the finished process (never raises on failure)."""
    return subprocess.run(  # noqa: S603 - the installed command with the test's own arguments
        [str(SINMUN), *args],
        cwd=var_dir,
        env=environment(var_dir),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def python(script: str, *, timeout: int = 60) -> subprocess.CompletedProcess:
    """Run ``script`` in this interpreter from the repository's root, in a process of its own
    (signals, forks, a handler that hangs); return the finished process (never raises)."""
    return subprocess.run(  # noqa: S603 - this interpreter and the test's own script
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
