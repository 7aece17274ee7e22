"""Check ``sinmun import`` / ``sinmun export`` (the import_ninjs and export_ninjs commands)."""

import io
import json
from importlib.metadata import entry_points

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sinmun import cli
from sinmun.newsroom import actors, services
from sinmun.newsroom.models import Article, Keyword, Reporter, Section
from sinmun.syndication import ninjs
from sinmun.syndication.management.commands import import_ninjs

URI = "urn:newsml:saenaru.example:20260312:0001"
OTHER_URI = "urn:newsml:saenaru.example:20260312:0002"


def item(uri=URI, **overrides):
    value = {
        "uri": uri,
        "headlines": [{"role": "main", "value": "한결전자, 평택에 반도체 새 공장 짓는다"}],
        "bodies": [{"contenttype": "text/html", "value": "<p>한결전자가 새 공장을 짓는다.</p>"}],
        "by": "김민준, 최유나",
        "subjects": [{"name": "경제", "rel": "section"}, {"name": "반도체", "rel": "keyword"}],
        "firstcreated": "2026-03-12T09:30:00+09:00",
    }
    value.update(overrides)
    return value


def counts():
    return (
        Article.objects.count(),
        Section.objects.count(),
        Reporter.objects.count(),
        Keyword.objects.count(),
    )


def run(name, *args):
    """Call a command; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_refused(name, *args):
    """Call a command that must fail; return (CommandError, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(name, *args, stdout=out, stderr=err)
    return excinfo.value, out.getvalue(), err.getvalue()


def write_json(path, value):
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return str(path)


# the sinmun entry point -------------------------------------------------------------------------


def test_sinmun_aliases_import_and_export():
    assert cli.ALIASES == {
        "import": "import_ninjs",
        "export": "export_ninjs",
        "export-articles": "export_articles",
        "photos-renditions": "photos_renditions",
        "api-client": "api_client",
    }


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/usr/bin/sinmun", "import", "a.json"], ["sinmun", "import_ninjs", "a.json"]),
        (["sinmun", "export", "--jsonl"], ["sinmun", "export_ninjs", "--jsonl"]),
        (["sinmun", "migrate", "--noinput"], ["sinmun", "migrate", "--noinput"]),
        (["sinmun", "check", "import"], ["sinmun", "check", "import"]),
    ],
)
def test_sinmun_passes_the_aliased_command_to_django(monkeypatch, argv, expected):
    calls = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda a: calls.append(list(a))
    )
    cli.main(list(argv))
    assert calls == [expected]


def test_the_sinmun_script_is_cli_main():
    [script] = entry_points(group="console_scripts", name="sinmun")
    assert script.value == "sinmun.cli:main"


# import_ninjs -----------------------------------------------------------------------------------


def test_import_prints_one_line_per_item(newsroom, tmp_path):
    path = write_json(tmp_path / "wire.json", [item(), item(OTHER_URI)])
    out, err = run("import_ninjs", path)
    first, second = Article.objects.get(uri=URI), Article.objects.get(uri=OTHER_URI)
    assert out == (
        f"{URI}\t/article/{first.public_id}/\n{OTHER_URI}\t/article/{second.public_id}/\n"
    )
    assert err == ""
    assert first.headline == "한결전자, 평택에 반도체 새 공장 짓는다"


def test_import_reads_json_lines_with_a_byte_order_mark(newsroom, tmp_path):
    path = tmp_path / "wire.jsonl"
    lines = "\n".join(json.dumps(i, ensure_ascii=False) for i in [item(), item(OTHER_URI)])
    path.write_bytes(b"\xef\xbb\xbf" + lines.encode("utf-8"))
    out, _ = run("import_ninjs", str(path))
    assert [line.split("\t")[0] for line in out.splitlines()] == [URI, OTHER_URI]
    assert Article.objects.filter(uri__in=[URI, OTHER_URI]).count() == 2


