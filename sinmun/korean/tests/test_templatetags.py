"""Render the korean template filters through a standalone template engine."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Engine
from django.utils.safestring import mark_safe

from sinmun.korean.dates import NAIVE_DATETIME

KST = ZoneInfo("Asia/Seoul")

ENGINE = Engine(libraries={"korean": "sinmun.korean.templatetags.korean"})


def render(source: str, **context) -> str:
    return ENGINE.from_string("{% load korean %}" + source).render(Context(context))


def test_date_strip_filter():
    assert render("{{ d|date_strip }}", d=date(2025, 12, 31)) == "2025.12.31 (수)"
    moment = datetime(2025, 12, 31, 15, 30, tzinfo=UTC)
    assert render("{{ d|date_strip }}", d=moment) == "2026.01.01 (목)"


def test_weekday_filter():
    assert render("{{ d|weekday }}", d=date(2026, 1, 4)) == "일"


def test_timestamp_filter():
    moment = datetime(2025, 6, 13, 1, 2, tzinfo=UTC)
    assert render("{{ d|timestamp }}", d=moment) == "2025.06.13 10:02"


def test_relative_time_filter_uses_the_current_time():
    moment = datetime.now(UTC) - timedelta(minutes=5, seconds=10)
    assert render("{{ d|relative_time }}", d=moment) == "5분 전"
    long_ago = datetime(2024, 12, 25, 9, 0, tzinfo=KST)
    assert render("{{ d|relative_time }}", d=long_ago) == "2024.12.25"


@pytest.mark.parametrize("name", ["date_strip", "timestamp", "relative_time", "weekday", "excerpt"])
def test_filters_render_none_and_missing_values_as_blank(name):
    # Django hands filters "" for a variable that does not exist.
    assert render("[{{ value|" + name + " }}]", value=None) == "[]"
    assert render("[{{ missing|" + name + " }}]") == "[]"


def test_naive_datetime_still_raises():
    naive = datetime(2025, 6, 13, 10, 12)  # noqa: DTZ001 - naive on purpose
    with pytest.raises(ValueError) as raised:
        render("{{ d|timestamp }}", d=naive)
    assert str(raised.value) == NAIVE_DATETIME


def test_excerpt_filter_with_limit():
    text = "대통령은 오늘 국회에서 시정연설을 했다."
    assert render("{{ t|excerpt:13 }}", t=text) == "대통령은 오늘 국회에서…"
    assert render("{{ t|excerpt:'13' }}", t=text) == "대통령은 오늘 국회에서…"


def test_excerpt_filter_defaults_to_120_characters():
    # "가 가 … 가" is 199 characters; the 119-character window ends on "가" with a
    # space after it, so 60 syllables and 59 spaces are kept.
    assert render("{{ t|excerpt }}", t="가 " * 100) == "가 " * 59 + "가…"


def test_excerpt_output_is_autoescaped():
    assert render("{{ t|excerpt }}", t="<b>굵게</b>") == "&lt;b&gt;굵게&lt;/b&gt;"
    cut = render("{{ t|excerpt:12 }}", t="<b>대통령은</b> 오늘 국회에서")
    assert cut == "&lt;b&gt;대통령은&lt;/b&gt;…"


def test_excerpt_escapes_even_text_marked_safe():
    # A cut can split a tag or an entity, so safe input must not stay safe.
    safe = mark_safe("<b>굵게</b>")
    assert render("{{ t|excerpt }}", t=safe) == "&lt;b&gt;굵게&lt;/b&gt;"
