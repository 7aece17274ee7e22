"""Relevance on the demo newsroom: Sinmun against FTS5 trigram and LIKE on a judged query set.

``pytest -s`` prints the table (the README quotes ``sinmun search_eval``, which prints the
same one for the database in use).
"""

from io import StringIO

import pytest
from django.core.management import call_command

from sinmun.demo.loader import load_demo
from sinmun.search import evaluation

RECALL_FLOOR = 0.9
MRR_FLOOR = 0.75


def test_judged_queries_are_well_formed():
    queries = evaluation.load_judged()
    kinds = {}
    for q in queries:
        kinds[q.kind] = kinds.get(q.kind, 0) + 1
    assert len(queries) >= 45
    assert len({q.query for q in queries}) == len(queries)
    minimum = {
        "two-syllable": 8, "particle": 6, "proper-noun": 6, "latin": 4, "phrase": 4,
        "stem": 3, "exclusion": 3, "reporter": 3, "section": 2,
    }  # fmt: skip
    for kind, count in minimum.items():
        assert kinds.get(kind, 0) >= count, kind


@pytest.mark.heavy
@pytest.mark.django_db
def test_sinmun_finds_what_readers_want_and_beats_both_baselines(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(with_photos=False)

    results = evaluation.evaluate()
    print()
    print(evaluation.format_table(results))

    assert results["articles"] == 191
    assert results["missing"] == []
    sinmun, trigram, like = (results["systems"][n] for n in evaluation.SYSTEMS)
    assert sinmun["recall"] >= RECALL_FLOOR
    assert sinmun["mrr"] >= MRR_FLOOR
    for baseline in (trigram, like):
        assert sinmun["recall"] > baseline["recall"]
        assert sinmun["mrr"] > baseline["mrr"]

    out = StringIO()
    call_command("search_eval", "--no-names", stdout=out)
    assert f"| sinmun | {sinmun['recall']:.3f} | {sinmun['mrr']:.3f} | " in out.getvalue()
