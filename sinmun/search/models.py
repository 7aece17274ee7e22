"""The search index: one row of morpheme text per searchable article.

The database's own full-text machinery sits on this table: an FTS5 external-content table
kept in step by triggers on SQLite, a generated weighted ``tsvector`` with a GIN index on
PostgreSQL (migration 0002). Both read the same morpheme text, so both backends match alike.
"""

from django.db import models

from sinmun.newsroom.models import Article

# Bump when the analyzer's output changes: `sinmun reindex` then rebuilds every document.
ANALYZER_VERSION = 3


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
