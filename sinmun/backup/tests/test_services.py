"""``backup_write`` and ``backup_restore`` on the test run's database (SQLite or PostgreSQL).

The round trip compares rows as the database driver returns them, table by table, and every
photo byte by byte. Each refusal starts from the same good archive as the round trip and changes
one thing, so a refusal test cannot pass because the archive was broken in some other way.
"""

import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django import db
from django.db import connection

from sinmun.backup import archive, databases, services
from sinmun.backup.tests.conftest import (
    SQLITE_ENGINE,
    Target,
    change_manifest,
    opening,
    pg_connect,
    read_members,
    reseal,
    source_database,
    table_rows,
    write_members,
)
from sinmun.newsroom import actors
from sinmun.newsroom import services as newsroom_services
from sinmun.newsroom.models import Article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEWSROOM_TABLES = [
    "newsroom_article",
    "newsroom_articlerevision",
    "newsroom_articlereporter",
    "newsroom_article_keywords",
    "newsroom_reporter",
    "newsroom_keyword",
    "newsroom_section",
    "newsroom_series",
    "newsroom_outletsettings",
]
FUTURE_MIGRATION = ["newsroom", "9999_from_the_future"]


def backup(site_media: Path, path: Path, **options) -> services.BackupResult:
    return services.backup_write(
        path=path, database=source_database(), media_root=site_media, **options
    )


def restore(path: Path, target: Target) -> services.RestoreResult:
    return services.backup_restore(
        path=path, database=target.database, media_root=target.media_root
    )


@pytest.fixture
def good_archive(site, settings, tmp_path) -> Path:
    """Return a backup of ``site`` (a plain tar)."""
    path = tmp_path / "backup.tar"
    backup(settings.MEDIA_ROOT, path)
    return path


@pytest.mark.parametrize("name", ["backup.tar", "backup.tar.gz"])
def test_round_trip_gives_back_every_row_and_photo(site, settings, tmp_path, target, name):
    path = tmp_path / name
    result = backup(settings.MEDIA_ROOT, path)
    assert result.vendor == connection.vendor
    # Every file under media: the two photos and the renditions made when they were stored.
    on_disk = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(on_disk) > 2
    assert result.media_files == len(on_disk)

    restored = restore(path, target)

    assert restored.pending_migrations == []
    source = source_database()
    for table in NEWSROOM_TABLES:
        rows = table_rows(source, table)
        assert rows, f"{table} has no rows to compare"
        assert table_rows(target.database, table) == rows, table
    # Every other table too: users, search documents (FTS5 shadow tables on SQLite), weather.
    for table in connection.introspection.table_names():
        assert table_rows(target.database, table) == table_rows(source, table), table
    photos = [a.lead_photo.name for a in Article.objects.exclude(lead_photo="")]
    assert len(photos) == 2
    for name_ in photos:
        original = Path(settings.MEDIA_ROOT) / name_
        assert (target.media_root / name_).read_bytes() == original.read_bytes()
    source_files = sorted(
        p.relative_to(settings.MEDIA_ROOT) for p in settings.MEDIA_ROOT.rglob("*")
    )
    restored_files = sorted(p.relative_to(target.media_root) for p in target.media_root.rglob("*"))
    assert restored_files == source_files


def test_revisions_and_keywords_are_in_the_round_trip(site, settings, tmp_path, target):
    """Spell out what the row comparison covers, so an empty table cannot slip through."""
    path = tmp_path / "backup.tar"
    backup(settings.MEDIA_ROOT, path)
    restore(path, target)

    revisions = table_rows(target.database, "newsroom_articlerevision")
    actions = sorted(row[1] for row in revisions)
    assert actions.count("create") == 4
    assert actions.count("publish") == 3
    assert "update" in actions and "withdraw" in actions
    keywords = {row[1] for row in table_rows(target.database, "newsroom_keyword")}
    assert {"반도체", "한결전자", "평택", "국회", "예산안", "정정"} <= keywords
    reporters = {row[1] for row in table_rows(target.database, "newsroom_reporter")}
    assert reporters == {"김민준", "이서연", "박하준"}


