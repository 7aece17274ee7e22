"""A small committed newsroom to back up, empty targets to restore into, and archive surgery.

Backups read the database through a connection of their own (SQLite) or through ``pg_dump``, so
the data must be committed: these tests run as ``transaction=True`` with serialized rollback,
which puts the migrations' rows back for the tests that come after.
"""

import io
import json
import sqlite3
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from PIL import Image

from sinmun.backup import archive
from sinmun.newsroom import actors, services

SQLITE_ENGINE = "django.db.backends.sqlite3"


def photo(name: str, colour: tuple[int, int, int], kind: str = "JPEG") -> ContentFile:
    """Return a small image drawn with Pillow."""
    out = io.BytesIO()
    Image.new("RGB", (64, 36), colour).save(out, kind)
    return ContentFile(out.getvalue(), name=name)


@pytest.fixture
def site(newsroom, settings, tmp_path):
    """Return the newsroom with articles, photos, revisions, reporters and keywords, committed."""
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    first = newsroom.article(
        headline="한결전자, 평택에 반도체 새 공장 짓는다",
        reporters=[newsroom.kim, newsroom.lee],
        keywords=["반도체", "한결전자", "평택"],
        lead_photo=photo("공장.jpg", (40, 90, 160)),
        lead_photo_caption="평택 공장 조감도",
        lead_photo_credit="한결전자 제공",
    )
    services.article_update(article=first, by=actors.DEMO, headline="한결전자, 평택 새 공장 착공")
    newsroom.article(
        headline="국회, 예산안 처리 시한 넘겨",
        section=newsroom.assembly,
        series=newsroom.column,
        reporters=[newsroom.park],
        keywords=["국회", "예산안"],
        lead_photo=photo("국회.png", (200, 60, 30), "PNG"),
        minutes_ago=30,
    )
    withdrawn = newsroom.article(headline="철회된 기사", keywords=["정정"])
    services.article_withdraw(article=withdrawn, by=actors.DEMO)
    newsroom.article(headline="아직 쓰는 중인 기사", publish=False)
    return newsroom


@dataclass
class Target:
    """An empty place to restore into: a database settings dict and a media folder."""

    database: dict[str, Any]
    media_root: Path
    folder: Path

    @property
    def vendor(self) -> str:
        return "sqlite" if self.database["ENGINE"] == SQLITE_ENGINE else "postgresql"

    def snapshot(self) -> dict[str, object]:
        """Return every file under the target folder (with its bytes) and the database's tables."""
        files = {
            str(p.relative_to(self.folder)): p.read_bytes() if p.is_file() else None
            for p in sorted(self.folder.rglob("*"))
        }
        tables = None if self.vendor == "sqlite" else pg_tables(self.database)
        return {"files": files, "tables": tables}


def source_database() -> dict[str, Any]:
    """Return the settings dict of the test database (in memory on SQLite, a file never)."""
    return dict(connection.settings_dict)


def pg_connect(database: dict[str, Any], **options: Any) -> psycopg.Connection:
    params = {k.lower(): database[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if database[k]}
    return psycopg.connect(**{"dbname": database["NAME"], **params, **options})


def pg_admin(database: dict[str, Any]) -> psycopg.Connection:
    return pg_connect(database, dbname="postgres", autocommit=True)


def pg_tables(database: dict[str, Any]) -> list[str]:
    with pg_connect(database) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        ).fetchall()
    return [row[0] for row in rows]


@pytest.fixture
def target(tmp_path) -> Iterator[Target]:
    """Return an empty target of the test database's vendor (a new PostgreSQL database, dropped
    afterwards; or a SQLite file that does not exist yet) with a media folder that does not."""
    folder = tmp_path / "restored"
    folder.mkdir()
    source = source_database()
    if source["ENGINE"] == SQLITE_ENGINE:
        database = {"ENGINE": SQLITE_ENGINE, "NAME": str(folder / "sinmun.sqlite3")}
        yield Target(database=database, media_root=folder / "media", folder=folder)
        return
    name = f"{source['NAME']}_restore"
    with pg_admin(source) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Target(database={**source, "NAME": name}, media_root=folder / "media", folder=folder)
    finally:
        with pg_admin(source) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_rows(database: dict[str, Any], table: str) -> list[tuple]:
    """Return every row of ``table`` as the database driver gives it, in a stable order."""
    if database["ENGINE"] == SQLITE_ENGINE:
        name = str(database["NAME"])
        conn = sqlite3.connect(name, uri=name.startswith("file:"))
        try:
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608 - test's own names
        finally:
            conn.close()
    else:
        with pg_connect(database) as conn:
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608 - test's own names
    return sorted(rows, key=repr)


def read_members(path: Path) -> dict[str, bytes]:
    """Return the archive's members in order, name to bytes."""
    with tarfile.open(path, "r:*") as tar:
        return {info.name: tar.extractfile(info).read() for info in tar}


def write_members(path: Path, members: dict[str, bytes]) -> Path:
    """Write ``members`` as a plain tar in the given order; return ``path``."""
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def change_manifest(members: dict[str, bytes], change: Callable[[dict], None]) -> dict[str, bytes]:
    """Return ``members`` with ``change`` applied to the parsed manifest (still last)."""
    manifest = json.loads(members[archive.MANIFEST_NAME])
    change(manifest)
    others = {k: v for k, v in members.items() if k != archive.MANIFEST_NAME}
    return {**others, archive.MANIFEST_NAME: json.dumps(manifest).encode()}


def reseal(members: dict[str, bytes]) -> dict[str, bytes]:
    """Return ``members`` with a manifest listing exactly them, with true sizes and digests."""

    def relist(manifest: dict) -> None:
        manifest["members"] = [
            {"name": name, "size": len(data), "sha256": sha256(data).hexdigest()}
            for name, data in members.items()
            if name != archive.MANIFEST_NAME
        ]

    return change_manifest(members, relist)


def opening(message: str) -> str:
    """Return a message constant's fixed text before its first placeholder."""
    return message.split("{")[0]
