"""``sinmun backup`` and ``sinmun restore`` as a user runs them: real processes, throw-away dirs.

The processes use SQLite files under their own SINMUN_VAR_DIR, never the pytest database, so the
exit statuses and messages are the same in the SQLite and the PostgreSQL run of the suite.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from sinmun.backup import archive, databases, services
from sinmun.backup.management.commands import backup as backup_command
from sinmun.backup.management.commands import restore as restore_command
from sinmun.backup.tests.conftest import opening
from sinmun.testcommand import run

PHOTO = "photos/2026/12/공장.jpg"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Return a var folder with a migrated database and one photo (built once per module)."""
    var_dir = tmp_path_factory.mktemp("site")
    result = run(var_dir, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    photo = var_dir / "media" / PHOTO
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (64, 36), (40, 90, 160)).save(photo, "JPEG")
    return var_dir


@pytest.fixture(scope="module")
def nightly(site, tmp_path_factory) -> Path:
    """Return a backup of ``site`` written by the command."""
    path = tmp_path_factory.mktemp("backups") / "nightly.tar.gz"
    result = run(site, "backup", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_backup_writes_an_archive_and_says_so(site, tmp_path):
    path = tmp_path / "sinmun.tar"
    result = run(site, "backup", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(opening(backup_command.BACKUP_WRITTEN))
    assert "미디어 파일 1개" in result.stdout
    assert archive.verify(str(path)).vendor == "sqlite"


def test_backup_refuses_an_existing_file_without_force(site, tmp_path):
    path = tmp_path / "sinmun.tar"
    path.write_bytes(b"yesterday")

    refused = run(site, "backup", str(path))

    assert refused.returncode == 1
    assert services.BACKUP_EXISTS.format(path=path) in refused.stderr
    assert path.read_bytes() == b"yesterday"
    forced = run(site, "backup", "--force", str(path))
    assert forced.returncode == 0, forced.stderr
    assert archive.verify(str(path)).vendor == "sqlite"


def test_restore_into_an_empty_var_dir(nightly, site, tmp_path):
    result = run(tmp_path, "restore", str(nightly))

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(opening(restore_command.RESTORED))
    assert services.RESTORE_NEEDS_MIGRATE.split("(")[0] not in result.stdout
    assert (tmp_path / "media" / PHOTO).read_bytes() == (site / "media" / PHOTO).read_bytes()
    assert run(tmp_path, "migrate", "--check").returncode == 0


def test_restore_refuses_a_var_dir_with_a_database(nightly, site):
    before = (site / "sinmun.sqlite3").read_bytes()

    result = run(site, "restore", str(nightly))

    assert result.returncode == 1
    assert opening(databases.TARGET_DATABASE_NOT_EMPTY) in result.stderr
    assert (site / "sinmun.sqlite3").read_bytes() == before


def test_restore_refuses_a_damaged_archive_and_writes_nothing(nightly, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    data = nightly.read_bytes()
    damaged.write_bytes(data[: len(data) * 2 // 3])
    target = tmp_path / "var"
    target.mkdir()

    result = run(target, "restore", str(damaged))

    assert result.returncode == 1
    assert opening(archive.ARCHIVE_UNREADABLE) in result.stderr
    assert not (target / "sinmun.sqlite3").exists()
    assert not (target / "media").exists()
    assert not [p for p in target.iterdir() if p.name.startswith(".")]


def test_restore_refuses_a_missing_file(tmp_path):
    result = run(tmp_path, "restore", str(tmp_path / "absent.tar"))
    assert result.returncode == 1
    assert opening(services.ARCHIVE_NOT_FOUND) in result.stderr


def test_restore_check_verifies_without_writing(nightly, tmp_path):
    result = run(tmp_path, "restore", "--check", str(nightly))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(opening(restore_command.ARCHIVE_VERIFIED))
    assert not (tmp_path / "sinmun.sqlite3").exists()
    assert not (tmp_path / "media").exists()


def test_restore_check_runs_on_the_live_site(nightly, site):
    """The nightly job checks its archive where it was made; the target is not looked at."""
    result = run(site, "restore", "--check", str(nightly))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(opening(restore_command.ARCHIVE_VERIFIED))


def test_restore_check_refuses_a_damaged_archive(nightly, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(nightly.read_bytes()[:-50])
    result = run(tmp_path, "restore", "--check", str(damaged))
    assert result.returncode == 1
    assert opening(archive.ARCHIVE_UNREADABLE) in result.stderr


def test_call_command_raises_the_message(tmp_path):
    """In-process callers get the same Korean message as a CommandError."""
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "absent.tar"), stdout=io.StringIO())
    assert str(refused.value) == services.ARCHIVE_NOT_FOUND.format(path=tmp_path / "absent.tar")
