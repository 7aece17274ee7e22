"""The query parser: hand-worked cases, and any text at all (hypothesis) on both databases.

Whatever a reader types — FTS syntax, control characters, a 10 KB paste, emoji — parsing never
fails, only letters, digits and marks reach the database, and the search itself never fails.
"""

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinmun.korean import analyzer
from sinmun.search import backends
from sinmun.search.query import MAX_QUERY_CHARS, clean, parse, pieces

TERM = re.compile(r"^[^\W_]+$")
SYNTAX = ['"', "*", "(", ")", ":", "^", "-", "NEAR", "AND", "OR", "NOT", " ", "'", "&", "|", "!"]
KOREAN = ["국회", "반도체", "삼성전자가", "은", "는", "이", "가", "빅테크", "AI", "CEO들", "3.5%"]

# Lone surrogates cannot arrive: Django decodes the query string as UTF-8 first.
any_char = st.characters(exclude_categories=["Cs"])
hostile_text = st.one_of(
    st.text(any_char),
    st.text(st.sampled_from("\x00\x01\x1b\x7f\x85\u2028\u200b\ufeff\t\n\r 😀👍🏽한글ＡＢＣ①ⅷ")),
    st.lists(st.sampled_from(SYNTAX + KOREAN), max_size=30).map("".join),
    st.lists(st.sampled_from(SYNTAX + KOREAN), max_size=30).map(" ".join),
    # Long pastes: hypothesis draws little data, so 10 KB comes from repetition.
    st.builds(
        lambda piece, n: piece * n,
        st.text(any_char, min_size=1, max_size=20),
        st.integers(500, 10_000),
    ),
)


def all_terms(query) -> list[list[str]]:
    return [*query.words, *query.phrases, *query.excluded]


# --- Hand-worked cases ----------------------------------------------------------------------


def test_empty_query_is_empty(db):
    query = parse("")
    assert query.is_empty
    assert (query.text, query.words, query.phrases, query.excluded) == ("", [], [], [])


def test_whitespace_only_query_is_empty(db):
    assert parse(" \t\n ").is_empty


def test_words_are_analysed_without_particles(db):
    query = parse("삼성전자가 만났다")
    assert query.words == [["만나"]]
    # The word as typed is only a second reading (a name may end in a particle's syllable).
    assert query.either == [[["삼성전자"], ["삼성전자가"]]]
    assert query.phrases == query.excluded == []


def test_a_word_written_as_a_compound_becomes_its_parts(db):
    # Queries analyse without compounds: each part must match, and the parts are prefixes;
    # the word as written is tried too (the text may have read it as one name).
    query = parse("AI반도체")
    assert query.words == []
    assert query.either == [[["ai", "반도체"], ["ai반도체"]]]


def test_a_query_is_analysed_as_running_text(db):
    # Alone, kiwipiepy reads 몬테로 as 몬테 + the particle 로; after a given name, as one name.
    assert analyzer.terms("몬테로", compounds=False) == ["몬테"]
    query = parse("하비에르 몬테로")
    assert query.words == [["하비에르"]]
    # Read as one noun ending in a particle's syllable, it is also tried without it.
    assert query.either == [[["몬테로"], ["몬테"]]]


def test_quotes_and_exclusions_keep_their_meaning_in_context(db):
    query = parse('"벤 홀트" -헬리오닉스 CEO')
    assert query.phrases == [["벤", "홀트"]]
    assert query.excluded == [["헬리오닉스"]]
    assert query.words == [["ceo"]]


def test_a_word_read_in_pieces_also_tries_its_written_form(db):
    # 해담은 alone reads 하 + 어 + 담 + 은 (two stems): perhaps a name, so the word as written
    # and without its particle are second readings, and the word as typed ranks first.
    query = parse("해담은")
    assert query.words == []
    assert query.either == [[["하", "담"], ["해담은"], ["해담"]]]
    assert query.as_typed == ["해담은"]


def test_an_excluded_name_excludes_its_written_form_too(db):
    # -해담은 alone reads 하 + 어 + 담 + 은: the reading and the word as written (with and
    # without its particle) are all excluded.
    assert parse("-해담은").excluded == [["하", "담"], ["해담은"], ["해담"]]
    # A word read as one noun is excluded as read: -경기도 must not exclude every 경기.
    assert parse("정부 -경기도").excluded == [["경기도"]]


def test_a_guessed_reading_is_not_highlighted(db):
    # 해담은's reading 하 + 담 would mark 하 and 담 inside other words of a snippet.
    assert set(parse("해담은").highlight) == {"해담은", "해담"}


def test_a_word_read_as_no_term_searches_its_written_form(db):
    # 쿡 alone is an adverb (MAG), which search never keeps.
    assert analyzer.terms("쿡") == []
    assert parse("쿡").words == [["쿡"]]


