"""Check excerpts against hand-worked examples and general properties."""

import re
import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinmun.korean.excerpts import LIMIT_TOO_SMALL, excerpt

SENTENCE = "대통령은 오늘 국회에서 시정연설을 했다."


def test_short_text_is_returned_unchanged():
    assert excerpt(SENTENCE) == SENTENCE


def test_text_exactly_at_limit_gets_no_ellipsis():
    assert excerpt("가나다라마바사아자차", 10) == "가나다라마바사아자차"
    assert excerpt("가나다라마바사아자차카", 10) == "가나다라마바사아자…"


def test_cut_falls_back_to_the_last_whole_word():
    # Window of 14 ends inside "시정연설을"; the last space in it follows "국회에서".
    assert excerpt(SENTENCE, 15) == "대통령은 오늘 국회에서…"


def test_word_ending_exactly_at_the_window_is_kept():
    # Window of 12 is "대통령은 오늘 국회에서" and the next character is a space.
    assert excerpt(SENTENCE, 13) == "대통령은 오늘 국회에서…"


def test_custom_ellipsis_counts_towards_limit():
    assert excerpt(SENTENCE, 15, ellipsis="...") == "대통령은 오늘 국회에서..."
    assert excerpt("가나다라마", 4, ellipsis="...") == "가..."


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("여야는 경제, 외교, 안보 문제를 논의했다.", 12, "여야는 경제, 외교…"),
        ("정치 · 경제 · 사회 · 문화 · 국제", 10, "정치 · 경제…"),
        ("발언 요지: “경제가 어렵다”는 것이다", 8, "발언 요지…"),
        ("첫 문장이다. 두 번째 문장이다.", 8, "첫 문장이다…"),
        ("가나다라마바사“아자차카타파하", 9, "가나다라마바사…"),
        ("가나다라마바사‘아자차카타파하", 9, "가나다라마바사…"),
        ("abcdefgh(ijklmnop", 10, "abcdefgh…"),
        ("abcdefgh[ijklmnop", 10, "abcdefgh…"),
    ],
)
def test_trailing_punctuation_is_dropped_before_the_ellipsis(text, limit, expected):
    assert excerpt(text, limit) == expected


def test_closing_punctuation_is_kept():
    assert excerpt("정말 그랬나? 아무도 모른다", 9) == "정말 그랬나?…"


def test_one_giant_word_is_cut_at_a_character():
    assert excerpt("가" * 200, 10) == "가" * 9 + "…"
    assert excerpt("https://example.com" + "a" * 200, 20) == "https://example.com…"


def test_giant_word_after_a_lone_symbol_is_cut_inside_the_word():
    # The only whole "word" that fits is the dash, which is stripped as punctuation,
    # so the URL itself gets cut rather than showing a bare ellipsis.
    assert excerpt("— https://example.com/a/b/c/d", 12) == "— https://e…"


def test_only_punctuation_gives_the_ellipsis_alone():
    assert excerpt("(" * 20, 5) == "…"


def test_whitespace_is_normalised():
    text = "  첫 줄\n\n둘째\u3000줄\u00a0끝\t\r\n "
    assert excerpt(text) == "첫 줄 둘째 줄 끝"


def test_whitespace_runs_count_as_one_character():
    assert excerpt("가" + " " * 200 + "나", 3) == "가 나"
    assert excerpt("가\u3000\u3000나\u00a0\u00a0다 라마바", 6) == "가 나 다…"


def test_decomposed_hangul_is_composed():
    nfd = "\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165"  # 한국어 as jamo
    assert excerpt(nfd) == "한국어"
    # Eight jamo plus a space plus six jamo are still only six syllables + space.
    nfd_two_words = nfd + " \u1109\u1175\u11ab\u1106\u116e\u11ab"  # 한국어 신문
    assert excerpt(nfd_two_words, 6) == "한국어 신문"


def test_archaic_syllable_is_not_split():
    # ᄀ + ᆞ (arae-a) has no precomposed form, so it stays two code points after NFC.
    assert excerpt("가나다라\u1100\u119e마바사아자차", 6) == "가나다라…"


def test_combining_mark_is_not_split_from_its_base():
    # q + U+0301 has no precomposed form either.
    assert excerpt("abcq\u0301defghijk", 5) == "abc…"
    # Even when the whole cluster fits, an excerpt does not end on a mark.
    assert excerpt("abcq\u0301defghijk", 6) == "abc…"


def test_word_ending_in_a_mark_is_dropped_whole():
    assert excerpt("가나 다q\u0301 라마바사아자", 7) == "가나…"


