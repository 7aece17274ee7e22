"""The backup archive's format: a tar file whose ``manifest.json`` vouches for every other member.

Restore trusts nothing it has not checked (docs/decisions/0011-backup-archive.md). Before a single
byte is written, ``verify`` reads the whole archive and proves that:

- the tar (plain or gzip) reads to its end: a truncated or damaged file stops here;
- ``manifest.json`` is present once, is JSON of this format, and names a known vendor;
- every member is a regular file under ``database/`` or ``media/`` (or the manifest), with a plain
  relative name: no absolute path, no ``..``, no links or devices, no duplicates;
- every member is listed in the manifest with the same size and SHA-256, and every listed member
  is in the archive.

These functions read and write tar streams and nothing else; the database and the target folders
are ``services``' business.
"""

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

FORMAT = "sinmun-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/sinmun.sqlite3", "postgresql": "database/sinmun.pgdump"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
# About 150 bytes a member: room for a million photos, not for a manifest that fills memory.
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
# Members are listed in error messages; a hostile archive could name thousands.
MAX_NAMES_SHOWN = 5

ARCHIVE_UNREADABLE = "백업 파일을 읽을 수 없습니다: 잘리거나 손상된 파일입니다 ({detail})."
MANIFEST_MISSING = "백업 파일에 manifest.json이 없습니다: Sinmun 백업이 아니거나 잘린 파일입니다."
MANIFEST_INVALID = "manifest.json이 올바르지 않습니다: {detail}"
FORMAT_UNSUPPORTED = (
    "이 백업의 형식 버전({version})은 이 Sinmun이 읽을 수 없습니다. "
    "더 새로운 Sinmun으로 복원하세요."
)
MANIFEST_TOO_LARGE = "manifest.json이 너무 큽니다 ({size:,}바이트): Sinmun 백업이 아닙니다."
MEMBER_UNSAFE = "백업 안에 허용되지 않는 항목이 있습니다: {name} ({reason})"
MEMBER_DUPLICATE = "백업 안에 같은 이름의 항목이 두 번 있습니다: {name}"
MEMBER_UNLISTED = "manifest.json에 없는 항목이 백업에 들어 있습니다: {names}"
MEMBER_MISSING = "manifest.json에 적힌 항목이 백업에 없습니다(잘린 파일일 수 있습니다): {names}"
MEMBER_SIZE_MISMATCH = "크기가 manifest.json과 다릅니다: {name} ({actual} ≠ {expected} 바이트)"
MEMBER_CHECKSUM_MISMATCH = "체크섬(SHA-256)이 manifest.json과 다릅니다: {name}"


