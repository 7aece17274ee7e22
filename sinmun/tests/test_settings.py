"""``sinmun.settings`` as a fresh process sees it: each case starts its own interpreter, because
settings are read once at import and the test process has already imported them."""

import json
import os
import subprocess
import sys
from pathlib import Path

TIMEOUT = 120
SETUP = (
    "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sinmun.settings'; "
    "django.setup(); from django.conf import settings; "
)


def start(var_dir: Path, expression: str, **env: str) -> object:
    """Start Django in a new interpreter with ``env``; return ``expression`` evaluated there."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SINMUN_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(SINMUN_VAR_DIR=str(var_dir), **env)
    result = subprocess.run(  # noqa: S603 - the test's own interpreter and code
        [sys.executable, "-c", f"{SETUP}print(json.dumps({expression}))"],
        cwd=var_dir,
        env=environ,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_secret_key_is_generated_once_into_var(tmp_path):
    key_file = tmp_path / "secret_key"
    assert not key_file.exists()
    first = start(tmp_path, "settings.SECRET_KEY")
    assert key_file.read_text().strip() == first
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert start(tmp_path, "settings.SECRET_KEY") == first


def test_each_var_folder_gets_its_own_secret_key(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    assert start(one, "settings.SECRET_KEY") != start(two, "settings.SECRET_KEY")


def test_secret_key_from_the_environment_wins(tmp_path):
    key = start(tmp_path, "settings.SECRET_KEY", SINMUN_SECRET_KEY="from-the-environment-123")
    assert key == "from-the-environment-123"
    assert not (tmp_path / "secret_key").exists()
    generated = start(tmp_path, "settings.SECRET_KEY")
    assert generated != "from-the-environment-123"
    key = start(tmp_path, "settings.SECRET_KEY", SINMUN_SECRET_KEY="from-the-environment-123")
    assert key == "from-the-environment-123"


SQLITE_PRAGMAS = (
    "(lambda c: [c.execute('PRAGMA journal_mode').fetchone()[0], "
    "c.execute('PRAGMA foreign_keys').fetchone()[0], settings.DATABASES['default']['ENGINE'], "
    "str(settings.DATABASES['default']['NAME'])])"
    "(__import__('django.db', fromlist=['connection']).connection.cursor())"
)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    journal_mode, foreign_keys, engine, name = start(tmp_path, SQLITE_PRAGMAS)
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "sinmun.sqlite3")
    assert journal_mode == "wal"
    assert foreign_keys == 1


def test_debug_is_off_unless_asked_for(tmp_path):
    assert start(tmp_path, "settings.DEBUG") is False
    assert start(tmp_path, "settings.DEBUG", SINMUN_DEBUG="") is False
    assert start(tmp_path, "settings.DEBUG", SINMUN_DEBUG="0") is False
    assert start(tmp_path, "settings.DEBUG", SINMUN_DEBUG="1") is True


def test_allowed_hosts_are_split_on_commas(tmp_path):
    hosts = start(
        tmp_path,
        "settings.ALLOWED_HOSTS",
        SINMUN_ALLOWED_HOSTS="news.saenaru.example, www.saenaru.example,,",
    )
    assert hosts == ["news.saenaru.example", "www.saenaru.example"]
    assert start(tmp_path, "settings.ALLOWED_HOSTS") == [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "testserver",
    ]


def test_database_url_selects_postgresql(tmp_path):
    database = start(
        tmp_path,
        "{k: settings.DATABASES['default'][k] for k in ('ENGINE', 'NAME', 'HOST', 'PORT', 'USER')}",
        SINMUN_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
    )
    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "test",
        "HOST": "127.0.0.1",
        "PORT": 5432,
        "USER": "postgres",
    }


def test_times_are_stored_in_utc_and_shown_in_seoul(tmp_path):
    assert start(tmp_path, "[settings.TIME_ZONE, settings.USE_TZ, settings.LANGUAGE_CODE]") == [
        "Asia/Seoul",
        True,
        "ko",
    ]


def test_view_counting_is_the_servers_unless_told_and_a_wrong_value_is_refused(tmp_path):
    assert start(tmp_path, "settings.AUDIENCE_COUNTING") == "server"
    assert start(tmp_path, "settings.AUDIENCE_COUNTING", SINMUN_AUDIENCE_COUNTING="beacon") == (
        "beacon"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SINMUN_")}
    environ.update(SINMUN_VAR_DIR=str(tmp_path), SINMUN_AUDIENCE_COUNTING="cdn")
    result = subprocess.run(  # noqa: S603 - the test's own interpreter and code
        [sys.executable, "-c", SETUP],
        env=environ,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode != 0
    assert "SINMUN_AUDIENCE_COUNTING must be 'server' or 'beacon', not 'cdn'" in result.stderr
