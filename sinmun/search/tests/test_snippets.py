"""Result snippets: the window around the first match, <mark>, escaping, whole words only.

Window arithmetic from ``sinmun/search/snippets.py``: with the first match at index ``f`` past
``WINDOW // 3`` (36), the window starts after the last space before ``f - WINDOW // 4``
(``f - 27``) and is then cut to ``WINDOW`` (110) characters at a word boundary.
"""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinmun.korean.excerpts import TRAILING_PUNCTUATION
from sinmun.search.snippets import WINDOW, snippet

BEFORE = [f"낱말{i:02d}" for i in range(30)]
AFTER = [f"뒷말{i:02d}" for i in range(30)]
# "낱말00 … 낱말29" is 30 × 4 characters and 29 spaces: 반도체 starts at index 150.
LONG = " ".join(BEFORE) + " 반도체 협력이 늘었다 " + " ".join(AFTER)


def plain(snippet_html: str) -> str:
    """Return the snippet's text as a reader sees it (marks removed, entities decoded)."""
    return html.unescape(re.sub(r"</?mark>", "", snippet_html))


def test_window_starts_before_the_first_match_and_is_cut_at_word_boundaries():
    assert LONG.index("반도체") == 150
    # 150 - 27 = 123: the last space before it is at 119 (after 낱말23), so the window starts
    # at 낱말24. From there 반도체 sits at 30; the 109 characters left before the ellipsis end
    # inside 뒷말13, so the cut falls after 뒷말12.
    expected = (
        "…"
        + " ".join(BEFORE[24:])
        + " <mark>반도체</mark> 협력이 늘었다 "
        + " ".join(AFTER[:13])
        + "…"
    )
    assert snippet(LONG, ["반도체"]) == expected


def test_match_near_the_start_shows_the_opening_without_a_leading_ellipsis():
    text = "정부가 반도체 지원을 늘린다. " + " ".join(AFTER)
    result = snippet(text, ["반도체"])
    assert result.startswith("정부가 <mark>반도체</mark> 지원을")
    assert result.endswith("…")


def test_no_match_shows_the_opening():
    assert snippet(LONG, ["배터리"]) == snippet(LONG, [])
    assert snippet(LONG, []).startswith("낱말00 낱말01")


def test_every_occurrence_in_the_window_is_marked_case_insensitively():
    result = snippet("AI 반도체와 ai 서버, 그리고 반도체 장비", ["ai", "반도체"])
    assert result == (
        "<mark>AI</mark> <mark>반도체</mark>와 <mark>ai</mark> 서버, "
        "그리고 <mark>반도체</mark> 장비"
    )


def test_longer_word_wins_over_its_prefix():
    # Sorted longest first: 삼성전자 is marked whole, not 삼성 + 전자.
    assert snippet("삼성전자가 밝혔다", ["삼성", "삼성전자"]) == "<mark>삼성전자</mark>가 밝혔다"


def test_text_is_html_escaped():
    result = snippet("<script>alert(1)</script> 반도체 & \"협력\" '확대'", ["반도체"])
    assert "<script>" not in result
    assert result == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>반도체</mark> "
        "&amp; &quot;협력&quot; &#x27;확대&#x27;"
    )


def test_a_marked_word_is_escaped_too():
    assert snippet("a<b 가격", ["a<b"]) == "<mark>a&lt;b</mark> 가격"


def test_blank_words_are_ignored():
    assert snippet("반도체 수출", ["", " "]) == "반도체 수출"


def test_snippet_is_marked_safe_for_templates():
    assert hasattr(snippet("반도체", ["반도체"]), "__html__")


@pytest.mark.parametrize("position", [0, 5, 20, 29])
def test_window_contains_the_first_match_wherever_it_is(position):
    words = [*BEFORE]
    words[position] = "반도체"
    text = " ".join(words)
    result = snippet(text, ["반도체"])
    assert "<mark>반도체</mark>" in result
    assert len(plain(result)) <= WINDOW + 1  # the leading ellipsis comes on top


@given(
    words=st.lists(
        st.text(
            st.sampled_from("가나다라마바사아자차카타파하ABC12<&>\"'"), min_size=1, max_size=12
        ),
        min_size=1,
        max_size=80,
    ),
    target=st.integers(min_value=0, max_value=79),
)
def test_snippet_never_cuts_a_word(words, target):
    index = target % len(words)
    words[index] = "반도체"
    text = " ".join(words)
    shown = plain(snippet(text, ["반도체"]))
    pieces = shown.removeprefix("…").removesuffix("…").split()
    whole = set(words)
    # Every word shown is a whole word of the text; only the last one, before the ellipsis,
    # may have lost trailing punctuation (excerpt drops "반도체,…" to "반도체…").
    *inner, last = pieces
    assert all(piece in whole for piece in inner), (pieces, text)
    cut_ends = {w.rstrip(TRAILING_PUNCTUATION + " ") for w in whole}
    assert last in whole or last in cut_ends, (last, text)
    assert "반도체" in pieces


def test_letter_that_lowercases_to_two_does_not_shift_the_mark():
    # "İ".lower() is two characters: offsets found in a lowercased copy drift by one each.
    text = "İİİİ " * 20 + "반도체 협력"
    result = snippet(text, ["반도체"])
    assert "<mark>반도체</mark> 협력" in result


@given(
    st.text(alphabet=st.sampled_from("가나다 반도체\n\u3000  ab."), min_size=0, max_size=2000),
    st.sampled_from(["반도체", "가나", "ab", ""]),
)
def test_window_is_the_same_as_from_the_whole_rest_of_the_text(text, word):
    # The snippet reads only the opening of the rest of the text; long whitespace runs must
    # not change the window or lose the ellipsis.
    from sinmun.korean.excerpts import excerpt
    from sinmun.search import snippets

    result = snippet(text, [word])
    pattern = snippets._pattern([word])
    # Where the window opens is tested by the worked examples above; here only the cut.
    start = snippets.window_start(text, pattern)
    expected = ("…" if start else "") + snippets._mark(excerpt(text[start:], WINDOW), pattern)
    assert result == expected


def test_long_whitespace_run_after_the_opening_keeps_the_ellipsis():
    text = "반도체 소식" + " " * 1000 + " ".join(["가나다"] * 100)
    result = snippet(text, ["반도체"])
    assert result.startswith("<mark>반도체</mark> 소식 가나다")
    assert result.endswith("…")
