"""Index upkeep: every editorial action leaves the index showing exactly what readers may see.

The services schedule ``indexing.article_changed`` with ``transaction.on_commit``; the tests run
those callbacks with ``django_capture_on_commit_callbacks(execute=True)``, as a real commit would.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from sinmun.jobs import queue
from sinmun.korean import analyzer
from sinmun.newsroom import actors, services
from sinmun.newsroom.models import Article
from sinmun.search import backends, indexing
from sinmun.search.models import ANALYZER_VERSION, SearchDocument
from sinmun.search.query import parse


def found(text: str) -> list[int]:
    hits = backends.search(
        parse(text), filters=backends.Filters(), newest=False, limit=50, offset=0
    )
    return hits.ids


def test_publish_indexes_the_article_after_commit(newsroom, committed):
    with committed():
        article = newsroom.article(headline="누리호 발사 성공", keywords=[])
        # Still inside the transaction: the follow-up waits for the commit.
        assert not SearchDocument.objects.filter(article=article).exists()
    document = SearchDocument.objects.get(article=article)
    assert document.headline == " ".join(analyzer.terms("누리호 발사 성공"))
    # 누리호 may be whole or 누리 + 호, depending on whether a test taught it as a name.
    assert {"발사", "성공"} <= set(document.headline.split())
    assert document.analyzer_version == ANALYZER_VERSION
    assert found("누리호") == [article.pk]


def test_draft_is_not_indexed(newsroom, committed):
    with committed():
        article = newsroom.article(headline="누리호 발사 성공", keywords=[], publish=False)
        services.article_update(article=article, by=actors.DEMO, headline="누리호 발사 연기")
    assert not SearchDocument.objects.filter(article=article).exists()


def test_update_of_a_published_article_reindexes_it(newsroom, committed):
    with committed():
        article = newsroom.article(headline="누리호 발사 연기", keywords=[])
    assert found("연기") == [article.pk]
    with committed():
        services.article_update(article=article, by=actors.DEMO, headline="누리호 발사 성공")
    headline = SearchDocument.objects.get(article=article).headline
    assert headline == " ".join(analyzer.terms("누리호 발사 성공"))
    assert found("성공") == [article.pk]
    assert found("연기") == []


def test_withdraw_removes_the_row_and_the_article_from_results(newsroom, committed):
    with committed():
        article = newsroom.article(headline="누리호 발사 성공", keywords=[])
    assert found("누리호") == [article.pk]
    with committed():
        services.article_withdraw(article=article, by=actors.DEMO)
    assert not SearchDocument.objects.filter(article=article).exists()
    assert found("누리호") == []


def test_republish_after_withdraw_indexes_again(newsroom, committed):
    with committed():
        article = newsroom.article(headline="누리호 발사 성공", keywords=[])
        services.article_withdraw(article=article, by=actors.DEMO)
        services.article_publish(article=article, by=actors.DEMO)
    assert found("누리호") == [article.pk]


def _import(newsroom, status: str, headline: str = "누리호 발사 성공"):
    return services.article_import(
        by=actors.DEMO,
        uri="urn:example:wire:1",
        status=status,
        first_published_at=timezone.now() - timedelta(hours=1),
        updated_at=None,
        headline=headline,
        body="<p>발사체가 궤도에 올랐다.</p>",
        section=newsroom.bigtech,
        reporters=[newsroom.kim],
        keywords=[],
    )


def test_import_as_usable_indexes_and_as_canceled_removes(newsroom, committed):
    with committed():
        article, created = _import(newsroom, Article.Status.PUBLISHED)
    assert created
    assert found("누리호") == [article.pk]
    # ninjs pubstatus "canceled" imports as 출고 취소.
    with committed():
        _import(newsroom, Article.Status.WITHDRAWN)
    assert not SearchDocument.objects.filter(article=article).exists()
    assert found("누리호") == []


def test_index_row_holds_reporter_section_and_series_names(newsroom, committed):
    with committed():
        article = newsroom.article(
            headline="누리호 발사 성공",
            keywords=["우주"],
            reporters=[newsroom.lee],
            section=newsroom.assembly,
            series=newsroom.column,
        )
    keywords = SearchDocument.objects.get(article=article).keywords.split()
    # Whole or in parts, depending on whether the process's user dictionary knows the name yet.
    for name in ("우주", "이서연", "국회", "기자수첩"):
        assert analyzer.terms(name)
        assert set(analyzer.terms(name)) <= set(keywords), name
    # The names make the article findable by them.
    assert found("이서연") == [article.pk]
    assert found("기자수첩") == [article.pk]
    assert found("김민준") == []


def test_failed_index_update_keeps_the_publish_and_is_logged(
    newsroom, committed, monkeypatch, caplog
):
    def broken(article_id):
        raise RuntimeError("index is down")

    monkeypatch.setattr(indexing, "article_changed", broken)
    with caplog.at_level(logging.ERROR), committed():
        article = newsroom.article(headline="누리호 발사 성공", keywords=[])
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert not SearchDocument.objects.filter(article=article).exists()
    # The worker's job failed, said so in the log, and is left to its retries and the sweep.
    [record] = [r for r in caplog.records if r.name == "sinmun.jobs.queue"]
    assert record.getMessage() == queue.JOB_FAILED % ("index_article", (article.pk,), 6)
    assert record.exc_info[0] is RuntimeError
    assert list(indexing.stale_articles()) == [article]


def test_stale_articles_lists_missing_and_outdated_rows_only(newsroom, committed):
    with committed():
        fresh = newsroom.article(headline="누리호 발사 성공", keywords=[])
        old_version = newsroom.article(headline="누리호 2차 발사", keywords=[])
        edited = newsroom.article(headline="누리호 3차 발사", keywords=[])
        newsroom.article(headline="초안", keywords=[], publish=False)
    missing = newsroom.article(headline="누리호 4차 발사", keywords=[])  # follow-up not run
    SearchDocument.objects.filter(article=old_version).update(analyzer_version=ANALYZER_VERSION - 1)
    SearchDocument.objects.filter(article=edited).update(
        indexed_at=timezone.now() - timedelta(days=1)
    )
    stale = list(indexing.stale_articles())
    assert stale == sorted([old_version, edited, missing], key=lambda a: a.pk)
    assert fresh not in stale


def test_embargoed_article_is_indexed_but_not_yet_found(newsroom, committed):
    with committed():
        article = newsroom.article(headline="누리호 발사 성공", keywords=[], publish=False)
        services.article_publish(
            article=article, by=actors.DEMO, at=timezone.now() + timedelta(hours=1)
        )
    assert SearchDocument.objects.filter(article=article).exists()
    assert found("누리호") == []


def test_article_changed_removes_the_row_of_an_unpublished_article(newsroom):
    article = newsroom.article(headline="누리호 발사 성공", keywords=[], publish=False)
    SearchDocument.objects.create(
        article=article,
        headline="누리",
        indexed_at=timezone.now(),
        analyzer_version=ANALYZER_VERSION,
    )
    indexing.article_changed(article.pk)
    assert not SearchDocument.objects.filter(article=article).exists()
