"""``sinmun reindex`` through ``call_command``: missing rows, ``--all``, resuming, orphans."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from sinmun.newsroom import actors, services
from sinmun.search import backends, indexing
from sinmun.search.models import ANALYZER_VERSION, SearchDocument, SuggestionWord
from sinmun.search.query import parse


@pytest.fixture
def marker():
    """Return the resume marker's path; no test leaves one behind for the next."""
    path = settings.VAR_DIR / "search-reindex-since"
    path.unlink(missing_ok=True)
    yield path
    path.unlink(missing_ok=True)


def reindex(*args: str) -> str:
    out = io.StringIO()
    call_command("reindex", *args, stdout=out, verbosity=0)
    return out.getvalue()


def found(text: str) -> list[int]:
    hits = backends.search(
        parse(text), filters=backends.Filters(), newest=False, limit=50, offset=0
    )
    return sorted(hits.ids)


@pytest.fixture
def indexed(newsroom, django_capture_on_commit_callbacks):
    """Three published articles indexed by their on-commit follow-up."""
    with django_capture_on_commit_callbacks(execute=True):
        return [
            newsroom.article(headline=f"누리호 {n}차 발사", keywords=[], minutes_ago=10 * n)
            for n in (1, 2, 3)
        ]


def indexed_at(articles) -> list:
    return [SearchDocument.objects.get(article=a).indexed_at for a in articles]


def test_indexes_missing_articles(newsroom, marker):
    # Created without running the on-commit follow-ups: nothing is indexed yet.
    published = [
        newsroom.article(headline="누리호 1차 발사", keywords=[]),
        newsroom.article(headline="누리호 2차 발사", keywords=[]),
    ]
    newsroom.article(headline="누리호 3차 발사", keywords=[], publish=False)
    assert not SearchDocument.objects.exists()
    assert reindex().startswith("색인: 2건 분석")
    assert set(SearchDocument.objects.values_list("article_id", flat=True)) == {
        a.pk for a in published
    }
    assert found("누리호") == sorted(a.pk for a in published)


def test_up_to_date_index_is_left_alone(indexed, marker):
    before = indexed_at(indexed)
    assert reindex().startswith("색인: 0건 분석")
    assert indexed_at(indexed) == before


def test_plain_run_reanalyses_an_article_changed_since_it_was_indexed(indexed, marker):
    SearchDocument.objects.filter(article=indexed[0]).update(
        indexed_at=timezone.now() - timedelta(days=1)
    )
    assert reindex().startswith("색인: 1건 분석")
    assert indexing.stale_articles().count() == 0


def test_all_reanalyses_everything_and_removes_the_marker(indexed, marker, monkeypatch):
    before = indexed_at(indexed)
    marker_seen = []
    documents_for = indexing.documents_for

    def watching(articles):
        marker_seen.append(marker.exists())
        return documents_for(articles)

    monkeypatch.setattr(indexing, "documents_for", watching)
    assert reindex("--all").startswith("색인: 3건 분석")
    assert marker_seen == [True]
    assert not marker.exists()
    assert all(new > old for new, old in zip(indexed_at(indexed), before, strict=True))
    assert found("누리호") == sorted(a.pk for a in indexed)


def test_plain_run_resumes_after_an_interrupted_all(indexed, marker, monkeypatch):
    documents_for = indexing.documents_for
    batches = []

    def interrupted(articles):
        batches.append([a.pk for a in articles])
        if len(batches) == 2:
            raise KeyboardInterrupt
        return documents_for(articles)

    monkeypatch.setattr(indexing, "documents_for", interrupted)
    with pytest.raises(KeyboardInterrupt):
        reindex("--all", "--batch", "1")
    assert marker.exists()
    # The first batch (the lowest id) was re-analysed; the other two still predate the marker.
    monkeypatch.setattr(indexing, "documents_for", documents_for)
    assert reindex().startswith("색인: 2건 분석")
    assert not marker.exists()
    assert reindex().startswith("색인: 0건 분석")


def test_plain_run_with_a_marker_reanalyses_documents_older_than_it(
    indexed, marker, newsroom, django_capture_on_commit_callbacks
):
    marker.write_text(timezone.now().isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        later = newsroom.article(headline="누리호 4차 발사", keywords=[])
    later_indexed_at = SearchDocument.objects.get(article=later).indexed_at
    assert reindex().startswith("색인: 3건 분석")
    assert SearchDocument.objects.get(article=later).indexed_at == later_indexed_at
    assert not marker.exists()


def test_orphan_rows_of_unpublished_articles_are_deleted(indexed, newsroom, marker):
    draft = newsroom.article(headline="누리호 초안", keywords=[], publish=False)
    SearchDocument.objects.create(
        article=draft,
        headline="누리 초안",
        indexed_at=timezone.now(),
        analyzer_version=ANALYZER_VERSION,
    )
    # A row left behind by hand for a withdrawn article (the service itself removes it).
    services.article_withdraw(article=indexed[0], by=actors.DEMO)
    SearchDocument.objects.create(
        article=indexed[0],
        headline="누리 기사",
        indexed_at=timezone.now(),
        analyzer_version=ANALYZER_VERSION,
    )
    assert SearchDocument.objects.count() == 4
    words = SuggestionWord.objects.count()
    # The orphans' words (초안 of the hand-made row) were never counted.
    assert reindex() == f"색인: 0건 분석, 지운 항목 2건, 제안 낱말 {words}개\n"
    assert not SuggestionWord.objects.filter(word="초안").exists()
    assert set(SearchDocument.objects.values_list("article_id", flat=True)) == {
        indexed[1].pk,
        indexed[2].pk,
    }
