"""The archive format's pure checks: member names, the manifest, and ``verify`` on small tars."""

import io
import json
import tarfile
from hashlib import sha256
from pathlib import Path

import pytest

from sinmun.backup import archive
from sinmun.backup.tests.conftest import opening

DATABASE = archive.DATABASE_MEMBERS["sqlite"]


def manifest(*members: tuple[str, bytes], vendor: str = "sqlite") -> archive.Manifest:
    return archive.Manifest(
        created_at="2026-12-06T03:00:00+00:00",
        vendor=vendor,
        migrations=frozenset({("newsroom", "0001_initial_content_model")}),
        members=tuple(
            archive.Member(name, len(data), sha256(data).hexdigest()) for name, data in members
        ),
    )


def write(path: Path, members: list[tuple[str, bytes]], *, compress: bool = False) -> Path:
    """Write ``members`` with ``archive.Writer`` and a manifest of what it wrote."""
    with path.open("wb") as handle:
        writer = archive.Writer(handle, compress=compress)
        for name, data in members:
            writer.add(name, io.BytesIO(data), len(data))
        writer.finish(manifest(*members))
    return path


@pytest.mark.parametrize(
    "name",
    [
        archive.MANIFEST_NAME,
        DATABASE,
        archive.DATABASE_MEMBERS["postgresql"],
        "media/photos/2026/12/공장.jpg",
        "media/reporters/kim..jpg",
    ],
)
def test_plain_names_are_safe(name):
    assert archive.unsafe_reason(name) is None


@pytest.mark.parametrize(
    "name",
    [
        "",
        "/etc/passwd",
        "C:/sinmun.sqlite3",
        "media/../../escaped",
        "../media/x.jpg",
        "media/./x.jpg",
        "media//x.jpg",
        "media/",
        "media",
        "media\\..\\x.jpg",
        "media/x\x00.jpg",
        "database/other.sqlite3",
        "secret_key",
    ],
)
def test_other_names_are_not(name):
    assert archive.unsafe_reason(name)


def test_manifest_round_trips_through_json():
    original = manifest((DATABASE, b"db"), ("media/a.jpg", b"jpg"))
    assert archive.parse_manifest(original.to_json()) == original


def _json(**changes) -> bytes:
    data = json.loads(manifest((DATABASE, b"db")).to_json())
    data.update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe",
        b"[]",
        _json(format="other"),
        _json(created_at="2026-12-06T03:00:00"),
        _json(created_at=20261206),
        _json(database={"vendor": "mysql", "member": DATABASE}),
        _json(database={"vendor": "sqlite", "member": "database/sinmun.pgdump"}),
        _json(schema={"migrations": [["newsroom"]]}),
        _json(schema={"migrations": "all"}),
        _json(members={}),
        _json(members=[{"name": DATABASE, "size": True, "sha256": "0" * 64}]),
        _json(members=[{"name": DATABASE, "size": -1, "sha256": "0" * 64}]),
        _json(members=[{"name": DATABASE, "size": 2, "sha256": "0" * 63}]),
        _json(members=[{"name": DATABASE, "size": 2, "sha256": "A" * 64}]),
        _json(members=[{"name": "media/a.jpg", "size": 2, "sha256": "0" * 64}]),
        _json(
            members=[
                {"name": DATABASE, "size": 2, "sha256": "0" * 64},
                {"name": DATABASE, "size": 2, "sha256": "0" * 64},
            ]
        ),
    ],
)
def test_a_malformed_manifest_is_refused(data):
    with pytest.raises(archive.ArchiveError) as refused:
        archive.parse_manifest(data)
    assert str(refused.value).startswith(opening(archive.MANIFEST_INVALID))


@pytest.mark.parametrize("name", [archive.MANIFEST_NAME, "media/../x", "/abs"])
def test_a_manifest_listing_an_unsafe_name_is_refused(name):
    data = _json(
        members=[
            {"name": DATABASE, "size": 2, "sha256": "0" * 64},
            {"name": name, "size": 2, "sha256": "0" * 64},
        ]
    )
    with pytest.raises(archive.ArchiveError) as refused:
        archive.parse_manifest(data)
    assert str(refused.value).startswith(opening(archive.MEMBER_UNSAFE))


