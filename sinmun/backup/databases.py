"""The two databases' own ways to copy, load and inspect themselves, for backup and restore.

SQLite: the backup API from the live file (a snapshot under WAL writers) and a look at a target
file. PostgreSQL: ``pg_dump``/``pg_restore`` from the system's client tools with the connection,
password included, in ``PG*`` environment variables (never on a command line or in a log), and a
look at the target's catalog. ``services`` decides when each runs.
"""

import ctypes
import functools
import os
import signal
import sqlite3
import subprocess
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

import psycopg

VENDORS = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The system's client tools (Debian's postgresql-client wrapper picks the newest installed).
PG_DUMP = "/usr/bin/pg_dump"
PG_RESTORE = "/usr/bin/pg_restore"
PG_TIMEOUT_SECONDS = 6 * 60 * 60
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
SQLITE_BUSY_SECONDS = 20
# libpq settings a Django OPTIONS dict may carry, and the variables the client tools read them
# from. The password travels the same way (PGPASSWORD): never on a command line, never logged.
PG_ENVIRONMENT = {
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
}
DATABASE_UNSUPPORTED = "백업할 수 없는 데이터베이스입니다: {engine} (SQLite와 PostgreSQL만 됩니다)."
DATABASE_FILE_MISSING = "SQLite 데이터베이스 파일이 없습니다: {path}"
DATABASE_NOT_MIGRATED = (
    "데이터베이스에 django_migrations 표가 없습니다: 먼저 `sinmun migrate`를 실행하세요."
)
DATABASE_COPY_DAMAGED = "데이터베이스 사본의 무결성 검사가 실패했습니다: {detail}"
DATABASE_UNREACHABLE = "데이터베이스에 연결할 수 없습니다: {detail}"
PG_TOOL_FAILED = "{tool}이(가) 실패했습니다 (종료 코드 {code}): {detail}"
TARGET_DATABASE_NOT_EMPTY = (
    "복원할 데이터베이스가 비어 있지 않습니다 ({detail}). 빈 데이터베이스에만 복원합니다."
)
TARGET_DATABASE_IN_USE = (
    "복원할 SQLite 데이터베이스를 다른 프로세스가 쓰고 있습니다 ({path}): 사이트를 멈추고 "
    "다시 실행하세요."
)
TARGET_DATABASE_NOT_FILE = "SQLite 파일이 아닌 데이터베이스에는 복원할 수 없습니다: {name}"


class BackupError(Exception):
    """A backup or restore is refused; ``str(error)`` is the Korean message for the user."""


def vendor_of(database: Mapping[str, Any]) -> str:
    """Return ``sqlite`` or ``postgresql`` for a Django database settings dict, or refuse."""
    try:
        return VENDORS[database["ENGINE"]]
    except KeyError:
        raise BackupError(DATABASE_UNSUPPORTED.format(engine=database.get("ENGINE"))) from None


def _pg_params(database: Mapping[str, Any]) -> dict[str, str]:
    """Return the libpq connection parameters of a PostgreSQL settings dict."""
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    params.update({k: v for k, v in (database.get("OPTIONS") or {}).items() if k in PG_ENVIRONMENT})
    return {k: str(v) for k, v in params.items() if v not in (None, "")}


def _pg_connect(database: Mapping[str, Any]) -> psycopg.Connection:
    try:
        return psycopg.connect(**_pg_params(database))
    except psycopg.OperationalError as error:
        raise BackupError(DATABASE_UNREACHABLE.format(detail=str(error).strip())) from None


def _die_with_parent(parent: int) -> None:
    """In the tool's process, before it starts: be killed when ``sinmun`` dies.

    A ``sinmun restore`` killed while ``pg_restore`` ran would otherwise leave it running on to
    its commit with the media folder never put into place; killed, its one transaction rolls
    back and the target stays empty (docs/decisions/0025). Linux only (prctl); elsewhere the
    tool outlives its parent as before.
    """
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # it died before prctl: nothing would ever kill us
            os._exit(1)


