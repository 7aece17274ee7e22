"""Hypothesis properties over the parsers that read what outsiders write (issue #15, part 3).

What the apps' own properties do not already cover: the ninjs file as *text* through
``sinmun import`` (malformed JSON, deep nesting, huge strings, lone surrogates written as
``\\ud800``, several items with one bad), the search selector with hostile text in *every*
filter, the KMA parser on mutated recordings, and the Korean text helpers against oracles
written independently of them. Each property is sized to run in a few seconds.
"""

import io
import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sinmun.korean import dates, excerpts, particles
from sinmun.newsroom.models import Article, ArticleRevision, Keyword, Reporter, Section, Series
from sinmun.search import selectors as search_selectors
from sinmun.search.models import SearchDocument
from sinmun.weather import kma_sfctm2
from sinmun.weather.readings import BadResponse

from .vectors import SEARCH_INPUTS, VECTORS

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
DB_FEW = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any code point, surrogates and controls included: what a JSON file or a URL can carry.
ANY_CHAR = st.characters(codec=None, categories=None)
HOSTILE_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.sampled_from([v.text for v in VECTORS] + SEARCH_INPUTS),
    st.text(st.sampled_from("가나다반도체\"'()*-:^ORANDNEAR<>/\\\x00%_ "), max_size=80),
)
KST = ZoneInfo("Asia/Seoul")


# ninjs files through the import command ----------------------------------------------------

GOOD = {
    "uri": "urn:fuzz:1",
    "type": "text",
    "pubstatus": "usable",
    "language": "ko",
    "headlines": [{"role": "main", "value": "퍼즈 시험 기사 제목"}],
    "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>본문 문단이다.</p>"}],
    "by": "김민준",
    "subjects": [{"name": "정치", "rel": "section", "uri": "sinmun:section:politics"}],
    "firstcreated": "2026-03-12T09:30:00+09:00",
}
JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(ANY_CHAR, max_size=30), st.just("가" * 5000),
)  # fmt: skip
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@st.composite
def ninjs_files(draw) -> str:
    """Return a file's text: good items with some fields replaced, written in any layout,
    sometimes broken by a cut, a stray character, deep nesting or an escaped lone surrogate."""
    items = []
    for n in range(draw(st.integers(1, 3))):
        item = {**GOOD, "uri": f"urn:fuzz:{n}"}
        for key in draw(st.sets(st.sampled_from([*GOOD, "embargoed", "associations"]), max_size=3)):
            item[key] = draw(JSON_VALUES)
        items.append(item)
    layout = draw(st.sampled_from(["array", "lines", "pretty", "one"]))
    if layout == "array":
        text = json.dumps(items, ensure_ascii=draw(st.booleans()))
    elif layout == "lines":
        text = "\n".join(json.dumps(i, ensure_ascii=False) for i in items)
    elif layout == "pretty":
        text = json.dumps(items, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(items[0], ensure_ascii=False)
    damage = draw(st.sampled_from(["none", "cut", "insert", "nest", "surrogate", "nul"]))
    if damage == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "insert":
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + draw(st.sampled_from([",", "}", "]", '"', "\\", "\x00", "[" * 50]))
            + text[at:]
        )
    elif damage == "nest":
        text = "[" * 5000 + text + "]" * 5000
    elif damage == "surrogate":
        text = text.replace("퍼즈", "\\ud800퍼즈")
    elif damage == "nul":
        text = text.replace("본문", "\\u0000본문")
    return text


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Article, ArticleRevision, Keyword, Reporter, Section, Series, SearchDocument)
    )


@DB_FEW
@given(text=ninjs_files())
@example(text="")
@example(text="[]")
@example(text='[{"uri": "a"},\n {"uri": "b",}]')
@example(text='"\\ud800"')
@example(text="[" * 100_000)
def test_any_ninjs_file_imports_whole_or_exits_1_having_written_nothing(newsroom, tmp_path, text):
    path = tmp_path / "fuzz.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    before = _counts()
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_ninjs", str(path), stdout=out, stderr=err)
    except CommandError as error:
        assert str(error)  # a reason, in Korean
        assert re.search(r"[가-힣]", str(error) + err.getvalue())
        assert _counts() == before
        assert out.getvalue() == ""
    else:
        printed = out.getvalue().splitlines()
        assert printed and all(re.fullmatch(r"\S+\t/article/\w+/", line) for line in printed)
        uris = {line.split("\t")[0] for line in printed}
        assert Article.objects.filter(uri__in=uris).count() == len(uris)


# Search with hostile text in every filter ----------------------------------------------------


