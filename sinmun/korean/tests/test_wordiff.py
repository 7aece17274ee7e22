"""Word diffs of Korean revisions: by 어절, per paragraph, escaped HTML, words removed/added."""

import itertools
import unicodedata

import pytest
from django.utils.safestring import SafeString
from hypothesis import given
from hypothesis import strategies as st

from sinmun.korean.wordiff import (
    PARAGRAPH_SIMILARITY,
    Op,
    ParagraphDiff,
    diff_paragraphs,
    diff_words,
    inline_html,
    side_by_side,
    summary,
    words,
)

LEAD = "시는 내년부터 마을버스 요금을 200원 올리기로 했다."
LEAD_EDITED = "시는 내후년부터 마을버스 요금을 200원 올리기로 했다."


def test_one_changed_word_shows_exactly_that_word():
    assert diff_words(LEAD, LEAD_EDITED) == [
        Op("equal", "시는"),
        Op("delete", "내년부터"),
        Op("insert", "내후년부터"),
        Op("equal", "마을버스 요금을 200원 올리기로 했다."),
    ]


def test_a_changed_particle_shows_as_the_whole_word_changed():
    old = "정부가 노선 개편안을 발표했다."
    new = "정부는 노선 개편안을 발표했다."
    assert diff_words(old, new) == [
        Op("delete", "정부가"),
        Op("insert", "정부는"),
        Op("equal", "노선 개편안을 발표했다."),
    ]


def test_punctuation_stays_attached_to_its_word():
    assert diff_words("요금을 올린다.", "요금을 올린다?") == [
        Op("equal", "요금을"),
        Op("delete", "올린다."),
        Op("insert", "올린다?"),
    ]


def test_identical_texts_give_one_equal_run():
    assert diff_words(LEAD, LEAD) == [Op("equal", LEAD)]


def test_whitespace_differences_are_not_changes():
    spaced = "  " + LEAD.replace(" ", "\n", 1).replace(" ", "\u00a0 \u3000", 1) + " "
    assert diff_words(LEAD, spaced) == [Op("equal", LEAD)]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", []),
        ("", LEAD, [Op("insert", LEAD)]),
        (LEAD, "", [Op("delete", LEAD)]),
        ("  \n ", LEAD, [Op("insert", LEAD)]),
    ],
)
def test_empty_old_or_new(old, new, expected):
    assert diff_words(old, new) == expected


def test_decomposed_hangul_equals_composed():
    decomposed = unicodedata.normalize("NFD", LEAD)
    assert decomposed != LEAD
    assert diff_words(decomposed, LEAD) == [Op("equal", LEAD)]


def test_adjacent_changed_words_are_one_deletion_then_one_insertion():
    old = "시의회는 오늘 조례안을 부결했다."
    new = "시의회는 어제 본회의에서 조례안을 가결했다."
    assert diff_words(old, new) == [
        Op("equal", "시의회는"),
        Op("delete", "오늘"),
        Op("insert", "어제 본회의에서"),
        Op("equal", "조례안을"),
        Op("delete", "부결했다."),
        Op("insert", "가결했다."),
    ]


def test_a_stray_shared_word_inside_a_rewrite_is_not_kept_as_a_match():
    # "원인을" is the only word the two clauses share; kept, it would stripe the rewrite.
    old = "경찰은 사고 원인을 조사하고 있다고 밝혔다."
    new = "소방당국은 화재 원인을 전기 합선으로 보고 있다고 밝혔다."
    assert diff_words(old, new) == [
        Op("delete", "경찰은 사고 원인을 조사하고"),
        Op("insert", "소방당국은 화재 원인을 전기 합선으로 보고"),
        Op("equal", "있다고 밝혔다."),
    ]


def test_a_shared_word_between_single_word_changes_is_kept():
    assert diff_words("오전 9시 개장", "오후 9시 폐장") == [
        Op("delete", "오전"),
        Op("insert", "오후"),
        Op("equal", "9시"),
        Op("delete", "개장"),
        Op("insert", "폐장"),
    ]


def test_a_common_word_in_a_long_text_still_matches():
    # With difflib's autojunk, "있다." (over 1% of 200+ words) would never match.
    old = " ".join(["변화가 있다."] * 150)
    new = old.replace("변화가", "변동이", 1)
    ops = diff_words(old, new)
    assert summary(ops) == (1, 1)


def test_summary_counts_words_removed_and_added():
    old = "시의회는 오늘 조례안을 부결했다."
    new = "시의회는 어제 본회의에서 조례안을 가결했다."
    assert summary(diff_words(old, new)) == (2, 3)
    assert summary(diff_words(LEAD, LEAD)) == (0, 0)


def test_inline_html_marks_deletions_and_insertions():
    html = inline_html(diff_words(LEAD, LEAD_EDITED))
    assert isinstance(html, SafeString)
    assert html == (
        "시는 <del>내년부터</del> <ins>내후년부터</ins> 마을버스 요금을 200원 올리기로 했다."
    )


def test_side_by_side_marks_deletions_left_and_insertions_right():
    left, right = side_by_side(diff_words(LEAD, LEAD_EDITED))
    assert left == "시는 <del>내년부터</del> 마을버스 요금을 200원 올리기로 했다."
    assert right == "시는 <ins>내후년부터</ins> 마을버스 요금을 200원 올리기로 했다."


def test_html_output_escapes_hostile_text():
    old = '주민들은 "요금 인상 반대"를 외쳤다.'
    new = '주민들은 <script>alert("x")</script> & "요금 인상 반대"를 외쳤다.'
    ops = diff_words(old, new)
    rendered = [inline_html(ops), *side_by_side(ops)]
    for html in rendered:
        assert "<script>" not in html
        assert '"' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in rendered[0]
    assert "<ins>&lt;script&gt;" in rendered[2]


