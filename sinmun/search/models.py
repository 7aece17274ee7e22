"""The search index: one row of morpheme text per searchable article.

The database's own full-text machinery sits on this table: an FTS5 external-content table
kept in step by triggers on SQLite, a generated weighted ``tsvector`` with a GIN index on
PostgreSQL (migration 0002). Both read the same morpheme text, so both backends match alike.
"""

from django.db import models

from sinmun.newsroom.models import Article

# Bump when the analyzer's output changes: `sinmun reindex` then rebuilds every document.
ANALYZER_VERSION = 5


class SearchDocument(models.Model):
    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    headline = models.TextField()
    subheadlines = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Set by the indexer; no default, so bumping ANALYZER_VERSION needs no migration.
    analyzer_version = models.PositiveSmallIntegerField()
    indexed_at = models.DateTimeField()

    class Meta:
        verbose_name = "검색 색인"
        verbose_name_plural = "검색 색인"

    def __str__(self) -> str:
        return f"search document {self.article_id}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()


class SuggestionWord(models.Model):
    """A word readers may be offered for a typo: a Hangul term of published headlines and
    keywords, with the number of index rows holding it.

    Kept in step by the indexer (``suggestions.document_changed``) and rebuilt exactly by
    ``sinmun reindex``, so a search with no result never scans the archive for candidates.
    Candidates are looked up by their first or last syllable and length: a word one or two
    jamo off changes at most two syllables, so it keeps one end unless it is very short.
    """

    word = models.CharField(max_length=40, primary_key=True)
    frequency = models.PositiveIntegerField()
    syllables = models.PositiveSmallIntegerField()
    first = models.CharField(max_length=1)
    last = models.CharField(max_length=1)
    # The earliest 입력 time among the rows holding it: an embargoed article's words are not
    # offered before its time comes.
    visible_from = models.DateTimeField()

    class Meta:
        verbose_name = "검색어 제안 낱말"
        verbose_name_plural = "검색어 제안 낱말"
        indexes = [
            models.Index(fields=["first", "syllables"], name="suggestion_first"),
            models.Index(fields=["last", "syllables"], name="suggestion_last"),
        ]

    def __str__(self) -> str:
        return self.word