def test_a_newer_format_says_so():
    with pytest.raises(archive.ArchiveError) as refused:
        archive.parse_manifest(_json(format_version=2))
    assert str(refused.value) == archive.FORMAT_UNSUPPORTED.format(version=2)


@pytest.mark.parametrize("compress", [False, True])
def test_verify_returns_the_manifest_of_a_good_archive(tmp_path, compress):
    members = [(DATABASE, b"sqlite bytes"), ("media/photos/a.jpg", b"\xff\xd8 jpeg")]
    path = write(tmp_path / "a.tar", members, compress=compress)
    assert archive.verify(str(path)) == manifest(*members)


def _tar_with(path: Path, info: tarfile.TarInfo, data: bytes = b"") -> Path:
    members = [(DATABASE, b"sqlite bytes")]
    write(path, members)
    with tarfile.open(path, "a") as tar:
        info.size = len(data) if info.isreg() else 0
        tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


@pytest.mark.parametrize(
    "kind", [tarfile.DIRTYPE, tarfile.LNKTYPE, tarfile.SYMTYPE, tarfile.FIFOTYPE, tarfile.CHRTYPE]
)
def test_members_that_are_not_regular_files_are_refused(tmp_path, kind):
    info = tarfile.TarInfo("media/photos/x.jpg")
    info.type = kind
    info.linkname = DATABASE
    path = _tar_with(tmp_path / "a.tar", info)
    with pytest.raises(archive.ArchiveError) as refused:
        archive.verify(str(path))
    assert str(refused.value).startswith(opening(archive.MEMBER_UNSAFE))


def test_a_member_twice_is_refused(tmp_path):
    path = _tar_with(tmp_path / "a.tar", tarfile.TarInfo(DATABASE), b"sqlite bytes")
    with pytest.raises(archive.ArchiveError) as refused:
        archive.verify(str(path))
    assert str(refused.value) == archive.MEMBER_DUPLICATE.format(name=DATABASE)


def test_a_file_that_is_not_a_tar_is_unreadable(tmp_path):
    path = tmp_path / "a.tar"
    path.write_bytes(b"PK\x03\x04 a zip, not a tar" * 50)
    with pytest.raises(archive.ArchiveError) as refused:
        archive.verify(str(path))
    assert str(refused.value).startswith(opening(archive.ARCHIVE_UNREADABLE))


def test_the_writer_refuses_an_unsafe_name(tmp_path):
    with (tmp_path / "a.tar").open("wb") as handle:
        writer = archive.Writer(handle, compress=False)
        with pytest.raises(archive.ArchiveError):
            writer.add("media/../x", io.BytesIO(b"x"), 1)


def test_the_manifest_records_what_was_written_when_a_file_grows(tmp_path):
    """A photo still being written is cut at the size read before: digest and bytes agree."""
    path = tmp_path / "a.tar"
    with path.open("wb") as handle:
        writer = archive.Writer(handle, compress=False)
        writer.add(DATABASE, io.BytesIO(b"db"), 2)
        writer.add("media/a.jpg", io.BytesIO(b"0123456789 and more"), 10)
        writer.finish(
            archive.Manifest(
                created_at="2026-12-06T03:00:00+00:00",
                vendor="sqlite",
                migrations=frozenset(),
                members=tuple(writer.members),
            )
        )
    checked = archive.verify(str(path))
    assert {m.name: m.size for m in checked.members} == {DATABASE: 2, "media/a.jpg": 10}
    assert checked.members[1].sha256 == sha256(b"0123456789").hexdigest()


def test_a_huge_manifest_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MANIFEST_BYTES", 100)
    path = write(tmp_path / "a.tar", [(DATABASE, b"sqlite bytes")])
    with pytest.raises(archive.ArchiveError) as refused:
        archive.verify(str(path))
    assert str(refused.value).startswith(opening(archive.MANIFEST_TOO_LARGE))
