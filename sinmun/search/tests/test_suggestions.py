"""“Did you mean…?”: jamo decomposition, edit distance, and corrections drawn only from what
readers can see (headline words and keywords of published articles)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.newsroom import services
from sinmun.search import suggestions
from sinmun.search.query import parse
from sinmun.search.suggestions import correct, distance, jamo, suggestion, vocabulary

# --- Jamo and distance ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("한글", "ㅎㅏㄴㄱㅡㄹ"),
        ("가", "ㄱㅏ"),  # no final consonant
        ("힣", "ㅎㅣㅎ"),  # the last syllable
        ("국회", "ㄱㅜㄱㅎㅚ"),
        ("닭", "ㄷㅏㄺ"),  # a double final stays one jamo
        ("AI반도체", "AIㅂㅏㄴㄷㅗㅊㅔ"),
        ("ㄱ1!", "ㄱ1!"),  # compatibility jamo, digits and punctuation pass through
    ],
)
def test_jamo(text, expected):
    assert jamo(text) == expected


def test_typo_is_one_jamo_off_but_a_whole_syllable_off():
    assert distance(jamo("국휘"), jamo("국회"), 3) == 1
    assert distance("국휘", "국회", 3) == 1
    assert distance(jamo("국회"), jamo("국"), 3) == 2  # ㅎ and ㅚ dropped


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("kitten", "sitting", 3), ("", "abc", 3), ("abc", "abc", 0), ("abc", "acb", 2)],
)
def test_distance(a, b, expected):
    assert distance(a, b, 5) == expected


def test_distance_stops_past_the_limit():
    assert distance("kitten", "sitting", 1) == 2
    assert distance("a", "abcd", 1) == 2  # length difference alone is over the limit


# --- Vocabulary and corrections -------------------------------------------------------------


@pytest.fixture
def write(newsroom, django_capture_on_commit_callbacks):
    def make(headline: str, **fields):
        fields.setdefault("keywords", [])
        with django_capture_on_commit_callbacks(execute=True):
            return newsroom.article(headline=headline, **fields)

    return make


def test_vocabulary_holds_headline_words_and_keywords(write):
    write("‘국회’, 예산안 통과…", keywords=["반도체"])
    words = vocabulary()
    # Quotes and punctuation stripped; keywords weigh 3.
    assert words["국회"] == 1
    assert words["예산안"] == 1
    assert words["통과"] == 1
    assert words["반도체"] == 3


def test_typo_one_jamo_off_is_corrected(write):
    write("국회, 예산안 통과")
    assert correct("국휘") == "국회"
    assert suggestion(parse("국휘")) == "국회"


def test_keyword_is_a_candidate(write):
    write("예산안 통과", keywords=["반도체"])
    assert suggestion(parse("반도채")) == "반도체"


def test_known_word_gets_no_suggestion(write):
    write("국회, 예산안 통과")
    assert suggestion(parse("국회")) is None
    assert suggestion(parse("국회 예산안")) is None


def test_word_too_far_off_gets_no_suggestion(write):
    write("국회, 예산안 통과")
    assert suggestion(parse("국민")) is None


def test_closest_then_most_frequent_wins(write):
    write("국회 소식")
    write("국화 전시")
    write("국화 축제")
    # 국햐 (ㄱㅜㄱㅎㅑ) is one vowel from both 국화 (ㅘ) and 국회 (ㅚ).
    assert distance(jamo("국햐"), jamo("국화"), 2) == 1
    assert distance(jamo("국햐"), jamo("국회"), 2) == 1
    assert correct("국햐") == "국화"  # both one off; 국화 is in two headlines


@pytest.mark.parametrize("query", ["Samsnug", "AND", "NEAR", "OR", "NOT", "12345", "*"])
def test_latin_numbers_and_operators_are_never_corrected(write, query):
    write("Samsung AND NEAR OR NOT 12346 국회")
    assert suggestion(parse(query)) is None


def test_quotes_and_minus_are_kept_in_the_suggestion(write):
    write("국회, 예산안 통과")
    assert suggestion(parse('"국휘 예산안" -국휘')) == '"국회 예산안" -국회'


def test_only_the_unknown_words_change(write):
    write("국회, 예산안 통과")
    assert suggestion(parse("예산안 국휘 Samsnug")) == "예산안 국회 Samsnug"


def test_draft_headline_is_not_a_candidate(write):
    write("국회 소식", publish=False)
    assert suggestion(parse("국휘")) is None


def test_keyword_used_only_by_a_draft_is_not_a_candidate(write):
    # Suggesting it would reveal a word of an unpublished article.
    write("예산안 통과", keywords=["반도체"], publish=False)
    write("국회 소식")
    assert suggestion(parse("반도채")) is None


def test_embargoed_headline_is_not_a_candidate(newsroom, django_capture_on_commit_callbacks):
    # Its 입력 time is still ahead: suggesting its words would break the embargo.
    with django_capture_on_commit_callbacks(execute=True):
        article = newsroom.article(headline="누리호 발사 성공", keywords=[], publish=False)
        services.article_publish(article=article, by=None, at=timezone.now() + timedelta(hours=1))
    assert suggestion(parse("누리호 발사 성굥")) is None


def test_vocabulary_is_cached(write, django_assert_num_queries):
    write("국회 소식")
    vocabulary()
    with django_assert_num_queries(0):
        assert "국회" in vocabulary()
    assert suggestions.VOCABULARY_SECONDS > 0
