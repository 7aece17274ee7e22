"""The portal list: ``portal_rows`` and ``sinmun export-articles``."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sinmun.syndication import portal
from sinmun.syndication.management.commands import export_articles

from .articles import hidden_articles, hidden_marks


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_articles", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def today():
    return timezone.localdate()


def test_rows_in_byline_order_with_kst_times(newsroom, today):
    article = newsroom.article(
        headline="국회 소식", section=newsroom.assembly, reporters=[newsroom.lee, newsroom.kim]
    )
    (row,) = portal.portal_rows(start=today - timedelta(days=1), end=today)
    assert row.url == f"http://127.0.0.1:8000/article/{article.public_id}/"
    assert row.reporters == ("이서연", "김민준")
    assert row.section == "정치 › 국회"
    assert row.as_strings()[3].endswith("+09:00")
    assert row.published_at == article.first_published_at


def test_export_is_utf8_csv_with_bom_and_excludes_hidden(newsroom, today):
    newsroom.article(headline="첫 기사, 쉼표 포함", minutes_ago=30)
    hidden = hidden_articles(newsroom)
    text = export("--from", f"{today - timedelta(days=1)}", "--to", f"{today}", "--format", "csv")
    assert text.startswith(portal.BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(portal.BOM))))
    assert rows[0] == ["URL", "제목", "기자", "입력 시각", "섹션"]
    assert [r[1] for r in rows[1:]] == ["첫 기사, 쉼표 포함"]
    for mark in hidden_marks(hidden):
        assert mark not in text


def test_export_to_a_file(newsroom, today, tmp_path):
    # Published now, so it falls on today's KST date whatever the time of day (just after
    # midnight KST, "an hour ago" is yesterday).
    newsroom.article(minutes_ago=0)
    path = tmp_path / "list.csv"
    call_command(
        "export_articles", "--from", f"{today}", "--to", f"{today}", "-o", str(path),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert len(raw.decode("utf-8-sig").strip().splitlines()) == 2


def test_the_range_is_inclusive_kst_days(newsroom, today):
    newsroom.article(headline="오늘", minutes_ago=0)
    assert (
        list(portal.portal_rows(start=today + timedelta(days=1), end=today + timedelta(days=2)))
        == []
    )
    assert [r.headline for r in portal.portal_rows(start=today, end=today)] == ["오늘"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01", "--to", "2026-12-31"], "날짜 형식이 잘못되었습니다: 2026-13-01"),
        (["--from", "어제", "--to", "2026-12-31"], "날짜 형식이 잘못되었습니다: 어제"),
        (["--from", "2026-12-31", "--to", "2026-12-01"], "시작일(2026-12-31)이 종료일"),
    ],
)
def test_bad_dates_are_refused_in_korean(db, args, message):
    with pytest.raises(CommandError) as refused:
        export(*args)
    assert message in str(refused.value)
    assert export_articles.BAD_DATE.split(":")[0] in export_articles.BAD_DATE


def test_the_installed_command_exits_non_zero_on_a_bad_date(tmp_path):
    from sinmun import testcommand

    result = testcommand.run(tmp_path, "export-articles", "--from", "x", "--to", "2026-12-01")
    assert result.returncode != 0
    assert "날짜 형식이 잘못되었습니다: x" in result.stderr
    assert date(2026, 12, 1)  # the example date in the message is valid
