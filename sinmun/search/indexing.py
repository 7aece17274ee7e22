"""Keep the search index in step with what readers may see.

``article_changed`` is called by ``newsroom.services`` after every change commits: a published
article is (re)analysed and stored, anything else is removed, so nothing unpublished is ever
searchable. An embargoed article (입력 time still ahead) is indexed but filtered out by every
query until its time comes, so it appears the moment the embargo ends.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sinmun.korean import analyzer
from sinmun.newsroom.models import Article

from . import recent, suggestions
from .dictionary import ensure_user_dictionary
from .models import ANALYZER_VERSION, SearchDocument
from .query_terms import index_text


def _fields(article: Article) -> list[str]:
    return [
        article.headline,
        " ".join(article.subheadlines),
        # Reporter, section and series names ride with the keywords: 빅테크 finds the 빅테크
        # section, a reporter's name finds the reporter's articles. Commas keep two names from
        # being read as one (the analyzer joins a proper noun to the word after it).
        ", ".join(
            [k.name for k in article.keywords.all()]
            + [b.reporter.name for b in article.bylines.all()]
            + [article.section.name]
            + ([article.series.name] if article.series_id else [])
        ),
        article.body_text,
    ]


def documents_for(articles: Iterable[Article]) -> list[SearchDocument]:
    """Return unsaved index rows for ``articles``, analysed as one batch on all cores."""
    ensure_user_dictionary()
    articles = list(articles)
    texts = [text for article in articles for text in _fields(article)]
    analysed = list(analyzer.terms_many(texts))
    now = timezone.now()
    documents = []
    for n, article in enumerate(articles):
        headline, subheadlines, keywords, body = analysed[4 * n : 4 * n + 4]
        documents.append(
            SearchDocument(
                article=article,
                headline=index_text(headline),
                subheadlines=index_text(subheadlines),
                keywords=index_text(keywords),
                body=index_text(body),
                analyzer_version=ANALYZER_VERSION,
                indexed_at=now,
            )
        )
    return documents


def _indexed_words(article_id: int) -> tuple[str, str] | None:
    """Return the (headline, keywords) morpheme text of the article's index row, if any."""
    return (
        SearchDocument.objects.filter(article_id=article_id)
        .values_list("headline", "keywords")
        .first()
    )


def _remove(article_id: int) -> None:
    before = _indexed_words(article_id)
    if before is not None:
        SearchDocument.objects.filter(article_id=article_id).delete()
        suggestions.document_changed(before, None, None)


def article_unpublished(article_id: int) -> None:
    """Remove the article from the index now, inside the caller's transaction.

    Removal needs no analysis, so it happens with the status change itself: the index never
    holds an article readers may not see, which the search count relies on.
    """
    _remove(article_id)


def article_changed(article_id: int) -> None:
    """Index the article if readers may see it now or later; otherwise remove it."""
    article = (
        Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED)
        .select_related("section", "series")
        .prefetch_related("keywords", "bylines__reporter")
        .first()
    )
    if article is None:
        with transaction.atomic():
            _remove(article_id)
        return
    ensure_user_dictionary()
    [document] = documents_for([article])
    with transaction.atomic():
        before = _indexed_words(article.pk)
        SearchDocument.objects.update_or_create(
            article_id=article.pk,
            defaults={
                field: getattr(document, field)
                for field in (
                    "headline", "subheadlines", "keywords", "body", "analyzer_version",
                    "indexed_at",
                )
            },
        )  # fmt: skip
        suggestions.document_changed(
            before, (document.headline, document.keywords), article.first_published_at
        )
    # A new article may push the oldest ones out of the SQLite recent tier, a few at a time.
    recent.advance()


def stale_articles():
    """Return published articles whose index row is missing or out of date (for reindex)."""
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .filter(
            Q(search_document__isnull=True)
            | Q(search_document__analyzer_version__lt=ANALYZER_VERSION)
            | Q(search_document__indexed_at__lt=F("modified_at"))
        )
        .order_by("id")
    )


def orphan_documents():
    """Return index rows of articles readers may no longer see."""
    return SearchDocument.objects.exclude(article__status=Article.Status.PUBLISHED)