def test_manifest_lists_schema_vendor_and_every_member(good_archive):
    members = read_members(good_archive)
    manifest = json.loads(members[archive.MANIFEST_NAME])
    assert list(members)[-1] == archive.MANIFEST_NAME
    assert manifest["format_version"] == archive.FORMAT_VERSION
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["database"]["vendor"] == connection.vendor
    applied = {tuple(m) for m in manifest["schema"]["migrations"]}
    assert ("newsroom", "0001_initial_content_model") in applied
    assert applied == services.known_migrations()
    listed = {m["name"]: m for m in manifest["members"]}
    assert set(listed) == set(members) - {archive.MANIFEST_NAME}
    assert sum(name.startswith("media/photos/") for name in listed) == 2


def test_an_archive_of_an_older_schema_restores_and_asks_for_migrate(
    good_archive, target, tmp_path
):
    members = change_manifest(
        read_members(good_archive),
        lambda m: m["schema"]["migrations"].remove(["newsroom", "0001_initial_content_model"]),
    )
    path = write_members(tmp_path / "older.tar", members)

    result = restore(path, target)

    assert result.pending_migrations == [("newsroom", "0001_initial_content_model")]
    assert table_rows(target.database, "newsroom_article")


def _truncated(path: Path, tmp_path: Path) -> Path:
    data = path.read_bytes()
    return _write(tmp_path / "truncated.tar", data[: len(data) // 2])


def _truncated_before_manifest(path: Path, tmp_path: Path) -> Path:
    with tarfile.open(path) as tar:
        offset = tar.getmember(archive.MANIFEST_NAME).offset
    return _write(tmp_path / "cut.tar", path.read_bytes()[:offset])


def _truncated_gzip(path: Path, tmp_path: Path) -> Path:
    data = gzip.compress(path.read_bytes())
    return _write(tmp_path / "cut.tar.gz", data[: len(data) - 100])


def _flipped_byte(path: Path, tmp_path: Path) -> Path:
    with tarfile.open(path) as tar:
        info = next(i for i in tar if i.name.startswith("database/"))
    data = bytearray(path.read_bytes())
    data[info.offset_data + info.size // 2] ^= 0x01
    return _write(tmp_path / "flipped.tar", bytes(data))


def _flipped_photo_byte(path: Path, tmp_path: Path) -> Path:
    with tarfile.open(path) as tar:
        info = next(i for i in tar if i.name.startswith("media/"))
    data = bytearray(path.read_bytes())
    data[info.offset_data + info.size - 1] ^= 0x80
    return _write(tmp_path / "flipped.tar", bytes(data))


def _wrong_checksum(path: Path, tmp_path: Path) -> Path:
    def change(manifest: dict) -> None:
        manifest["members"][0]["sha256"] = "0" * 64

    return write_members(tmp_path / "sum.tar", change_manifest(read_members(path), change))


def _wrong_size(path: Path, tmp_path: Path) -> Path:
    def change(manifest: dict) -> None:
        manifest["members"][0]["size"] += 1

    return write_members(tmp_path / "size.tar", change_manifest(read_members(path), change))


def _extra_member(path: Path, tmp_path: Path) -> Path:
    members = read_members(path)
    members = {"media/photos/extra.jpg": b"not in the manifest", **members}
    return write_members(tmp_path / "extra.tar", members)


def _missing_member(path: Path, tmp_path: Path) -> Path:
    members = read_members(path)
    del members[next(name for name in members if name.startswith("media/"))]
    return write_members(tmp_path / "missing.tar", members)


def _parent_member(path: Path, tmp_path: Path) -> Path:
    members = {"media/../../escaped.txt": b"outside", **read_members(path)}
    return write_members(tmp_path / "parent.tar", reseal(members))


def _absolute_member(path: Path, tmp_path: Path) -> Path:
    members = {"/var/sinmun-absolute.txt": b"outside", **read_members(path)}
    return write_members(tmp_path / "absolute.tar", members)


def _link_member(path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "link.tar"
    write_members(out, read_members(path))
    with tarfile.open(out, "a") as tar:
        info = tarfile.TarInfo("media/photos/link.jpg")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    return out


def _no_manifest(path: Path, tmp_path: Path) -> Path:
    members = read_members(path)
    del members[archive.MANIFEST_NAME]
    return write_members(tmp_path / "bare.tar", members)


def _bad_manifest(path: Path, tmp_path: Path) -> Path:
    members = {**read_members(path), archive.MANIFEST_NAME: b"{not json"}
    return write_members(tmp_path / "bad.tar", members)


def _newer_format(path: Path, tmp_path: Path) -> Path:
    members = change_manifest(read_members(path), lambda m: m.update(format_version=2))
    return write_members(tmp_path / "v2.tar", members)


def _wrong_vendor(path: Path, tmp_path: Path) -> Path:
    members = read_members(path)
    (vendor,) = {v for v in archive.DATABASE_MEMBERS if v != connection.vendor}
    ours = archive.DATABASE_MEMBERS[connection.vendor]
    members = {
        (archive.DATABASE_MEMBERS[vendor] if name == ours else name): data
        for name, data in members.items()
    }

    def change(manifest: dict) -> None:
        manifest["database"] = {"vendor": vendor, "member": archive.DATABASE_MEMBERS[vendor]}

    return write_members(tmp_path / "vendor.tar", reseal(change_manifest(members, change)))


def _future_migration(path: Path, tmp_path: Path) -> Path:
    members = change_manifest(
        read_members(path), lambda m: m["schema"]["migrations"].append(FUTURE_MIGRATION)
    )
    return write_members(tmp_path / "future.tar", members)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


REFUSALS = {
    "truncated": (_truncated, archive.ARCHIVE_UNREADABLE),
    "truncated-before-manifest": (_truncated_before_manifest, archive.MANIFEST_MISSING),
    "truncated-gzip": (_truncated_gzip, archive.ARCHIVE_UNREADABLE),
    "flipped-byte-in-database": (_flipped_byte, archive.MEMBER_CHECKSUM_MISMATCH),
    "flipped-byte-in-photo": (_flipped_photo_byte, archive.MEMBER_CHECKSUM_MISMATCH),
    "manifest-checksum": (_wrong_checksum, archive.MEMBER_CHECKSUM_MISMATCH),
    "manifest-size": (_wrong_size, archive.MEMBER_SIZE_MISMATCH),
    "extra-member": (_extra_member, archive.MEMBER_UNLISTED),
    "missing-member": (_missing_member, archive.MEMBER_MISSING),
    "parent-path": (_parent_member, archive.MEMBER_UNSAFE),
    "absolute-path": (_absolute_member, archive.MEMBER_UNSAFE),
    "symlink": (_link_member, archive.MEMBER_UNSAFE),
    "no-manifest": (_no_manifest, archive.MANIFEST_MISSING),
    "manifest-not-json": (_bad_manifest, archive.MANIFEST_INVALID),
    "newer-format": (_newer_format, archive.FORMAT_UNSUPPORTED),
    "wrong-vendor": (_wrong_vendor, services.VENDOR_MISMATCH),
    "future-migration": (_future_migration, services.SCHEMA_FROM_NEWER_CODE),
}


@pytest.fixture
def no_unpacking(monkeypatch):
    """Fail the test if restore gets as far as unpacking: refusals come before any write."""

    def unpack(*args, **kwargs):
        pytest.fail("restore started writing before it refused the archive")

    monkeypatch.setattr(archive, "extract", unpack)


@pytest.mark.parametrize("case", REFUSALS)
def test_a_bad_archive_is_refused_and_nothing_is_written(
    good_archive, target, tmp_path, no_unpacking, case
):
    damage, message = REFUSALS[case]
    bad = damage(good_archive, tmp_path)
    before = target.snapshot()

    with pytest.raises((archive.ArchiveError, services.BackupError)) as refused:
        restore(bad, target)

    assert str(refused.value).startswith(opening(message)), str(refused.value)
    assert target.snapshot() == before
    assert not target.media_root.exists()
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_the_good_archive_behind_the_refusals_restores(good_archive, target):
    """The refusals above change one thing each in this archive; unchanged, it restores."""
    restore(good_archive, target)
    assert table_rows(target.database, "newsroom_article")


def test_a_member_changed_after_the_check_is_caught_and_cleaned_up(
    good_archive, target, tmp_path, monkeypatch
):
    """The archive is read twice; a file changed in between is refused and the staging goes."""
    extract = archive.extract

    def change_then_extract(path, manifest, targets):
        flipped = _flipped_byte(Path(path), tmp_path)
        return extract(str(flipped), manifest, targets)

    monkeypatch.setattr(archive, "extract", change_then_extract)
    before = target.snapshot()

    with pytest.raises(archive.ArchiveError) as refused:
        restore(good_archive, target)

    assert str(refused.value).startswith(opening(archive.MEMBER_CHECKSUM_MISMATCH))
    assert target.snapshot() == before


def test_a_disk_error_while_unpacking_is_a_message_and_leaves_the_target(
    good_archive, target, monkeypatch
):
    def full(path, manifest, targets):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive, "extract", full)
    before = target.snapshot()

    with pytest.raises(services.BackupError) as failed:
        restore(good_archive, target)

    assert str(failed.value).startswith(opening(services.RESTORE_WRITE_FAILED))
    assert "No space left on device" in str(failed.value)
    assert target.snapshot() == before


def test_the_refusal_names_the_future_migration(good_archive, target, tmp_path):
    bad = _future_migration(good_archive, tmp_path)
    with pytest.raises(services.BackupError, match=re.escape("newsroom.9999_from_the_future")):
        restore(bad, target)


def _fill_database(target: Target) -> None:
    if target.vendor == "sqlite":
        conn = sqlite3.connect(target.database["NAME"])
        conn.execute("CREATE TABLE kept (x)")
        conn.commit()
        conn.close()
    else:
        with pg_connect(target.database) as conn:
            conn.execute("CREATE TABLE kept (x int)")


def test_a_database_with_tables_is_not_a_target(good_archive, target, no_unpacking):
    _fill_database(target)
    before = target.snapshot()

    with pytest.raises(services.BackupError) as refused:
        restore(good_archive, target)

    assert str(refused.value).startswith(opening(databases.TARGET_DATABASE_NOT_EMPTY))
    assert target.snapshot() == before


def test_a_media_folder_with_files_is_not_a_target(good_archive, target, no_unpacking):
    target.media_root.mkdir()
    (target.media_root / "old.jpg").write_bytes(b"old photo")
    before = target.snapshot()

    with pytest.raises(services.BackupError) as refused:
        restore(good_archive, target)

    assert str(refused.value).startswith(opening(services.TARGET_MEDIA_NOT_EMPTY))
    assert target.snapshot() == before
    if target.vendor == "sqlite":
        assert not Path(target.database["NAME"]).exists()
    else:
        assert target.snapshot()["tables"] == []


def test_an_empty_media_folder_and_empty_database_file_are_targets(good_archive, target):
    target.media_root.mkdir()
    if target.vendor == "sqlite":
        Path(target.database["NAME"]).touch()
    restore(good_archive, target)
    assert any(target.media_root.rglob("*.jpg"))
    assert table_rows(target.database, "newsroom_article")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite file's WAL")
def test_a_sqlite_target_with_a_wal_file_is_in_use(good_archive, target, no_unpacking):
    Path(target.database["NAME"] + "-wal").write_bytes(b"")
    before = target.snapshot()
    with pytest.raises(services.BackupError) as refused:
        restore(good_archive, target)
    assert str(refused.value).startswith(opening(databases.TARGET_DATABASE_IN_USE))
    assert target.snapshot() == before


def test_an_existing_backup_is_not_overwritten_without_force(site, settings, tmp_path):
    path = tmp_path / "nightly.tar"
    path.write_bytes(b"yesterday")

    with pytest.raises(services.BackupError) as refused:
        backup(settings.MEDIA_ROOT, path)

    assert str(refused.value) == services.BACKUP_EXISTS.format(path=path)
    assert path.read_bytes() == b"yesterday"
    backup(settings.MEDIA_ROOT, path, force=True)
    assert archive.verify(str(path)).vendor == connection.vendor


def test_a_failed_backup_leaves_the_old_file_and_no_partial(site, settings, tmp_path, monkeypatch):
    path = tmp_path / "nightly.tar"
    path.write_bytes(b"yesterday")

    def fail(self, manifest):
        raise OSError("disk full")

    monkeypatch.setattr(archive.Writer, "finish", fail)
    with pytest.raises(services.BackupError) as failed:
        backup(settings.MEDIA_ROOT, path, force=True)

    assert str(failed.value) == services.BACKUP_WRITE_FAILED.format(detail="disk full")

    assert path.read_bytes() == b"yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nightly.tar", "site"]


def test_a_missing_sqlite_file_is_refused_and_writes_nothing(tmp_path):
    path = tmp_path / "backup.tar"
    database = {"ENGINE": SQLITE_ENGINE, "NAME": str(tmp_path / "absent.sqlite3")}
    with pytest.raises(services.BackupError) as refused:
        services.backup_write(path=path, database=database, media_root=tmp_path / "media")
    assert str(refused.value).startswith(opening(databases.DATABASE_FILE_MISSING))
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_engine_is_refused(tmp_path):
    database = {"ENGINE": "django.db.backends.mysql", "NAME": "sinmun"}
    with pytest.raises(services.BackupError, match=re.escape("django.db.backends.mysql")):
        services.backup_write(path=tmp_path / "b.tar", database=database, media_root=tmp_path)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API under WAL writers")
def test_an_online_backup_while_another_process_writes_is_consistent(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    live = var_dir / "sinmun.sqlite3"
    # A migrated database file in WAL mode, as `sinmun migrate` leaves it: the test schema copied.
    schema = sqlite3.connect(source_database()["NAME"], uri=True)
    copy = sqlite3.connect(live)
    schema.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    schema.close()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SINMUN_")}
    environment["SINMUN_VAR_DIR"] = str(var_dir)
    writer = subprocess.Popen(
        [sys.executable, "-m", "sinmun.backup.tests.writer"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        written = _wait_for_articles(writer, 10)
        database = {"ENGINE": SQLITE_ENGINE, "NAME": str(live)}
        archives = []
        for number in range(3):
            path = tmp_path / f"online-{number}.tar"
            services.backup_write(path=path, database=database, media_root=var_dir / "media")
            archives.append(path)
        written = _wait_for_articles(writer, _count_articles(live) + 1)
    finally:
        writer.terminate()
        writer.wait(timeout=30)

    counts = []
    for path in archives:
        manifest = archive.verify(str(path))
        copy_path = tmp_path / f"{path.stem}.sqlite3"
        archive.extract(str(path), manifest, {manifest.database_member: copy_path})
        copy = sqlite3.connect(copy_path)
        try:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
            # article_create commits an article with its first revision, article_update the
            # change with the second: a snapshot may fall between the two for the newest
            # article only, never inside either.
            revisions = copy.execute(
                "SELECT a.id, count(r.id) FROM newsroom_article a LEFT JOIN"
                " newsroom_articlerevision r ON r.article_id = a.id GROUP BY a.id ORDER BY a.id"
            ).fetchall()
            assert all(n == 2 for _, n in revisions[:-1]), revisions
            assert revisions[-1][1] in (1, 2)
            counts.append(copy.execute("SELECT count(*) FROM newsroom_article").fetchone()[0])
        finally:
            copy.close()
    assert 10 <= counts[0] <= counts[1] <= counts[2] < written


def _count_articles(path: Path) -> int:
    conn = sqlite3.connect(path, timeout=20)
    try:
        return conn.execute("SELECT count(*) FROM newsroom_article").fetchone()[0]
    finally:
        conn.close()


def _wait_for_articles(writer: subprocess.Popen, count: int) -> int:
    """Read the writer's progress until it has committed ``count`` articles; return its count."""
    while True:
        line = writer.stdout.readline()
        if not line:
            pytest.fail(f"the writer stopped: {writer.stderr.read()[-3000:]}")
        if int(line) >= count:
            return int(line)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump in an exported snapshot")
def test_an_online_pg_dump_while_a_thread_writes_is_consistent(site, settings, tmp_path, target):
    stop = threading.Event()
    written: list[int] = []
    failures: list[Exception] = []

    def write() -> None:
        try:
            while not stop.is_set():
                article = newsroom_services.article_create(
                    by=actors.DEMO,
                    headline=f"동시 쓰기 {len(written) + 1}",
                    body="<p>백업하는 동안 쓰는 기사.</p>",
                    section=site.politics,
                    reporters=[site.kim],
                )
                newsroom_services.article_update(article=article, by=actors.DEMO, is_top=True)
                written.append(article.pk)
        except Exception as error:
            failures.append(error)
        finally:
            db.connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        _wait(lambda: len(written) >= 5 or failures)
        path = tmp_path / "online.tar"
        backup(settings.MEDIA_ROOT, path)
        after_backup = len(written)
        _wait(lambda: len(written) > after_backup or failures)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not failures

    restore(path, target)

    with pg_connect(target.database) as conn:
        revisions = conn.execute(
            "SELECT a.id, count(r.id) FROM newsroom_article a LEFT JOIN"
            " newsroom_articlerevision r ON r.article_id = a.id"
            " WHERE a.headline LIKE '동시 쓰기%' GROUP BY a.id ORDER BY a.id"
        ).fetchall()
    assert 5 <= len(revisions) < len(written)
    assert all(n == 2 for _, n in revisions[:-1]), revisions
    assert revisions[-1][1] in (1, 2)


def _wait(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the writer thread made no progress")
        time.sleep(0.01)
