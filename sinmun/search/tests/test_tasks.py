"""Search's jobs: a lost index job is caught up by the sweep; renames re-index carriers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.newsroom import actors, generation, services
from sinmun.newsroom.models import Article
from sinmun.search import selectors, tasks
from sinmun.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def _found(text: str) -> list[str]:
    return [r.article.headline for r in selectors.search_articles(text=text).results]


def test_an_article_whose_index_job_was_lost_is_indexed_by_the_catch_up_sweep(
    newsroom, monkeypatch, django_capture_on_commit_callbacks
):
    # A worker killed while running the job: the job is gone, the article is not indexed.
    monkeypatch.setattr(tasks, "index_article", lambda article_id: None)
    with django_capture_on_commit_callbacks(execute=True):
        article = newsroom.article(headline="솔바람 마을 도서관 문 연다")
    assert not SearchDocument.objects.filter(article=article).exists()

    tasks.catch_up()  # within the grace period: still the job's to do
    assert not SearchDocument.objects.filter(article=article).exists()

    Article.objects.filter(pk=article.pk).update(
        modified_at=timezone.now() - tasks.CATCH_UP_GRACE - timedelta(seconds=1)
    )
    tasks.catch_up()
    assert _found("솔바람") == ["솔바람 마을 도서관 문 연다"]


def test_renaming_a_reporter_re_indexes_the_articles_in_the_reporters_name(
    newsroom, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article(headline="강변 산책로 새로 깐다", reporters=[newsroom.park])
    assert _found("박하준") == ["강변 산책로 새로 깐다"]

    with django_capture_on_commit_callbacks(execute=True):
        services.reporter_update(by=actors.DEMO, reporter=newsroom.park, name="박해솔")
    assert _found("박해솔") == ["강변 산책로 새로 깐다"]
    assert _found("박하준") == []


def test_an_index_job_for_an_article_already_indexed_as_saved_does_no_analysis(
    newsroom, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = newsroom.article(headline="은하수 천문대 관측 행사")
    analysed = []
    monkeypatch.setattr(tasks.indexing, "article_changed", analysed.append)

    tasks.index_article(article.pk)  # already indexed when it was published
    assert analysed == []

    Article.objects.filter(pk=article.pk).update(modified_at=timezone.now() + timedelta(seconds=1))
    tasks.index_article(article.pk)  # saved since: analysed again
    assert analysed == [article.pk]


def test_indexing_renews_search_pages_and_leaves_the_others_kept(newsroom, settings, front):
    # The publish renewed every page already; the index catching up a moment later renews only
    # what it changes (search results), or every page renders twice after each publish.
    settings.PAGE_CACHE_SECONDS = 60
    with pytest.MonkeyPatch.context() as later:
        later.setattr(tasks, "index_article", lambda article_id: None)  # the job comes later
        article = newsroom.article(headline="솔바람 마을 도서관 문 연다")
    search = "/search/?q=솔바람"
    front.get(article.get_absolute_url())
    assert '<span class="count">0건</span>' in front.get(search).content.decode()
    content = generation.current()

    tasks.index_article(article.pk)  # as the worker runs it

    assert generation.current() == content
    assert front.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    renewed = front.get(search)
    assert renewed["X-Page-Cache"] == "miss"
    assert "솔바람 마을 도서관 문 연다" in renewed.content.decode()
