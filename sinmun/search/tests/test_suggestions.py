"""“Did you mean…?”: jamo decomposition, edit distance, and corrections drawn only from what
readers can see (headline words and keywords of published articles)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.newsroom import actors, services
from sinmun.search import indexing, suggestions
from sinmun.search.models import SuggestionWord
from sinmun.search.query import parse
from sinmun.search.suggestions import correct, distance, jamo, suggestion

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


def words() -> dict[str, int]:
    return dict(SuggestionWord.objects.values_list("word", "frequency"))


def test_words_of_headlines_and_keywords_are_counted_per_article(write):
    write("‘국회’, 예산안 통과…", keywords=["반도체"])
    write("국회 본회의 열려", keywords=["반도체", "국회"])
    counted = words()
    # Morphemes of the headline (punctuation and particles gone) and the keyword names, once
    # per article however often they appear in it; one-syllable and Latin words are left out.
    assert counted["국회"] == 2
    assert counted["반도체"] == 2
    assert counted["예산안"] == 1
    assert counted["본회의"] == 1
    assert "열" not in counted


def test_words_follow_headline_changes_and_withdrawal(write, django_capture_on_commit_callbacks):
    first = write("국회 예산안 통과")
    write("국회 본회의 소식")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=first, by=actors.DEMO, headline="국회 추경안 통과")
    counted = words()
    assert (counted["국회"], counted["추경안"]) == (2, 1)
    assert "예산안" not in counted
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(article=first, by=actors.DEMO)
    counted = words()
    assert counted["국회"] == 1
    assert "추경안" not in counted and "통과" not in counted


def test_rebuild_counts_what_the_indexer_counted(write):
    write("국회 예산안 통과", keywords=["반도체"])
    write("국회 본회의 소식", keywords=["국회"])
    kept = words()
    SuggestionWord.objects.all().delete()
    assert suggestions.rebuild() == len(kept)
    assert words() == kept


def test_rebuild_leaves_out_index_rows_of_unpublished_articles(write, newsroom):
    write("국회 본회의 소식")
    draft = newsroom.article(headline="추경안 초안", keywords=[], publish=False)
    indexing.SearchDocument.objects.create(
        article=draft,
        headline="추경안 초안",
        analyzer_version=indexing.ANALYZER_VERSION,
        indexed_at=timezone.now(),
    )
    suggestions.rebuild()
    assert "추경안" not in words()


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
        services.article_publish(
            article=article, by=actors.DEMO, at=timezone.now() + timedelta(hours=1)
        )
    assert suggestion(parse("누리호 발사 성굥")) is None


def test_embargoed_words_are_offered_once_its_time_has_come(
    newsroom, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = newsroom.article(headline="누리호 발사 성공", keywords=[], publish=False)
        services.article_publish(
            article=article, by=actors.DEMO, at=timezone.now() + timedelta(hours=1)
        )
    assert suggestion(parse("누리호 발사 성굥")) is None
    SuggestionWord.objects.update(visible_from=timezone.now() - timedelta(minutes=1))
    assert suggestion(parse("누리호 발사 성굥")) == "누리호 발사 성공"


def test_word_with_a_particle_is_corrected_in_its_stem(write):
    write("국회, 예산안 통과")
    assert suggestion(parse("국휘에서")) == "국회에서"
    assert suggestion(parse("국회에서")) is None


def test_lookup_reads_a_bounded_number_of_candidates(write, monkeypatch):
    for n in range(4):
        write(f"국회 소식 {n}", keywords=["국회의장"])
    write("국회 소식", keywords=["국회의원"])
    assert correct("국회의웜") == "국회의원"
    # Only the most frequent word of the 국… bucket is compared: 국회의장, too far off.
    monkeypatch.setattr(suggestions, "MAX_CANDIDATES", 1)
    assert correct("국회의웜") is None
