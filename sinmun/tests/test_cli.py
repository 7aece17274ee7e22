"""The installed ``sinmun`` command, run as a user runs it: a real process, a throw-away ./var.

These processes use their own SQLite file under a temporary SINMUN_VAR_DIR, never the pytest test
database, so no test here asks for the ``db`` fixture.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sinmun.syndication import ninjs
from sinmun.testcommand import SINMUN, run

URI = "urn:newsml:saenaru.example:20260312:0001"
OTHER_URI = "urn:newsml:saenaru.example:20260312:0002"
THIRD_URI = "urn:newsml:saenaru.example:20260312:0003"
PATH_LINE = re.compile(r"(?P<uri>[^\t]+)\t/article/(?P<id>[a-z0-9]+)/")


def item(uri: str, headline: str, body: str = "<p>한결전자가 새 공장을 짓는다.</p>") -> dict:
    return {
        "uri": uri,
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [{"contenttype": "text/html", "value": body}],
        "by": "김민준",
        "subjects": [{"name": "경제", "rel": "section"}, {"name": "반도체", "rel": "keyword"}],
        "firstcreated": "2026-03-12T09:30:00+09:00",
    }


def write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def first_migrate(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """Run ``sinmun migrate`` once per module in an empty var folder; return both."""
    var_dir = tmp_path_factory.mktemp("migrated")
    return var_dir, run(var_dir, "migrate", "--noinput")


@pytest.fixture(scope="module")
def migrated(first_migrate) -> Path:
    """Return a var folder holding a migrated SQLite database (built once per module)."""
    var_dir, result = first_migrate
    assert result.returncode == 0, result.stderr
    return var_dir


@pytest.fixture
def site(migrated, tmp_path) -> Path:
    """Return a fresh var folder with a copy of the migrated database."""
    for path in migrated.glob("sinmun.sqlite3*"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


@pytest.fixture
def wire(tmp_path) -> Path:
    return write_jsonl(
        tmp_path / "wire.jsonl",
        [item(URI, "한결전자, 평택에 반도체 새 공장"), item(OTHER_URI, "국회, 반도체 특별법 처리")],
    )


def exported_uris(var_dir: Path) -> list[str]:
    result = run(var_dir, "export")
    assert result.returncode == 0, result.stderr
    return sorted(i["uri"] for i in json.loads(result.stdout))


def test_the_entry_point_is_installed_next_to_python():
    assert SINMUN.is_file()
    assert os.access(SINMUN, os.X_OK)


def test_migrate_creates_the_database(first_migrate, site):
    var_dir, result = first_migrate  # the module's one migrate of an empty folder
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (var_dir / "sinmun.sqlite3").is_file()
    assert (var_dir / "secret_key").is_file()
    again = run(site, "migrate", "--noinput")  # a copy of that database
    assert again.returncode == 0, again.stderr
    assert "No migrations to apply." in again.stdout


def test_import_prints_one_path_per_item(site, wire):
    result = run(site, "import", str(wire))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    matches = [PATH_LINE.fullmatch(line) for line in lines]
    assert all(matches), lines
    assert [m["uri"] for m in matches] == [URI, OTHER_URI]
    assert matches[0]["id"] != matches[1]["id"]


def test_reimport_prints_the_same_paths_and_adds_no_duplicates(site, wire):
    first = run(site, "import", str(wire))
    assert first.returncode == 0, first.stderr
    second = run(site, "import", str(wire))
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert exported_uris(site) == [URI, OTHER_URI]


def test_export_jsonl_lines_parse_as_json(site, wire):
    run(site, "import", str(wire))
    result = run(site, "export", "--jsonl")
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(i["uri"] for i in items) == [URI, OTHER_URI]
    assert "한결전자, 평택에 반도체 새 공장" in result.stdout  # Korean stays readable


def test_a_bad_file_exits_non_zero_and_imports_nothing(site, wire, tmp_path):
    run(site, "import", str(wire))
    bad = write_jsonl(
        tmp_path / "bad.json",
        [
            item(THIRD_URI, "정상 항목"),
            item("urn:x:bad", "스크립트 항목", body="<p>가</p><script>alert(1)</script>"),
        ],
    )
    result = run(site, "import", str(bad))
    assert result.returncode != 0
    assert result.stdout == ""
    assert "항목 2 (urn:x:bad): bodies: " in result.stderr
    assert ninjs.HOSTILE_HTML in result.stderr
    assert "Traceback" not in result.stderr
    assert exported_uris(site) == [URI, OTHER_URI]


def test_a_missing_file_exits_non_zero_in_korean_without_a_traceback(site):
    result = run(site, "import", "missing.json")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "파일을 열 수 없습니다: missing.json" in result.stderr
    assert "Traceback" not in result.stderr
    assert exported_uris(site) == []


def test_demo_loads_once_and_prints_the_desk_login(site):
    result = run(site, "demo", "--no-photos")
    assert result.returncode == 0, result.stderr
    # The outlet it fills is not reported empty first (pages.W001).
    assert "법정 표시" not in result.stderr
    accounts = (site / "demo-accounts").read_text().splitlines()
    lines = result.stdout.splitlines()
    added = re.fullmatch(r"데모 편집국: 기사 (\d+)건 추가, 모두 (\d+)건", lines[0])
    assert added, lines[0]
    assert int(added[1]) == int(added[2]) >= 150
    assert lines[1] == "데스크 로그인: /desk/"
    assert [line.split()[0] for line in accounts] == ["reporter", "desk", "admin"]
    assert lines[2:5] == [
        f"  {role}  아이디 {name}  비밀번호 {password}"
        for role, (name, password) in zip(
            ("기자", "데스크", "관리자"), (a.split() for a in accounts), strict=True
        )
    ]

    again = run(site, "demo", "--no-photos")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == f"데모 편집국: 기사 0건 추가, 모두 {added[2]}건"
    assert (site / "demo-accounts").read_text().splitlines() == accounts


def test_help_lists_the_sinmun_commands(tmp_path):
    result = run(tmp_path, "help")
    assert result.returncode == 0, result.stderr
    listed = {line.strip() for line in result.stdout.splitlines()}
    assert {"import_ninjs", "export_ninjs", "demo", "serve"} <= listed
