"""A small site of its own for each crash test, and a way to kill a process in the middle.

The killed process must share the database with the assertions, so the tests do not use the
test run's database: a site is built once per test process in a folder (SQLite) or a database
(PostgreSQL, on the PostgreSQL leg) of its own, and each test gets a copy — a copied folder, or
``CREATE DATABASE … TEMPLATE``. Processes run the installed code as a user's would
(``sinmun.testcommand.environment``: none of the test run's settings).
"""

import json
import os
import selectors
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections

from sinmun.testcommand import SINMUN, environment

from .victim import PAUSED

PAUSE_SECONDS = 120  # a loaded machine: the victim starts Django and may load the analyzer


def _postgres() -> dict | None:
    base = settings.DATABASES["default"]
    return base if base["ENGINE"].endswith("postgresql") else None


def _admin(base: dict) -> psycopg.Connection:
    return psycopg.connect(
        host=base["HOST"], port=base["PORT"] or 5432, user=base["USER"],
        password=base["PASSWORD"], dbname="postgres", autocommit=True,
    )  # fmt: skip


def _url(base: dict, name: str) -> str:
    password = f":{base['PASSWORD']}" if base["PASSWORD"] else ""
    return f"postgres://{base['USER']}{password}@{base['HOST']}:{base['PORT'] or 5432}/{name}"


@dataclass
class Site:
    """A var folder, and on PostgreSQL a database of its own; runs processes against both."""

    folder: Path
    database: str = ""  # PostgreSQL database name; empty on SQLite
    logs: list[Path] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        settings_ = {"SINMUN_LOG_LEVEL": "WARNING"}
        if self.database:
            settings_["SINMUN_DATABASE_URL"] = _url(_postgres(), self.database)
        env = environment(self.folder, **settings_)
        env.update(extra)
        return env

    def victim(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        """Run an operation to its end; return the finished process."""
        return subprocess.run(  # noqa: S603 - this package's module with the test's arguments
            [sys.executable, "-m", "sinmun.tests.crash.victim", *args],
            cwd=self.folder,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=PAUSE_SECONDS,
            check=False,
        )

    def kill_when_paused(self, *args: str, pause: str) -> str:
        """Start an operation, wait until it pauses at ``pause``, and SIGKILL it.

        Return what it said after ``PAUSED`` (the stopped child's pid for ``pg_restore``).
        """
        log = self.folder / f"victim-{len(self.logs)}.log"
        self.logs.append(log)
        with open(log, "wb") as errors:
            process = subprocess.Popen(  # noqa: S603 - this package's module, the test's arguments
                [sys.executable, "-m", "sinmun.tests.crash.victim", *args],
                cwd=self.folder,
                env=self.env(CRASH_PAUSE=pause),
                stdout=subprocess.PIPE,
                stderr=errors,
            )
            try:
                said = _read_line(process, PAUSE_SECONDS)
                assert said.startswith(PAUSED), (
                    f"never paused ({said!r}): {log.read_text()[-3000:]}"
                )
                # Only the process, as the kernel's OOM killer or a `kill -9` would.
                os.kill(process.pid, signal.SIGKILL)
                assert process.wait(timeout=30) == -signal.SIGKILL
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        return said.removeprefix(PAUSED).strip()

    def report(self, *before: str) -> dict:
        """Run the operation ``before`` (if any) to its end, then read the site back."""
        done = self.victim(*before, *(("--",) if before else ()), "report")
        assert done.returncode == 0, done.stderr[-3000:]
        found = json.loads(done.stdout.strip().splitlines()[-1])
        found["output"] = done.stdout
        return found

    def sweep_mark(self) -> datetime | None:
        """Return how far the embargo sweep has looked, read straight from the database."""
        query = "SELECT at FROM newsroom_sweepmark WHERE name = 'embargoes'"
        if self.database:
            with psycopg.connect(_url(_postgres(), self.database)) as db:
                row = db.execute(query).fetchone()
        else:
            with closing(sqlite3.connect(self.folder / "sinmun.sqlite3", timeout=30)) as db:
                row = db.execute(query).fetchone()
        if row is None:
            return None
        at = row[0] if isinstance(row[0], datetime) else datetime.fromisoformat(row[0])
        return at if at.tzinfo else at.replace(tzinfo=UTC)

    def start(self, *args: str) -> subprocess.Popen:
        """Start ``sinmun ARGS`` (the worker) in a session of its own, its output in a log."""
        log = open(self.folder / f"{args[0]}-{len(self.logs)}.log", "wb")
        self.logs.append(Path(log.name))
        return subprocess.Popen(  # noqa: S603 - the installed command with our own arguments
            [str(SINMUN), *args],
            cwd=self.folder,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _read_line(process: subprocess.Popen, seconds: float) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=seconds):
            return ""
    return process.stdout.readline().decode().strip()


def kill_session(process: subprocess.Popen) -> None:
    """SIGKILL a process started with ``Site.start`` and everything it forked."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@dataclass
class Template:
    site: Site
    archive: Path
    report: dict


def _copy_test_database(site: Site) -> None:
    """Give ``site`` a copy of the test run's migrated database (migrating again costs ~10 s).

    Between tests the test database holds only what migrations wrote (each test rolls back or
    flushes), so the copy is a freshly migrated site; the role groups a flush may have removed
    are made again by the set-up.
    """
    connections.close_all()
    if site.database:
        with _admin(_postgres()) as admin:
            source = settings.DATABASES["default"]["NAME"]
            admin.execute(f'CREATE DATABASE "{site.database}" TEMPLATE "{source}"')
        return
    connection.ensure_connection()
    target = sqlite3.connect(site.folder / "sinmun.sqlite3")
    try:
        connection.connection.backup(target)
    finally:
        target.close()


@pytest.fixture(scope="session")
def template(tmp_path_factory, django_db_setup, django_db_blocker) -> Template:
    """Build the site every crash test copies: migrated, three articles, a backup of itself."""
    folder = tmp_path_factory.mktemp("crash-template")
    base = _postgres()
    site = Site(folder, f"{base['NAME'][:30]}_crash_{uuid.uuid4().hex[:8]}" if base else "")
    with django_db_blocker.unblock():
        _copy_test_database(site)
    archive = folder.parent / f"{folder.name}-backup.tar"
    yield Template(site, archive, site.report("setup", str(archive)))
    _drop(site)


def _site(tmp_path: Path, template: Template | None) -> Site:
    """Return a copy of the template (or, without one, an empty site) that is dropped after."""
    folder = tmp_path / "site"
    if template is not None:
        shutil.copytree(template.site.folder, folder)
    else:
        folder.mkdir()
    base = _postgres()
    if not base:
        return Site(folder)
    name = f"{base['NAME'][:30]}_crash_{uuid.uuid4().hex[:8]}"
    with _admin(base) as admin:
        source = f' TEMPLATE "{template.site.database}"' if template else ""
        admin.execute(f'CREATE DATABASE "{name}"{source}')
    return Site(folder, name)


def _drop(site: Site) -> None:
    if site.database:
        with _admin(_postgres()) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{site.database}" WITH (FORCE)')


@pytest.fixture
def site(template, tmp_path) -> Site:
    """Return a copy of the template site."""
    copy = _site(tmp_path, template)
    yield copy
    _drop(copy)


@pytest.fixture
def empty_site(tmp_path) -> Site:
    """Return a site with nothing in it yet (the target of a restore)."""
    empty = _site(tmp_path, None)
    yield empty
    _drop(empty)


def wait_for(check, *, seconds: float, every: float = 1.0):
    """Call ``check`` until it returns something true; return it, or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(every)
