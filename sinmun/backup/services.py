"""Write a backup of a running site and restore one into an empty site.

``backup_write`` copies the database while the site keeps serving and writing: SQLite through its
backup API (one step, so one read transaction: a consistent snapshot that WAL writers do not
block), PostgreSQL through ``pg_dump`` run inside a snapshot exported from the transaction that
also reads ``django_migrations``, so the schema version in the manifest is the dump's own. The
database is copied before the media folder: every photo the copy points at was on disk before
its row committed, so it is in the archive too (newer photos are harmless extras).

``backup_restore`` checks the archive, the vendor, the schema and the emptiness of the target
before it writes anything; then it unpacks next to the target and renames into place, so a
failure leaves the target as it was (docs/decisions/0011-backup-archive.md).

Both take the database as a Django settings dict and the media folder as a path: the commands
pass the configured ones, tests pass throw-away ones. Each vendor's own tools are in
``databases``; the archive format and its checks in ``archive``.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.db.migrations.loader import MigrationLoader

from sinmun.backup import archive, databases
from sinmun.backup.databases import BackupError

COMPRESSED_SUFFIXES = (".gz", ".tgz")

BACKUP_EXISTS = "{path} 파일이 이미 있습니다. 덮어쓰려면 --force를 붙이세요."
BACKUP_WRITE_FAILED = "백업을 쓰지 못했습니다 (백업 경로의 파일은 그대로입니다): {detail}"
RESTORE_WRITE_FAILED = "복원하는 중에 실패했습니다: {detail}"
BACKUP_FOLDER_MISSING = "백업을 쓸 폴더가 없습니다: {folder}"
ARCHIVE_NOT_FOUND = "백업 파일이 없습니다: {path}"
VENDOR_MISMATCH = (
    "이 백업은 {archive} 데이터베이스의 것인데 지금 설정된 데이터베이스는 {configured}입니다: "
    "같은 종류의 데이터베이스에 복원하세요."
)
SCHEMA_FROM_NEWER_CODE = (
    "이 백업은 더 새로운 Sinmun에서 만들어졌습니다 (이 코드가 모르는 마이그레이션: {names}). "
    "Sinmun을 업데이트한 뒤 복원하세요."
)
TARGET_MEDIA_NOT_EMPTY = (
    "미디어 폴더가 비어 있지 않습니다: {path}. 비어 있거나 없는 폴더에만 복원합니다."
)
RESTORE_NEEDS_MIGRATE = (
    "백업의 스키마가 이 코드보다 오래되었습니다 (적용할 마이그레이션 {count}개): "
    "`sinmun migrate`를 실행하세요."
)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    vendor: str
    migrations: int
    media_files: int


@dataclass(frozen=True)
class RestoreResult:
    manifest: archive.Manifest
    media_files: int
    pending_migrations: list[tuple[str, str]]


def known_migrations() -> set[tuple[str, str]]:
    """Return (app, name) of every migration this code ships."""
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    """Yield (member name, path) of every regular file under ``media_root``, in name order."""
    if not media_root.is_dir():
        return
    for folder, subfolders, files in os.walk(media_root):
        subfolders.sort()
        for file in sorted(files):
            path = Path(folder) / file
            if path.is_file() and not path.is_symlink():
                yield archive.MEDIA_PREFIX + path.relative_to(media_root).as_posix(), path


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_write(
    *,
    path: Path,
    database: Mapping[str, Any],
    media_root: Path,
    force: bool = False,
    now: datetime | None = None,
) -> BackupResult:
    """Write one archive of the database and the media folder to ``path``.

    The archive is written under a temporary name in the same folder and renamed at the end,
    so ``path`` holds either the previous file or a complete archive, never half of one.
    """
    path = Path(path).absolute()
    vendor = databases.vendor_of(database)
    if not path.parent.is_dir():
        raise BackupError(BACKUP_FOLDER_MISSING.format(folder=path.parent))
    if path.exists() and not force:
        raise BackupError(BACKUP_EXISTS.format(path=path))
    created_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with (
            os.fdopen(fd, "wb") as handle,
            tempfile.TemporaryDirectory(dir=path.parent, prefix=".sinmun-backup-") as work,
        ):
            copy = Path(work) / "database"
            if vendor == "sqlite":
                migrations = databases.sqlite_copy(name=str(database["NAME"]), target=copy)
            else:
                migrations = databases.pg_dump(database=database, target=copy)
            writer = archive.Writer(handle, compress=path.name.endswith(COMPRESSED_SUFFIXES))
            with copy.open("rb") as source:
                size = copy.stat().st_size
                mtime = datetime.fromisoformat(created_at).timestamp()
                writer.add(archive.DATABASE_MEMBERS[vendor], source, size, mtime)
            media_files = 0
            for name, file in _media_files(Path(media_root)):
                try:
                    source = file.open("rb")
                except FileNotFoundError:
                    continue  # deleted since the walk listed it
                with source:
                    stat = os.fstat(source.fileno())
                    writer.add(name, source, stat.st_size, stat.st_mtime)
                media_files += 1
            writer.finish(
                archive.Manifest(
                    created_at=created_at,
                    vendor=vendor,
                    migrations=frozenset(migrations),
                    members=tuple(writer.members),
                )
            )
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException as error:
        with suppress(FileNotFoundError):
            os.unlink(partial)
        if isinstance(error, OSError):
            raise BackupError(BACKUP_WRITE_FAILED.format(detail=error)) from error
        raise
    _fsync_folder(path.parent)
    return BackupResult(
        path=path,
        size=path.stat().st_size,
        vendor=vendor,
        migrations=len(migrations),
        media_files=media_files,
    )


def _check_media_target(media_root: Path) -> None:
    if media_root.is_symlink() or (media_root.exists() and not media_root.is_dir()):
        raise BackupError(TARGET_MEDIA_NOT_EMPTY.format(path=media_root))
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(TARGET_MEDIA_NOT_EMPTY.format(path=media_root))


def backup_verify(*, path: Path, database: Mapping[str, Any]) -> archive.Manifest:
    """Return the archive's manifest if this code could restore it into ``database``'s vendor.

    Checks the archive and its schema, not the target: a nightly job runs it on the live site
    right after ``backup_write``. Writes nothing.
    """
    path = Path(path)
    vendor = databases.vendor_of(database)
    if not path.is_file():
        raise BackupError(ARCHIVE_NOT_FOUND.format(path=path))
    manifest = archive.verify(str(path))
    if manifest.vendor != vendor:
        raise BackupError(
            VENDOR_MISMATCH.format(
                archive=databases.VENDOR_NAMES[manifest.vendor],
                configured=databases.VENDOR_NAMES[vendor],
            )
        )
    if unknown := sorted(manifest.migrations - known_migrations()):
        names = ", ".join(f"{app}.{name}" for app, name in unknown[: archive.MAX_NAMES_SHOWN])
        raise BackupError(SCHEMA_FROM_NEWER_CODE.format(names=names))
    return manifest


def _check_target(*, database: Mapping[str, Any], media_root: Path) -> None:
    """Refuse unless both the database and the media folder are empty."""
    if databases.vendor_of(database) == "sqlite":
        databases.check_sqlite_target(str(database["NAME"]))
    else:
        databases.check_pg_target(database)
    _check_media_target(media_root)


@contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=folder, prefix=".sinmun-restore-"))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def backup_restore(*, path: Path, database: Mapping[str, Any], media_root: Path) -> RestoreResult:
    """Restore the archive at ``path`` into an empty database and an empty media folder.

    Everything is checked first (``backup_verify``, then the target); a refusal writes nothing.
    The media files and the database are unpacked beside their targets and put into place at
    the end.
    """
    manifest = backup_verify(path=path, database=database)
    media_root = Path(media_root).absolute()
    _check_target(database=database, media_root=media_root)
    try:
        _unpack(path=Path(path), manifest=manifest, database=database, media_root=media_root)
    except OSError as error:
        raise BackupError(RESTORE_WRITE_FAILED.format(detail=error)) from error
    pending = sorted(known_migrations() - manifest.migrations)
    return RestoreResult(
        manifest=manifest, media_files=len(manifest.media_members), pending_migrations=pending
    )


def _unpack(
    *, path: Path, manifest: archive.Manifest, database: Mapping[str, Any], media_root: Path
) -> None:
    """Unpack beside the targets, then put the database and the media folder into place."""
    with ExitStack() as stack:
        stage = stack.enter_context(_staging(media_root.parent))
        staged_media = stage / "media"
        staged_media.mkdir()
        targets = {}
        for member in manifest.media_members:
            relative = PurePosixPath(member.name).relative_to(archive.MEDIA_PREFIX)
            target = staged_media.joinpath(*relative.parts)
            if not target.resolve().is_relative_to(staged_media.resolve()):
                raise archive.ArchiveError(
                    archive.MEMBER_UNSAFE.format(name=member.name, reason="미디어 폴더 밖")
                )
            targets[member.name] = target
        if manifest.vendor == "sqlite":
            # Staged in the database's own folder: the rename into place is then atomic.
            database_file = Path(str(database["NAME"])).absolute()
            staged_database = stack.enter_context(_staging(database_file.parent)) / "database"
        else:
            staged_database = stage / "database.pgdump"
        targets[manifest.database_member] = staged_database
        archive.extract(str(path), manifest, targets)
        if manifest.vendor == "sqlite":
            os.replace(staged_database, database_file)
            _fsync_folder(database_file.parent)
        else:
            databases.pg_restore(database=database, dump=staged_database)
        if media_root.is_dir():
            media_root.rmdir()  # checked empty above
        os.rename(staged_media, media_root)