def test_a_verb_and_a_number_get_no_written_form(db):
    query = parse("만났다 35명")
    assert query.words == [["만나"], ["35"]]
    assert query.either == []


def test_quoted_words_become_a_phrase(db):
    query = parse('"반도체 협력" 정부')
    assert query.phrases == [["반도체", "협력"]]
    assert query.words == [["정부"]]


def test_quoted_single_word_is_just_a_word(db):
    assert parse('"반도체"').words == [["반도체"]]
    assert parse('"반도체"').phrases == []


def test_minus_word_and_minus_phrase_are_excluded(db):
    query = parse('반도체 -국회 -"수출 감소"')
    assert query.words == [["반도체"]]
    assert query.excluded == [["국회"], ["수출", "감소"]]


def test_minus_alone_is_empty(db):
    query = parse("-국회")
    assert query.is_empty
    assert query.excluded == [["국회"]]


def test_lone_minus_is_ignored(db):
    assert parse("- 반도체").words == [["반도체"]]


def test_only_particles_do_not_fail(db):
    query = parse("은는이가")
    # Whatever kiwipiepy makes of it, every term is a clean word.
    assert all(TERM.match(t) for terms in all_terms(query) for t in terms)


@pytest.mark.parametrize("raw", ['"반도체 협력', '반도체 "협력', '"', '""', '-"', '-""', '"""'])
def test_unbalanced_or_empty_quotes_do_not_fail(db, raw):
    query = parse(raw)
    assert all(terms and all(TERM.match(t) for t in terms) for terms in all_terms(query))


def test_unclosed_quote_runs_to_the_end(db):
    assert parse('"반도체 협력').phrases == [["반도체", "협력"]]


def test_fts_syntax_is_plain_text(db):
    query = parse('국회* AND (반도체 OR "x) NEAR(a b) ^정부 col:값')
    for terms in all_terms(query):
        assert all(TERM.match(t) for t in terms)
    assert ["국회"] in query.words


def test_decimal_number_is_searched_whole(db):
    # FTS5 splits 3.5 into 3 and 5; as two loose words they would match "5% … 3년", and as the
    # phrase "3 5" they walk every article with digits. The number is one token instead.
    assert pieces("3.5") == ["3", "5"]
    query = parse("3.5%")
    assert (query.words, query.phrases) == ([["3p5"]], [])
    assert parse("2,163명").words == [["2163"]]
    assert parse("-3.5").excluded == [["3p5"]]


def test_number_inside_a_quoted_phrase_keeps_its_pieces(db):
    # The index keeps a number's pieces in place (its whole token goes after the field), so a
    # phrase around a number is matched by the pieces.
    assert parse('"금리 3.5"').phrases == [["금리", "3", "5"]]
    assert parse('"3.5"').words == [["3p5"]]


def test_ten_kilobyte_query_is_cut_to_200_characters(db):
    raw = "반도체 " * 2500
    assert len(raw) == 10_000
    query = parse(raw)
    assert query.text == clean(raw)
    assert len(query.text) == MAX_QUERY_CHARS
    # 50 runs of "반도체 " are exactly 200 characters.
    assert query.text == ("반도체 " * 50)[:MAX_QUERY_CHARS]


def test_clean_removes_control_characters_and_collapses_space():
    assert clean("반도체\x00협력\x1b[31m\t 정부\x85") == "반도체 협력 [31m 정부"


def test_clean_normalises_full_width_text():
    assert clean("ＡＢＣ　반도체") == "ABC 반도체"


def test_clean_accepts_none():
    assert clean(None) == ""


# --- Any text -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
def test_clean_of_any_text_is_short_and_has_no_control_characters(raw):
    text = clean(raw)
    assert len(text) <= MAX_QUERY_CHARS
    assert not any(unicodedata.category(ch) == "Cc" for ch in text)


@pytest.fixture
def small_newsroom(newsroom, django_capture_on_commit_callbacks):
    """Three indexed articles, so that searches have something to match or not."""
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article(headline="국회, 반도체 특별법 논의", section=newsroom.assembly)
        newsroom.article(headline="AI반도체 수출 3.5% 증가", keywords=["AI"])
        newsroom.article(headline="CEO들 만났다", body="<p>“NEAR” 와 (괄호) * 별표</p>")
    return newsroom


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=hostile_text)
def test_parse_and_search_never_fail_on_any_text(small_newsroom, raw):
    query = parse(raw)
    assert len(query.text) <= MAX_QUERY_CHARS
    assert not any(unicodedata.category(ch) == "Cc" for ch in query.text)
    for terms in all_terms(query):
        assert terms, raw
        assert all(TERM.match(t) for t in terms), (raw, terms)
    for newest in (False, True):
        hits = backends.search(query, filters=backends.Filters(), newest=newest, limit=20, offset=0)
        assert hits.total >= len(hits.ids)
        assert len(set(hits.ids)) == len(hits.ids)