@settings(DB_FEW, max_examples=8)
@given(
    text=HOSTILE_TEXT,
    section=HOSTILE_TEXT,
    reporter=HOSTILE_TEXT,
    since=HOSTILE_TEXT,
    until=HOSTILE_TEXT,
    sort=HOSTILE_TEXT,
    page=HOSTILE_TEXT,
)
@example(text="반도체\ud800", section="", reporter="", since="", until="", sort="", page="")
def test_search_with_any_text_in_any_filter_answers_and_writes_nothing(
    newsroom, text, section, reporter, since, until, sort, page
):
    before = _counts()
    outcome = search_selectors.search_articles(
        text=text, section=section, reporter=reporter, since=since, until=until, sort=sort,
        page=page,
    )  # fmt: skip
    assert outcome.page >= 1 and outcome.total >= 0
    assert all(re.search(r"[가-힣]", e) for e in outcome.errors)
    assert _counts() == before


# The KMA parser on mutated recordings ---------------------------------------------------------


def _recorded() -> list[bytes]:
    folder = Path(kma_sfctm2.__file__).parent
    files = [folder / "fixtures" / "snapshot_kma_sfctm2.txt"]
    files += sorted((folder / "tests" / "responses").glob("kma_sfctm2_*"))
    return [f.read_bytes() for f in files]


KMA_BODIES = _recorded()


@st.composite
def kma_bodies(draw) -> bytes:
    body = draw(st.sampled_from(KMA_BODIES))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["cut", "flip", "insert", "line"]))
        at = draw(st.integers(0, len(body)))
        if kind == "cut":
            body = body[:at]
        elif kind == "flip" and at < len(body):
            body = body[:at] + bytes([draw(st.integers(0, 255))]) + body[at + 1 :]
        elif kind == "insert":
            body = body[:at] + draw(st.binary(max_size=20)) + body[at:]
        else:
            lines = body.split(b"\n")
            index = draw(st.integers(0, max(len(lines) - 1, 0)))
            lines.insert(index, draw(st.sampled_from([b"#", b"-9 -99.0", b"\x00", b"a b c"])))
            body = b"\n".join(lines)
    return body


@FAST
@given(body=kma_bodies() | st.binary(max_size=300))
def test_the_kma_parser_answers_readings_or_bad_response_for_any_bytes(body):
    try:
        readings = kma_sfctm2.parse(body)
    except BadResponse as error:
        assert re.search(r"[가-힣]", str(error)), str(error)
    else:
        assert readings
        for reading in readings:
            assert reading.temperature is None or -90 < reading.temperature < 70


# Korean text helpers against independent oracles -------------------------------------------


def _has_final_consonant(syllable: str) -> bool:
    """The oracle: a syllable with a final consonant decomposes into three jamo."""
    return len(unicodedata.normalize("NFD", syllable)) == 3


@FAST
@given(word=st.text(ANY_CHAR, max_size=12), syllable=st.characters(min_codepoint=0xAC00,
       max_codepoint=0xD7A3))  # fmt: skip
def test_the_object_particle_of_any_word(word, syllable):
    assert particles.object_particle(word) in ("을", "를", "을(를)")
    assert particles.object_particle(word + syllable) == (
        "을" if _has_final_consonant(syllable) else "를"
    )


@FAST
@given(text=st.text(ANY_CHAR, max_size=400) | st.sampled_from([v.text for v in VECTORS]),
       limit=st.integers(3, 200))  # fmt: skip
def test_an_excerpt_of_any_text_fits_and_keeps_its_start(text, limit):
    cut = excerpts.excerpt(text, limit)
    assert len(cut) <= limit
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    if cut.endswith("…") and cut != normal:
        assert normal.startswith(cut[:-1].rstrip())
    else:
        assert cut == excerpts.excerpt(cut, limit)


@FAST
@given(
    moment=st.datetimes(
        min_value=datetime(1900, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(9998, 12, 30),  # noqa: DTZ001
        timezones=st.just(UTC),
    )
)
def test_the_date_strip_timestamp_and_relative_time_of_any_moment_are_in_seoul(moment):
    seoul = moment.astimezone(KST)
    day = f"{seoul.year:04d}.{seoul.month:02d}.{seoul.day:02d}"
    assert dates.date_strip(moment) == f"{day} ({'월화수목금토일'[seoul.weekday()]})"
    assert dates.timestamp(moment) == f"{day} {seoul.hour:02d}:{seoul.minute:02d}"
    assert dates.relative(moment, now=moment + timedelta(seconds=30)) == "방금 전"
    assert dates.relative(moment, now=moment + timedelta(minutes=5)) == "5분 전"


@pytest.mark.parametrize("vector", VECTORS, ids=str)
def test_the_analyzer_reads_every_vector_into_terms_without_spaces_or_controls(vector):
    from sinmun.korean import analyzer

    # Terms reach the database only as bound parameters; markup in them is harmless, but a
    # space or a control character would split or corrupt an index entry.
    terms = analyzer.terms(vector.text)
    assert terms
    assert all(t and not re.search(r"[\s\x00-\x1f]", t) for t in terms), terms
    assert "주석" in terms or not re.search("주석", vector.text)