BODY = [
    "시는 내년부터 마을버스 요금을 200원 올리기로 했다.",
    "시 관계자는 연료비와 인건비가 크게 올라 불가피하다고 설명했다.",
    "시민단체는 서민 부담이 커진다며 반대 의견을 냈다.",
]


def test_equal_bodies_give_equal_paragraphs():
    assert [p.kind for p in diff_paragraphs(BODY, list(BODY))] == ["equal", "equal", "equal"]


def test_a_body_edit_shows_in_its_own_paragraph():
    new = [BODY[0], BODY[1].replace("크게", "많이"), BODY[2]]
    result = diff_paragraphs(BODY, new)
    assert [p.kind for p in result] == ["equal", "changed", "equal"]
    changed = result[1]
    assert (changed.old, changed.new) == (BODY[1], new[1])
    assert changed.ops == (
        Op("equal", "시 관계자는 연료비와 인건비가"),
        Op("delete", "크게"),
        Op("insert", "많이"),
        Op("equal", "올라 불가피하다고 설명했다."),
    )


def test_an_added_paragraph():
    added = "요금 인상안은 다음 달 시의회에서 심의한다."
    result = diff_paragraphs(BODY, [BODY[0], BODY[1], added, BODY[2]])
    assert [p.kind for p in result] == ["equal", "equal", "added", "equal"]
    assert result[2] == ParagraphDiff("added", "", added, (Op("insert", added),))


def test_a_removed_paragraph():
    result = diff_paragraphs(BODY, [BODY[0], BODY[2]])
    assert [p.kind for p in result] == ["equal", "removed", "equal"]
    assert result[1] == ParagraphDiff("removed", BODY[1], "", (Op("delete", BODY[1]),))


def test_a_moved_paragraph_is_removed_where_it_was_and_added_where_it_is():
    result = diff_paragraphs(BODY, [BODY[1], BODY[2], BODY[0]])
    assert [(p.kind, p.old or p.new) for p in result] == [
        ("removed", BODY[0]),
        ("equal", BODY[1]),
        ("equal", BODY[2]),
        ("added", BODY[0]),
    ]


def test_a_rewritten_paragraph_is_removed_and_added_not_word_diffed():
    rewritten = "버스 업계는 적자 노선을 줄이겠다고 밝혔다."
    result = diff_paragraphs(BODY, [BODY[0], rewritten, BODY[2]])
    assert [p.kind for p in result] == ["equal", "removed", "added", "equal"]


def test_the_similarity_threshold_is_inclusive():
    # Two of four 어절 shared: ratio 2 × 2 / 8 = 0.5.
    assert PARAGRAPH_SIMILARITY == 0.5
    result = diff_paragraphs(["정부가 예산을 늘린다 했다."], ["정부는 예산을 줄인다 했다."])
    assert [p.kind for p in result] == ["changed"]
    result = diff_paragraphs(["정부가 예산을 늘린다 했다."], ["정부는 세금을 줄인다 했다."])
    assert [p.kind for p in result] == ["removed", "added"]


def test_changed_paragraphs_pair_with_their_own_counterparts():
    old = [BODY[1], BODY[2]]
    new = [
        "새로 쓴 첫 문단이다.",
        BODY[1].replace("크게", "많이"),
        BODY[2].replace("서민", "시민"),
    ]
    result = diff_paragraphs(old, new)
    assert [p.kind for p in result] == ["added", "changed", "changed"]
    assert [p.old for p in result[1:]] == old


def test_blank_paragraphs_are_not_edits():
    result = diff_paragraphs(["", BODY[0], " \n "], [BODY[0], ""])
    assert [p.kind for p in result] == ["equal"]


def test_empty_bodies():
    assert diff_paragraphs([], []) == []
    assert [p.kind for p in diff_paragraphs([], BODY)] == ["added"] * 3
    assert [p.kind for p in diff_paragraphs(BODY, [])] == ["removed"] * 3


# A small vocabulary makes equal words likely, so the property meets real matches.
VOCABULARY = ["정부가", "정부는", "예산을", "늘린다.", "<b>", "&", "있다.", "가", "\u1100\u1161"]
texts = st.lists(st.sampled_from(VOCABULARY), max_size=30).map(" ".join)


@given(old=texts, new=texts)
def test_the_diff_rebuilds_both_texts(old, new):
    ops = diff_words(old, new)
    assert [w for op in ops if op.kind != "insert" for w in op.text.split()] == words(old)
    assert [w for op in ops if op.kind != "delete" for w in op.text.split()] == words(new)
    # Merged: never two runs of one kind in a row, and a deletion always before its insertion.
    kinds = [op.kind for op in ops]
    assert all(a != b for a, b in itertools.pairwise(kinds))
    assert ("insert", "delete") not in itertools.pairwise(kinds)
    assert all(op.text for op in ops)


@given(old=st.lists(texts, max_size=6), new=st.lists(texts, max_size=6))
def test_paragraph_diffs_rebuild_both_bodies(old, new):
    result = diff_paragraphs(old, new)
    assert [p.old for p in result if p.kind != "added"] == [
        " ".join(words(p)) for p in old if words(p)
    ]
    assert [p.new for p in result if p.kind != "removed"] == [
        " ".join(words(p)) for p in new if words(p)
    ]
    for paragraph in result:
        ops = paragraph.ops
        assert " ".join(op.text for op in ops if op.kind != "insert") == paragraph.old
        assert " ".join(op.text for op in ops if op.kind != "delete") == paragraph.new
