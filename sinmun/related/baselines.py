"""The two boxes ``sinmun related_eval`` measures the engine against.

- ``tiered``: the box Sinmun had before this app (moved here from ``newsroom.selectors``), as
  most Korean sites do it: articles sharing a keyword, then the same series, then the same
  section; newest first within a tier.
- ``same_section_newest``: the simplest box, the section's newest articles.
"""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from sinmun.newsroom import selectors as newsroom
from sinmun.newsroom.models import Article


def tiered(article: Article) -> QuerySet[Article]:
    """Return the tiered box's full list: keyword, else series, else section; newest first."""
    through = Article.keywords.through.objects
    sharing = list(
        through.filter(keyword_id__in=through.filter(article_id=article.pk).values("keyword_id"))
        .exclude(article_id=article.pk)
        .values_list("article_id", flat=True)
        .distinct()
    )
    shares_keyword = Q(pk__in=sharing)
    same_series = Q(series_id=article.series_id) if article.series_id else Q(pk__in=[])
    tier = Case(
        When(shares_keyword, then=Value(0)),
        When(same_series, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        newsroom.published_articles()
        .exclude(pk=article.pk)
        .filter(shares_keyword | same_series | Q(section_id=article.section_id))
        .annotate(tier=tier)
        .order_by("tier", "-first_published_at", "-id")
    )


def same_section_newest(article: Article) -> QuerySet[Article]:
    """Return the newest articles of the article's section, itself excluded."""
    return (
        newsroom.published_articles()
        .exclude(pk=article.pk)
        .filter(section_id=article.section_id)
        .order_by("-first_published_at", "-id")
    )
