"""Every name in every demo article, typed as readers type it, finds that article in the top 10.

The corpus-wide property of issue 17, on both databases: the names are what the analyzer
tags as proper nouns in each article (never a hand-picked list), and the ways of typing them
are ``name_recall.typings``. The typings themselves are checked by hand below.
"""

import importlib.util
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from sinmun.demo.loader import load_demo
from sinmun.korean import analyzer
from sinmun.search import dictionary, name_recall
from sinmun.search.name_recall import Name


@pytest.fixture
def demo_analyzer():
    """Give the test a Kiwi that knows the demo's names and nothing else, as ``sinmun demo``
    followed by ``sinmun reindex`` in fresh processes does: the process's shared Kiwi keeps the
    user words earlier tests taught it, and kiwipiepy cannot forget them."""
    from kiwipiepy import Kiwi

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analyzer, "_kiwi", Kiwi(num_workers=os.cpu_count() or 1))
        patch.setattr(analyzer, "_user_words", set())
        patch.setattr(analyzer, "_user_parts", {})
        patch.setattr(analyzer, "_analysed", False)
        patch.setattr(analyzer, "_late_words", set())
        patch.setattr(analyzer, "_late_pattern", None)
        patch.setattr(dictionary, "_state", {"loaded": False, "version": None, "checked_at": 0.0})
        yield


def test_a_two_word_name_is_typed_with_and_without_its_space_and_by_its_surname():
    assert name_recall.typings(Name(("벤", "홀트"))) == [
        ("as-written", "벤 홀트"),
        ("no-space", "벤홀트"),
        ("particle-topic", "벤 홀트는"),
        ("particle-of", "벤 홀트의"),
        ("particle-at", "벤 홀트에서"),
        ("surname", "홀트"),
    ]


def test_a_one_word_name_takes_particles_only():
    assert name_recall.typings(Name(("해담",))) == [
        ("as-written", "해담"),
        ("particle-topic", "해담은"),
        ("particle-of", "해담의"),
        ("particle-at", "해담에서"),
    ]


def test_names_are_proper_nouns_and_runs_of_them_in_running_text():
    names = name_recall._names_in(
        "마르코 벨리니 브라이트웨이브 최고경영자가 포트 말리온에서 발표했다."
    )
    written = {name.written for name in names}
    # kiwipiepy tags all three words NNP here, and 말리온 (포트 is a common noun to it).
    assert {"마르코", "벨리니", "브라이트웨이브", "말리온"} <= written
    assert {"마르코 벨리니", "벨리니 브라이트웨이브", "마르코 벨리니 브라이트웨이브"} <= written
    assert "최고경영자" not in written


@pytest.mark.heavy
@pytest.mark.django_db
def test_every_name_of_the_demo_finds_its_article(
    settings, tmp_path, django_capture_on_commit_callbacks, demo_analyzer
):
    settings.VAR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(with_photos=False)
    # Keywords are created article by article: the dictionary loaded at the first one lacks
    # most of them, as in a `sinmun demo` process; `sinmun reindex --all` realigns.
    dictionary.load_user_dictionary()
    call_command("reindex", "--all", stdout=StringIO(), stderr=StringIO())

    results = name_recall.evaluate()
    print()
    print(name_recall.format_table(results))

    # Enough to mean something: hundreds of names, thousands of typings, foreign ones among them.
    assert results["names"] >= 400
    assert results["checks"] >= 4000
    assert results["by_variant"]["surname"]["checks"] >= 50
    assert results["by_variant"]["no-space"]["checks"] >= 100
    assert results["misses"] == []

    # `sinmun search_eval` prints this table after the judged queries. The names are not
    # searched a second time (a minute of CPU): the command is handed the results above.
    out = StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(name_recall, "evaluate", lambda: results)
        call_command("search_eval", stdout=out)
    assert f"| all | {results['checks']} | 1.000 |" in out.getvalue()


GENERATOR = Path(__file__).resolve().parents[3] / "bench" / "search_corpus.py"
GENERATOR_SAMPLE = 60


@pytest.mark.skipif(not GENERATOR.exists(), reason="the benchmark generator is not here")
@pytest.mark.heavy
@pytest.mark.django_db
def test_every_name_of_a_benchmark_sample_finds_its_article(newsroom, committed, demo_analyzer):
    # Another corpus than the one the rules were tuned on: the benchmark's generated articles
    # (invented companies, people and places in sentence templates), through the real path.
    spec = importlib.util.spec_from_file_location("search_corpus", GENERATOR)
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    with committed():
        for n in range(GENERATOR_SAMPLE):
            generated = corpus.generate(n)
            newsroom.article(
                headline=generated.headline,
                subheadlines=generated.subheadlines,
                body="".join(f"<p>{p}</p>" for p in generated.paragraphs),
                keywords=generated.keywords,
            )
    dictionary.load_user_dictionary()
    call_command("reindex", "--all", stdout=StringIO(), stderr=StringIO())

    results = name_recall.evaluate()
    print()
    print(name_recall.format_table(results))

    assert results["articles"] == GENERATOR_SAMPLE
    assert results["checks"] >= 500
    assert results["misses"] == []
