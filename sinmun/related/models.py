"""What the related engine stores, so that a page view does no similarity work.

- ``Signature``: an article's most distinctive morphemes with their weights (tf-idf with bm25's
  saturation, L2-normalised), one row per term; the candidates of an article are read from
  the rows of its own terms (index on term, weight), whatever the archive's size.
- ``VocabularyTerm``: document frequencies counted on a sample of the search index (the idf).
- ``RelatedLink``: an article's computed list, best first, pins included (the box is the
  first five visible rows, the 더보기 page all of them).
- ``Override``: a desk editor's pin or removal; applied at every computation, so it survives.
- ``ListState``: when an article's list was computed (the worker's catch-up sweep reads it) and
  its version, which changes whenever what its box shows may have: the article page keeps the
  box rendered under it (``{% fragment %}``), so a publish elsewhere does not cost a read.
"""

from django.conf import settings
from django.db import models

from sinmun.newsroom.models import Article


class Signature(models.Model):
    # No index of its own: the unique constraint on (article, term) serves the article's rows.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    term = models.CharField(max_length=64)
    weight = models.FloatField()

    class Meta:
        verbose_name = "관련기사 특징어"
        verbose_name_plural = "관련기사 특징어"
        constraints = [
            models.UniqueConstraint(fields=["article", "term"], name="related_signature_term")
        ]
        # The candidates' read (``engine.likeness``) takes a term's heaviest rows' article ids
        # from the index alone; without the article in it, each of the 20 × 200 rows cost a
        # lookup in the table.
        indexes = [
            models.Index(fields=["term", "-weight", "article"], name="related_term_weight_article")
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.term} {self.weight:.3f}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()


class VocabularyTerm(models.Model):
    """How many articles of the last counted sample hold ``term`` (see ``vocabulary``)."""

    term = models.CharField(max_length=64, primary_key=True)
    documents = models.PositiveIntegerField()

    class Meta:
        verbose_name = "관련기사 어휘"
        verbose_name_plural = "관련기사 어휘"

    def __str__(self) -> str:
        return f"{self.term} ({self.documents})"


class VocabularySample(models.Model):
    """The size of the sample ``VocabularyTerm`` was counted on (one row)."""

    documents = models.PositiveIntegerField()
    counted_at = models.DateTimeField()

    class Meta:
        verbose_name = "관련기사 어휘 표본"
        verbose_name_plural = "관련기사 어휘 표본"

    def __str__(self) -> str:
        return f"{self.documents} documents at {self.counted_at:%Y-%m-%d %H:%M}"


class ListState(models.Model):
    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="related_state"
    )
    computed_at = models.DateTimeField()
    # Raised by every write to the list and by every change to an article it holds (an update,
    # a withdrawal, an embargo's end): the key the page's rendered box is kept under.
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "관련기사 계산 시각"
        verbose_name_plural = "관련기사 계산 시각"

    def __str__(self) -> str:
        return f"related list of {self.article_id}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()


class RelatedLink(models.Model):
    # No index of its own: (article, related) and (article, rank) below both start with it.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links", db_index=False
    )
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_from")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    pinned = models.BooleanField(default=False)

    class Meta:
        verbose_name = "관련기사"
        verbose_name_plural = "관련기사"
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_link_once"),
        ]
        indexes = [models.Index(fields=["article", "rank"], name="related_link_rank")]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id} ({self.score:.3f})"

    def get_absolute_url(self) -> str:
        return self.related.get_absolute_url()


class Override(models.Model):
    class Action(models.TextChoices):
        PIN = "pin", "고정"
        REMOVE = "remove", "제외"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = "관련기사 고정·제외"
        verbose_name_plural = "관련기사 고정·제외"
        ordering = ["article", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "other"], name="related_override_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.action} {self.other_id}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()