def test_flag_pairs_are_not_split():
    assert excerpt("🇰🇷🇰🇷🇰🇷🇰🇷", 4) == "🇰🇷…"


def test_compatibility_jamo_may_end_an_excerpt():
    assert excerpt("ㅋ" * 10, 5) == "ㅋㅋㅋㅋ…"


@pytest.mark.parametrize("limit", [1, 0, -5])
def test_limit_below_two_is_refused(limit):
    with pytest.raises(ValueError) as raised:
        excerpt("가나다", limit)
    assert str(raised.value) == LIMIT_TOO_SMALL


def test_limit_must_leave_room_beside_the_ellipsis():
    with pytest.raises(ValueError) as raised:
        excerpt("가나다라마", 3, ellipsis="...")
    assert str(raised.value) == LIMIT_TOO_SMALL


# --- properties -------------------------------------------------------------

HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
LATIN = st.sampled_from(string.ascii_letters)
SPACE = st.sampled_from([" ", "\n", "\t", "\u00a0", "\u3000"])
SPACES = st.text(SPACE, min_size=1, max_size=3)
PUNCTUATION = st.sampled_from(list(",.·:;“”‘’\"'()[]?!…-—/"))
COMBINING = st.characters(min_codepoint=0x0300, max_codepoint=0x036F)
CONJOINING_JAMO = st.characters(min_codepoint=0x1100, max_codepoint=0x11FF)
COMPATIBILITY_JAMO = st.characters(min_codepoint=0x3131, max_codepoint=0x318E)

MESSY_TEXT = st.text(
    alphabet=st.one_of(
        HANGUL, LATIN, SPACE, PUNCTUATION, COMBINING, CONJOINING_JAMO, COMPATIBILITY_JAMO
    ),
    max_size=200,
)
LIMITS = st.integers(min_value=2, max_value=60)


def normalised(text: str) -> str:
    # Independent of the implementation: str.split() with no argument splits on
    # every Unicode whitespace character and drops leading and trailing ones.
    return " ".join(unicodedata.normalize("NFC", text).split())


def ends_badly(char: str) -> bool:
    return unicodedata.category(char).startswith("M") or 0x1100 <= ord(char) <= 0x11FF


def continues_previous(char: str) -> bool:
    # Combining marks, and Hangul medial vowels / final consonants.
    return unicodedata.category(char).startswith("M") or 0x1160 <= ord(char) <= 0x11FF


@given(MESSY_TEXT, LIMITS)
def test_result_fits_the_limit(text, limit):
    assert len(excerpt(text, limit)) <= limit


@given(MESSY_TEXT, LIMITS)
def test_short_text_unchanged_long_text_is_a_prefix_plus_ellipsis(text, limit):
    normal = normalised(text)
    result = excerpt(text, limit)
    if len(normal) <= limit:
        assert result == normal
    else:
        assert result.endswith("…")
        assert normal.startswith(result[:-1])


@given(MESSY_TEXT, LIMITS)
def test_cut_never_dangles_or_splits_a_cluster(text, limit):
    normal = normalised(text)
    result = excerpt(text, limit)
    if len(normal) <= limit:
        return
    body = result[:-1]
    assert not body.endswith(" ")
    assert not result.endswith(" …")
    if body:
        assert not ends_badly(body[-1])
        assert not continues_previous(normal[len(body)])


LETTERS = st.one_of(HANGUL, LATIN)
WORD = st.builds(
    lambda before, core, after: before + core + after,
    st.text(PUNCTUATION, max_size=2),
    st.text(LETTERS, min_size=1, max_size=8),
    st.text(PUNCTUATION, max_size=2),
)
PROSE = st.lists(st.tuples(WORD, SPACES), min_size=1, max_size=40).map(
    lambda pairs: "".join(word + space for word, space in pairs)
)


@given(PROSE, LIMITS)
def test_cut_with_a_space_in_the_window_ends_at_a_word_end(prose, limit):
    normal = normalised(prose)
    result = excerpt(prose, limit)
    window = normal[: limit - 1]
    if len(normal) <= limit or " " not in window:
        return
    body = result[:-1]
    # A whole first word fits, and it contains letters, so something is kept.
    assert body
    # What follows the kept part up to the next space was only punctuation that got
    # stripped: no letter of a word was cut off.
    rest = normal[len(body) :]
    assert " " in rest
    gap = rest[: rest.index(" ")]
    assert not re.search(r"\w", gap)
    # And no further word would have fitted: the next word ends past the window.
    next_space = rest.find(" ", len(gap) + 1)
    next_word_end = len(normal) if next_space == -1 else len(body) + next_space
    assert next_word_end > limit - 1
