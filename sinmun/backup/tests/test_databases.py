"""The databases' tools: how ``pg_dump`` and ``pg_restore`` are called, the password kept out of
their command lines (the copies themselves are tested through the services' round trips)."""

import subprocess

import pytest

from sinmun.backup import databases

PG_SETTINGS = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "sinmun",
    "USER": "sinmun",
    "PASSWORD": "s3cret-비밀번호",
    "HOST": "db.internal",
    "PORT": 5432,
    "OPTIONS": {"sslmode": "require", "pool": True},
}


def test_pg_tools_get_the_password_only_through_the_environment(monkeypatch):
    calls = []

    def run(arguments, *, env, **options):
        calls.append((arguments, env))
        return subprocess.CompletedProcess(arguments, 1, "", "pg_dump: error: connection failed")

    monkeypatch.setattr(databases.subprocess, "run", run)
    with pytest.raises(databases.BackupError) as failed:
        databases.pg_run(
            tool=databases.PG_DUMP, arguments=["--format=custom"], database=PG_SETTINGS
        )

    ((arguments, environment),) = calls
    assert arguments[:2] == [databases.PG_DUMP, "--no-password"]
    assert not any("s3cret" in argument for argument in arguments)
    assert environment["PGPASSWORD"] == "s3cret-비밀번호"
    assert environment["PGHOST"] == "db.internal"
    assert environment["PGPORT"] == "5432"
    assert environment["PGDATABASE"] == "sinmun"
    assert environment["PGSSLMODE"] == "require"
    assert str(failed.value) == databases.PG_TOOL_FAILED.format(
        tool=databases.PG_DUMP, code=1, detail="pg_dump: error: connection failed"
    )


def test_pg_restore_loads_in_one_transaction_as_the_configured_user(monkeypatch, tmp_path):
    calls = []

    def run(arguments, *, env, **options):
        calls.append(arguments)
        return subprocess.CompletedProcess(arguments, 0, "", "")

    monkeypatch.setattr(databases.subprocess, "run", run)
    databases.pg_restore(database=PG_SETTINGS, dump=tmp_path / "database.pgdump")

    (arguments,) = calls
    assert arguments[0] == databases.PG_RESTORE
    assert {"--single-transaction", "--exit-on-error", "--no-owner"} <= set(arguments)
    assert "--dbname=sinmun" in arguments
    assert arguments[-1] == str(tmp_path / "database.pgdump")
    assert not any("s3cret" in argument for argument in arguments)


def test_an_unknown_engine_is_refused():
    with pytest.raises(databases.BackupError) as refused:
        databases.vendor_of({"ENGINE": "django.db.backends.mysql"})
    assert str(refused.value) == databases.DATABASE_UNSUPPORTED.format(
        engine="django.db.backends.mysql"
    )
