"""The morphemes search indexes and queries by: what is kept, how compounds and particles come
out, normalisation and the user dictionary. Expected terms are worked out by hand from the rules
in ``sinmun/korean/analyzer.py`` (kept tags, compounds last, Latin lowercased, NFKC)."""

import os
from dataclasses import dataclass

import pytest

from sinmun.korean import analyzer

# Invented company names that kiwipiepy alone reads wrongly; only the dictionary test teaches them.
HANGYEOL = "한결전자"
SOLBIT = "솔빛바이오"


@pytest.fixture(scope="module", autouse=True)
def pristine_analyzer():
    """Give this module a Kiwi of its own.

    The process's shared Kiwi keeps every user word other tests taught it (the newsroom fixture's
    sections, reporters and keywords, 빅테크 and 한결전자 among them), and kiwipiepy cannot forget
    them, so without this the results below would depend on which tests ran first.
    """
    from kiwipiepy import Kiwi

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analyzer, "_kiwi", Kiwi(num_workers=os.cpu_count() or 1))
        patch.setattr(analyzer, "_user_words", set())
        patch.setattr(analyzer, "_user_parts", {})
        patch.setattr(analyzer, "_analysed", False)
        patch.setattr(analyzer, "_late_words", set())
        patch.setattr(analyzer, "_late_pattern", None)
        yield


# --- What is kept ---------------------------------------------------------------------------


def test_common_and_proper_nouns_are_kept_and_particles_dropped():
    # 정부 NNG, 삼성전자 NNP, 보조금 NNG, 주 (준다) VV; 가/에/을 and the ending are dropped.
    assert analyzer.terms("정부가 삼성전자에 보조금을 준다") == ["정부", "삼성전자", "보조금", "주"]


@pytest.mark.parametrize("text", ["삼성전자가", "삼성전자는", "삼성전자의", "삼성전자"])
def test_particles_never_change_the_noun(text):
    assert analyzer.terms(text) == ["삼성전자"]


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("만났다", "만나"),
        ("만나다", "만나"),
        ("예뻤다", "예쁘"),
        # An irregular adjective (tagged VA-I) is read by its tag's prefix and kept.
        ("아름다운", "아름답"),
    ],
)
def test_verb_and_adjective_stems_are_kept_without_endings(text, stem):
    assert analyzer.terms(text) == [stem]


def test_foreign_words_numbers_and_hanja_are_kept():
    # SL Apple (lowercased), SN 3.5 (the % sign is dropped), SH 國會.
    assert analyzer.terms("Apple은 3.5% 國會") == ["apple", "3.5", "國會"]


def test_number_with_a_counter_keeps_the_number_and_the_written_word():
    # 년 is a bound noun (NNB): not a term alone, but it glues the written word 2028년.
    assert analyzer.terms("2028년") == ["2028", "2028년"]
    assert analyzer.terms("2028년", compounds=False) == ["2028"]


def test_latin_is_lowercased():
    assert analyzer.terms("CEO") == ["ceo"]
    # 들 is a suffix (XSN): glue for the written word, never a term alone.
    assert analyzer.terms("CEO들") == ["ceo", "ceo들"]
    assert analyzer.terms("CEO들", compounds=False) == ["ceo"]