def test_import_reads_standard_input(newsroom, monkeypatch):
    data = json.dumps(item(), ensure_ascii=False).encode("utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    out, _ = run("import_ninjs", "-")
    article = Article.objects.get(uri=URI)
    assert out == f"{URI}\t/article/{article.public_id}/\n"


def test_reimport_prints_the_same_paths_and_adds_nothing(newsroom, tmp_path):
    path = write_json(tmp_path / "wire.json", [item(), item(OTHER_URI)])
    first, _ = run("import_ninjs", path)
    before = counts()
    second, _ = run("import_ninjs", path)
    assert second == first
    assert counts() == before


def test_a_bad_file_prints_every_problem_and_imports_nothing(newsroom, tmp_path):
    existing = newsroom.article(uri=URI, headline="옛 제목")
    path = write_json(
        tmp_path / "wire.json",
        [item(), item(OTHER_URI, language="en"), item("urn:x:3", pubstatus="deleted")],
    )
    before = counts()
    error, out, err = run_refused("import_ninjs", path)
    assert error.returncode == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert "2" in lines[0]
    assert OTHER_URI in lines[0]
    assert "language" in lines[0]
    assert ninjs.BAD_LANGUAGE in lines[0]
    assert "3" in lines[1]
    assert "pubstatus" in lines[1]
    assert ninjs.BAD_PUBSTATUS in lines[1]
    assert counts() == before
    assert Article.objects.get(uri=URI).headline == existing.headline == "옛 제목"


def test_a_hostile_body_is_reported_on_stderr(newsroom, tmp_path):
    bad = item(bodies=[{"contenttype": "text/html", "value": "<p>가</p><script>x()</script>"}])
    path = write_json(tmp_path / "wire.json", [bad])
    before = counts()
    _, _, err = run_refused("import_ninjs", path)
    assert ninjs.HOSTILE_HTML in err
    assert "bodies" in err
    assert counts() == before


def test_a_file_that_is_not_json_is_refused(newsroom, tmp_path):
    path = tmp_path / "wire.json"
    path.write_text("uri: a\n", encoding="utf-8")
    before = counts()
    _, _, err = run_refused("import_ninjs", str(path))
    assert ninjs.NOT_JSON in err
    assert counts() == before


def test_a_missing_file_is_refused(newsroom, tmp_path):
    before = counts()
    error, out, _ = run_refused("import_ninjs", str(tmp_path / "nowhere.json"))
    assert "nowhere.json" in str(error)
    assert out == ""
    assert counts() == before


def test_a_file_that_is_not_utf8_is_refused(newsroom, tmp_path):
    # EUC-KR, the legacy Korean encoding a wire feed might still send.
    path = tmp_path / "wire.json"
    path.write_bytes(json.dumps([item()], ensure_ascii=False).encode("euc-kr"))
    before = counts()
    _, out, _ = run_refused("import_ninjs", str(path))
    assert out == ""
    assert counts() == before
    # The same file in UTF-8 imports: the encoding was the only fault.
    path.write_bytes(json.dumps([item()], ensure_ascii=False).encode("utf-8"))
    run("import_ninjs", str(path))
    assert Article.objects.filter(uri=URI).exists()


def test_a_file_over_the_size_limit_is_refused(newsroom, tmp_path, monkeypatch):
    path = write_json(tmp_path / "wire.json", [item()])
    size = len((tmp_path / "wire.json").read_bytes())
    monkeypatch.setattr(import_ninjs, "MAX_FILE_BYTES", size - 1)
    before = counts()
    run_refused("import_ninjs", path)
    assert counts() == before
    monkeypatch.setattr(import_ninjs, "MAX_FILE_BYTES", size)
    run("import_ninjs", path)
    assert Article.objects.filter(uri=URI).exists()


# export_ninjs -----------------------------------------------------------------------------------


@pytest.fixture
def articles(newsroom):
    """Return the newsroom's articles: two published, one draft, one withdrawn."""
    published = [newsroom.article(minutes_ago=60), newsroom.article(minutes_ago=30)]
    draft = newsroom.article(publish=False)
    withdrawn = newsroom.article(minutes_ago=90)
    services.article_withdraw(article=withdrawn, by=actors.DEMO)
    return {"published": published, "draft": draft, "withdrawn": withdrawn}


def test_export_writes_a_json_array_to_output(articles, tmp_path):
    path = tmp_path / "out.json"
    out, _ = run("export_ninjs", "--output", str(path))
    assert out == ""
    items = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(items, list)
    assert sorted(i["uri"] for i in items) == sorted(Article.objects.values_list("uri", flat=True))
    assert len(items) == 4


def test_export_writes_json_lines(articles, tmp_path):
    path = tmp_path / "out.jsonl"
    run("export_ninjs", "--jsonl", "-o", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    items = [json.loads(line) for line in lines]
    assert all(isinstance(i, dict) for i in items)
    assert {i["pubstatus"] for i in items} == {"usable", "withheld", "canceled"}


def test_export_writes_to_standard_output_and_keeps_korean_readable(articles):
    out, _ = run("export_ninjs", "--published")
    items = json.loads(out)
    assert [i["uri"] for i in items] == [a.uri for a in articles["published"]]
    assert "한결전자" in out


def test_export_of_an_empty_site_is_an_empty_array(db, tmp_path):
    out, _ = run("export_ninjs")
    assert json.loads(out) == []
    path = tmp_path / "out.jsonl"
    run("export_ninjs", "--jsonl", "-o", str(path))
    assert path.read_text(encoding="utf-8") == ""


def test_export_to_an_unwritable_place_is_refused(articles, tmp_path):
    run_refused("export_ninjs", "-o", str(tmp_path / "no-such-folder" / "out.json"))


@pytest.mark.parametrize("jsonl", [False, True])
def test_exported_file_imports_back_onto_the_same_articles(articles, tmp_path, jsonl):
    path = tmp_path / "out"
    run("export_ninjs", "-o", str(path), *(["--jsonl"] if jsonl else []))
    before = counts()
    out, _ = run("import_ninjs", str(path))
    assert counts() == before
    expected = {(a.uri, f"/article/{a.public_id}/") for a in Article.objects.all()}
    assert {tuple(line.split("\t")) for line in out.splitlines()} == expected