def pg_run(*, tool: str, arguments: list[str], database: Mapping[str, Any]) -> None:
    """Run a PostgreSQL client tool with the connection (and password) in its environment."""
    environment = dict(os.environ)
    for key, value in _pg_params(database).items():
        environment[PG_ENVIRONMENT[key]] = value
    try:
        result = subprocess.run(  # noqa: S603 - fixed tool path; arguments built here, no shell
            [tool, "--no-password", *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=PG_TIMEOUT_SECONDS,
            check=False,
            # The commands that call this run one thread, where preexec_fn is safe.
            preexec_fn=functools.partial(_die_with_parent, os.getpid()),
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(PG_TOOL_FAILED.format(tool=tool, code="-", detail=error)) from None
    if result.returncode != 0:
        detail = result.stderr.strip()[-2000:]
        raise BackupError(PG_TOOL_FAILED.format(tool=tool, code=result.returncode, detail=detail))


def _sqlite_connect(name: str, **options: Any) -> sqlite3.Connection:
    # Django's in-memory test databases are ``file:`` URIs; a path never starts that way.
    return sqlite3.connect(name, uri=name.startswith("file:"), **options)


def sqlite_copy(*, name: str, target: Path) -> list[tuple[str, str]]:
    """Copy the live SQLite database into ``target``; return the copy's applied migrations."""
    if not name.startswith("file:") and not Path(name).is_file():
        raise BackupError(DATABASE_FILE_MISSING.format(path=name))
    source = _sqlite_connect(name, timeout=SQLITE_BUSY_SECONDS)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole file in one step, under one read transaction (a snapshot).
        source.backup(copy, pages=-1)
        # A self-contained file: no -wal beside it in the archive or after restore.
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(DATABASE_COPY_DAMAGED.format(detail=check))
        try:
            return copy.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.OperationalError:
            raise BackupError(DATABASE_NOT_MIGRATED) from None
    finally:
        copy.close()
        source.close()


def pg_dump(*, database: Mapping[str, Any], target: Path) -> list[tuple[str, str]]:
    """Dump the PostgreSQL database into ``target``; return the dump's applied migrations."""
    with _pg_connect(database) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        try:
            migrations = connection.execute("SELECT app, name FROM django_migrations").fetchall()
        except psycopg.errors.UndefinedTable:
            raise BackupError(DATABASE_NOT_MIGRATED) from None
        # The exported snapshot lives as long as this transaction: pg_dump sees exactly the
        # rows the migrations above were read from.
        pg_run(
            tool=PG_DUMP,
            arguments=["--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            database=database,
        )
        connection.rollback()
    return [tuple(row) for row in migrations]


def check_sqlite_target(name: str) -> None:
    """Refuse unless the SQLite file is absent, or a database with no tables nobody has open."""
    if name.startswith("file:") or name == ":memory:":
        raise BackupError(TARGET_DATABASE_NOT_FILE.format(name=name))
    for suffix in ("-wal", "-journal"):
        if Path(name + suffix).exists():
            raise BackupError(TARGET_DATABASE_IN_USE.format(path=name + suffix))
    target = Path(name)
    if not target.exists():
        return
    if not target.is_file():
        raise BackupError(TARGET_DATABASE_NOT_EMPTY.format(detail=f"{name}: 파일이 아님"))
    try:
        connection = sqlite3.connect(f"{target.absolute().as_uri()}?mode=ro", uri=True)
        try:
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view')"
            ).fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(TARGET_DATABASE_NOT_EMPTY.format(detail=f"{name}: {error}")) from None
    if tables:
        raise BackupError(TARGET_DATABASE_NOT_EMPTY.format(detail=f"{name}: 표 {tables}개"))


def check_pg_target(database: Mapping[str, Any]) -> None:
    """Refuse unless the configured schema of the PostgreSQL database has no tables or views."""
    with _pg_connect(database) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
        ).fetchone()[0]
    if tables:
        detail = f"{database.get('NAME')}: 표 {tables}개"
        raise BackupError(TARGET_DATABASE_NOT_EMPTY.format(detail=detail))


def pg_restore(*, database: Mapping[str, Any], dump: Path) -> None:
    """Load a custom-format dump into the (empty) database in one transaction.

    ``--single-transaction`` with ``--exit-on-error``: a failure leaves the database empty.
    ``--no-owner --no-privileges``: the tables belong to the configured user, whoever owned
    them on the machine the backup came from.
    """
    pg_run(
        tool=PG_RESTORE,
        arguments=[
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={database['NAME']}",
            str(dump),
        ],
        database=database,
    )