def test_full_width_latin_is_normalised_then_lowercased():
    assert analyzer.normalize("ＡＢＣ") == "ABC"
    assert analyzer.terms("ＡＢＣ") == ["abc"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_text_has_no_terms(text):
    assert analyzer.terms(text) == []


# --- Compounds ------------------------------------------------------------------------------


def test_compound_is_indexed_split_and_whole():
    assert analyzer.terms("빅테크") == ["빅", "테크", "빅테크"]


def test_compounds_come_last_so_the_parts_stay_adjacent():
    assert analyzer.terms("빅테크 기업") == ["빅", "테크", "기업", "빅테크"]


def test_compounds_false_leaves_the_whole_out():
    assert analyzer.terms("빅테크 기업", compounds=False) == ["빅", "테크", "기업"]


def test_latin_and_hangul_written_together_form_a_compound():
    assert analyzer.terms("AI반도체") == ["ai", "반도체", "ai반도체"]


def test_prefix_joins_the_written_word_but_is_not_a_term_alone():
    # 고 (XPN) + 위험 (NNG).
    assert analyzer.terms("고위험") == ["위험", "고위험"]


def test_determiner_before_a_space_is_dropped():
    assert analyzer.terms("이 기사") == ["기사"]


def test_nouns_separated_by_a_space_are_not_a_compound():
    assert analyzer.terms("AI 반도체") == ["ai", "반도체"]


def test_terms_many_gives_the_same_terms_as_terms():
    texts = ["빅테크 기업", "삼성전자가", "만났다", "ＡＢＣ"]
    assert list(analyzer.terms_many(texts)) == [analyzer.terms(t) for t in texts]


# --- User dictionary ------------------------------------------------------------------------


def test_user_word_keeps_an_invented_company_name_whole():
    # Unknown to kiwipiepy, 한결 is read as an adverb (MAG): only the guessed word's written
    # form keeps it (compounds=False: the query side, which tries the written form itself).
    assert analyzer.terms(f"{HANGYEOL}가", compounds=False) == ["전자"]
    assert analyzer.terms(f"{HANGYEOL}가") == ["전자", HANGYEOL]
    assert analyzer.add_user_words([HANGYEOL]) == 1
    assert analyzer.terms(f"{HANGYEOL}가") == [HANGYEOL]
    assert analyzer.terms(f"{HANGYEOL}는 {HANGYEOL}의") == [HANGYEOL, HANGYEOL]


def test_add_user_words_counts_only_new_words():
    assert analyzer.add_user_words([SOLBIT, SOLBIT]) == 1
    assert analyzer.add_user_words([SOLBIT]) == 0


def test_user_word_is_indexed_whole_and_with_the_parts_seen_before():
    assert analyzer.terms("야간개방은") == ["야간", "개방", "야간개방"]
    analyzer.add_user_words(["야간개방"])
    # Whole first, then the parts kiwipiepy saw before, so "야간 개방" still finds it.
    assert analyzer.terms("야간개방은") == ["야간개방", "야간", "개방"]
    # Queries (no compounds) see the one whole word.
    assert analyzer.terms("야간개방은", compounds=False) == ["야간개방"]


def test_add_user_words_skips_one_syllable_words():
    assert analyzer.add_user_words(["국", "A"]) == 0
    assert "국" not in analyzer._user_words
    # A one-syllable user word would swallow 국 out of other words; 국회의원 still splits.
    assert analyzer.terms("국회의원") == ["국회", "의원", "국회의원"]


def test_add_user_words_adds_words_with_spaces_part_by_part():
    assert analyzer.add_user_words(["다솜누리 가온솔"]) == 2
    assert {"다솜누리", "가온솔"} <= analyzer._user_words
    assert "다솜누리 가온솔" not in analyzer._user_words


# --- Names whole, in parts and as written (issue 17) ----------------------------------------


def test_two_words_of_a_name_are_indexed_apart_and_written_together():
    # kiwipiepy tags 벤, 홀트 and 헬리오닉스 NNP here (CEO is SL, not a name word): each pair of
    # neighbouring bare proper nouns is added written together, after the terms.
    assert analyzer.terms("벤 홀트 헬리오닉스 CEO는") == [
        "벤", "홀트", "헬리오닉스", "ceo", "벤홀트", "홀트헬리오닉스",
    ]  # fmt: skip


def test_a_particle_or_a_comma_ends_a_name():
    # 나델라의 carries a particle, and the comma stands between the two companies.
    assert analyzer.terms("나델라의 발표") == ["나델라", "발표"]
    assert analyzer.terms("헬리오닉스, 브라이트웨이브") == ["헬리오닉스", "브라이트웨이브"]


def test_a_name_read_as_endings_is_indexed_as_written_too():
    # In this sentence kiwipiepy reads 아누 as 아 (IC) + 누 and 라히리 as 라 + 히 (EC) + 리 (EC):
    # an ending right after a noun, an interjection glued to a noun. Both words are added as
    # written; the pieces it read stay in place.
    terms = analyzer.terms("회장이 아누 라히리 장관을 예방했다.")
    assert terms[-2:] == ["아누", "라히리"]
    assert {"누", "라"} <= set(terms)


def test_an_ending_after_a_copula_is_no_guess():
    # 가수다 → 가수 + 이 (VCP, elided) + 다: ordinary Korean, nothing added.
    assert analyzer.terms("가수다.") == ["가수"]


def test_a_name_with_a_space_inside_is_indexed_written_together():
    # kiwipiepy returns some names as one token with a space inside (as it does for known
    # people); built by hand here so the rule is tested apart from the model's vocabulary.
    @dataclass
    class Token:
        form: str
        tag: str
        start: int
        len: int

    text = "도리안 곽이 왔다"
    tokens = [Token("도리안 곽", "NNP", 0, 5), Token("이", "JKS", 5, 1), Token("오", "VV", 7, 1)]
    assert analyzer._name_terms(tokens, text) == ["도리안곽"]


# --- Words learned after the first analysis (docs/decisions/0018) ----------------------------


def test_a_word_learned_after_the_first_analysis_stays_whole_in_batches_too():
    late = "활짝물산"
    analyzer.terms("준비")
    before = analyzer.terms(f"{late}에서", compounds=False)
    assert late not in before
    analyzer.add_user_words([late])
    assert analyzer.terms(f"{late}에서 {late}까지") == [late, late]
    texts = [f"{late}가 웃었다", "정부가"]
    batch = list(analyzer.terms_many(texts))
    assert batch == [analyzer.terms(text) for text in texts]
    assert batch[0][0] == late
    # Only where a written word starts: inside another word it is left to the model.
    assert late not in analyzer.terms(f"가{late}", compounds=False)


FORK_CHECK = r"""
import os, sys
os.environ["SINMUN_ANALYZER_THREADS"] = "1"
from sinmun.korean import analyzer

def private_mb():
    fields = {}
    for line in open("/proc/self/smaps_rollup").read().splitlines()[1:]:
        name, value = line.split(":")
        fields[name] = int(value.split()[0])
    return (fields["Private_Dirty"] + fields["Private_Clean"]) / 1024

analyzer.add_user_words(["한결전자"])
analyzer.terms("준비")  # the parent builds the model's state, as `sinmun serve` does
pid = os.fork()
if pid == 0:
    start = private_mb()
    analyzer.add_user_words(["너무제약", "살짝식품"])
    terms = analyzer.terms("너무제약과 살짝식품, 한결전자가 만났다")
    grown = private_mb() - start
    print(terms, round(grown, 1))
    os._exit(0 if terms[:3] == ["너무제약", "살짝식품", "한결전자"] and grown < 64 else 1)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_a_forked_worker_learns_words_without_a_private_copy_of_the_model():
    """The memory goal's mechanism: a web worker forked after the first analysis learns new
    words without kiwipiepy rebuilding (~250 MB of private memory and seconds per worker)."""
    import subprocess
    import sys

    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", FORK_CHECK], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