class ArchiveError(Exception):
    """The archive is refused; ``str(error)`` is the Korean message for the user."""


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    vendor: str
    migrations: frozenset[tuple[str, str]]
    members: tuple[Member, ...]

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.vendor]

    @property
    def media_members(self) -> list[Member]:
        return [m for m in self.members if m.name.startswith(MEDIA_PREFIX)]

    def to_json(self) -> bytes:
        """Return the manifest as UTF-8 JSON (migrations and members sorted: stable output)."""
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "database": {"vendor": self.vendor, "member": self.database_member},
            "schema": {"migrations": [list(m) for m in sorted(self.migrations)]},
            "members": [
                {"name": m.name, "size": m.size, "sha256": m.sha256}
                for m in sorted(self.members, key=lambda m: m.name)
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"


def _shown(names: Iterable[str]) -> str:
    names = sorted(names)
    more = f" 외 {len(names) - MAX_NAMES_SHOWN}개" if len(names) > MAX_NAMES_SHOWN else ""
    return ", ".join(names[:MAX_NAMES_SHOWN]) + more


def unsafe_reason(name: str) -> str | None:
    """Return why ``name`` may not be a member's name, or None when it is a plain relative path."""
    if not name or "\\" in name or "\x00" in name:
        return "이름에 허용되지 않는 문자"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "절대 경로"
    parts = name.split("/")
    if ".." in parts:
        return "상위 폴더(..)"
    if any(part in ("", ".") for part in parts):
        return "빈 경로 조각"
    if name != MANIFEST_NAME and not (
        name in DATABASE_MEMBERS.values() or (name.startswith(MEDIA_PREFIX) and len(parts) > 1)
    ):
        return "database/ 또는 media/ 밖의 경로"
    return None


def parse_manifest(data: bytes) -> Manifest:
    """Return the manifest in ``data`` or raise ``ArchiveError`` saying what is wrong with it."""

    def invalid(detail: str) -> ArchiveError:
        return ArchiveError(MANIFEST_INVALID.format(detail=detail))

    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise invalid(f"JSON이 아닙니다 ({error})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise invalid(f"format이 {FORMAT!r}가 아닙니다")
    if raw.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(FORMAT_UNSUPPORTED.format(version=raw.get("format_version")))
    created_at = raw.get("created_at")
    try:
        if not isinstance(created_at, str) or datetime.fromisoformat(created_at).tzinfo is None:
            raise ValueError
    except ValueError:
        raise invalid("created_at이 시간대 있는 ISO 시각이 아닙니다") from None
    database = raw.get("database")
    vendor = database.get("vendor") if isinstance(database, dict) else None
    if vendor not in DATABASE_MEMBERS or database.get("member") != DATABASE_MEMBERS[vendor]:
        raise invalid("database.vendor/member가 올바르지 않습니다")
    schema = raw.get("schema")
    listed = schema.get("migrations") if isinstance(schema, dict) else None
    if not isinstance(listed, list) or not all(
        isinstance(m, list) and len(m) == 2 and all(isinstance(p, str) and p for p in m)
        for m in listed
    ):
        raise invalid("schema.migrations가 [앱, 이름] 목록이 아닙니다")
    entries = raw.get("members")
    if not isinstance(entries, list):
        raise invalid("members가 목록이 아닙니다")
    members = []
    for entry in entries:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and type(entry.get("size")) is int
            and entry["size"] >= 0
            and isinstance(entry.get("sha256"), str)
            and SHA256.fullmatch(entry["sha256"])
        ):
            raise invalid(f"members의 항목이 올바르지 않습니다: {str(entry)[:200]}")
        if entry["name"] == MANIFEST_NAME or (reason := unsafe_reason(entry["name"])):
            raise ArchiveError(
                MEMBER_UNSAFE.format(name=entry["name"], reason=reason or "manifest.json 자신")
            )
        members.append(Member(entry["name"], entry["size"], entry["sha256"]))
    names = [m.name for m in members]
    if len(set(names)) != len(names):
        raise invalid("members에 같은 이름이 두 번 있습니다")
    if DATABASE_MEMBERS[vendor] not in names:
        raise invalid("데이터베이스 항목이 members에 없습니다")
    return Manifest(
        created_at=created_at,
        vendor=vendor,
        migrations=frozenset((app, name) for app, name in listed),
        members=tuple(members),
    )


def hashed_copy(source: IO[bytes], target: IO[bytes] | None = None) -> tuple[int, str]:
    """Read ``source`` to its end (copying into ``target`` if given); return (size, SHA-256)."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return size, digest.hexdigest()


def check_member(member: Member, size: int, sha256: str) -> None:
    """Raise ``ArchiveError`` unless ``size`` and ``sha256`` are what the manifest promised."""
    if size != member.size:
        raise ArchiveError(
            MEMBER_SIZE_MISMATCH.format(name=member.name, actual=size, expected=member.size)
        )
    if sha256 != member.sha256:
        raise ArchiveError(MEMBER_CHECKSUM_MISMATCH.format(name=member.name))


class _Reading:
    """Turn the many ways a damaged tar or gzip stream fails into one ``ArchiveError``."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if isinstance(error, tarfile.TarError | EOFError | zlib.error | gzip.BadGzipFile):
            raise ArchiveError(ARCHIVE_UNREADABLE.format(detail=error)) from None
        return False


def _members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """Yield each member after checking its name and type (no links, folders or devices)."""
    seen: set[str] = set()
    for info in archive:
        if reason := unsafe_reason(info.name):
            raise ArchiveError(MEMBER_UNSAFE.format(name=info.name, reason=reason))
        if not info.isreg():
            raise ArchiveError(MEMBER_UNSAFE.format(name=info.name, reason="일반 파일이 아님"))
        if info.name in seen:
            raise ArchiveError(MEMBER_DUPLICATE.format(name=info.name))
        seen.add(info.name)
        yield info


def verify(path: str) -> Manifest:
    """Return the archive's manifest once every member checks out; else raise ``ArchiveError``.

    One pass over the archive: members are hashed as they stream by and compared with the
    manifest (which ``write`` puts last) at the end.
    """
    found: dict[str, tuple[int, str]] = {}
    manifest_data = None
    with _Reading(), tarfile.open(path, "r:*") as archive:
        for info in _members(archive):
            handle = archive.extractfile(info)
            if info.name == MANIFEST_NAME:
                if info.size > MAX_MANIFEST_BYTES:
                    raise ArchiveError(MANIFEST_TOO_LARGE.format(size=info.size))
                manifest_data = handle.read()
            else:
                found[info.name] = hashed_copy(handle)
        # Read to the very end: gzip checks its length and checksum only there, and a file cut
        # inside the tar's closing blocks still lists every member.
        while archive.fileobj.read(1 << 20):
            pass
    if manifest_data is None:
        raise ArchiveError(MANIFEST_MISSING)
    manifest = parse_manifest(manifest_data)
    listed = {m.name: m for m in manifest.members}
    if unlisted := set(found) - set(listed):
        raise ArchiveError(MEMBER_UNLISTED.format(names=_shown(unlisted)))
    if missing := set(listed) - set(found):
        raise ArchiveError(MEMBER_MISSING.format(names=_shown(missing)))
    for name, (size, sha256) in sorted(found.items()):
        check_member(listed[name], size, sha256)
    return manifest


def extract(path: str, manifest: Manifest, targets: dict[str, Path]) -> None:
    """Copy each member named in ``targets`` into a new file there, checking its digest again.

    The archive was verified, but it is a file others can touch between the two passes; a member
    that changed since raises ``ArchiveError`` and the caller throws its copies away.
    """
    listed = {m.name: m for m in manifest.members}
    with _Reading(), tarfile.open(path, "r:*") as archive:
        for info in _members(archive):
            if info.name in targets:
                target = targets[info.name]
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("xb") as sink:
                    size, sha256 = hashed_copy(archive.extractfile(info), sink)
                    sink.flush()
                    os.fsync(sink.fileno())
                check_member(listed[info.name], size, sha256)


class Writer:
    """Write members into a new tar file, recording size and SHA-256 for the manifest."""

    def __init__(self, handle: IO[bytes], *, compress: bool) -> None:
        # Level 6, gzip's own default; tarfile's 9 took 3.8× as long for 7% less (decision 0011).
        options = {"compresslevel": 6} if compress else {}
        self._tar = tarfile.open(fileobj=handle, mode="w:gz" if compress else "w", **options)
        self.members: list[Member] = []

    def add(self, name: str, source: IO[bytes], size: int, mtime: float = 0) -> None:
        """Add ``size`` bytes of ``source`` as ``name``; the digest is taken of what was written."""
        if reason := unsafe_reason(name):
            raise ArchiveError(MEMBER_UNSAFE.format(name=name, reason=reason))
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(mtime)
        info.mode = 0o600
        tee = _HashingReader(source)
        self._tar.addfile(info, tee)
        self.members.append(Member(name, size, tee.digest.hexdigest()))

    def finish(self, manifest: Manifest) -> None:
        """Append ``manifest.json`` last and close the tar stream."""
        data = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(datetime.fromisoformat(manifest.created_at).timestamp())
        self._tar.addfile(info, io.BytesIO(data))
        self._tar.close()


class _HashingReader:
    """A read-only file that hashes what tarfile pulls through it."""

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self.digest.update(chunk)
        return chunk
