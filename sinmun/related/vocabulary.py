"""Document frequencies for the engine's idf, counted on a sample of the search index.

An exact count per term would have to be kept up on every publish (hundreds of term rows per
article) or read from the index itself, which neither database answers cheaply for a common
word at a million articles (FTS5 has fts5vocab, PostgreSQL only ``ts_stat`` over every row).
idf only needs to tell rare from common, and a sample does that: the newest
``NEWEST`` documents (where new names and stories are) plus ``OLDER`` drawn at random from the
rest, recounted daily by the worker and by ``sinmun related_rebuild``. On a site smaller than
the sample (the demo) every document is counted, so the count is exact.
"""

import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from sinmun.newsroom.models import Keyword
from sinmun.search.models import SearchDocument

from . import sql, terms
from .models import VocabularySample, VocabularyTerm

NEWEST = 10_000
OLDER = 10_000
BATCH = 500
FIELDS = ("headline", "subheadlines", "body")


def keyword_names(article_ids: list[int]) -> dict[int, list[str]]:
    """Return each article's keyword names (one query)."""
    out: dict[int, list[str]] = {}
    if not article_ids:
        return out
    rows = sql.select(
        "SELECT ak.{article_keywords.article}, k.{keyword.name} FROM {article_keywords} ak"
        " JOIN {keyword} k ON k.{keyword.id} = ak.{article_keywords.keyword}"
        " WHERE ak.{article_keywords.article} IN ({ids})",
        list(article_ids),
        ids=sql.placeholders(article_ids),
    )
    for article_id, name in rows:
        out.setdefault(article_id, []).append(name)
    return out


def documents(article_ids: list[int]) -> dict[int, dict[str, str]]:
    """Return the index rows' fields of ``article_ids`` (those that have one)."""
    if not article_ids:
        return {}
    rows = sql.select(
        "SELECT {document.article}, {fields} FROM {document} WHERE {document.article} IN ({ids})",
        list(article_ids),
        fields=", ".join(getattr(sql.TABLES["document"], name) for name in FIELDS),
        ids=sql.placeholders(article_ids),
    )
    return {pk: dict(zip(FIELDS, fields, strict=True)) for pk, *fields in rows}


def _sample_ids(seed: int | None) -> list[int]:
    ids = SearchDocument.objects.order_by("-article_id").values_list("article_id", flat=True)
    newest = list(ids[:NEWEST])
    if len(newest) < NEWEST:
        return newest
    rng = random.Random(seed)  # noqa: S311 - a statistical sample, not a secret
    floor = newest[-1]
    wanted = sorted(rng.sample(range(1, floor), min(OLDER, floor - 1)))
    older = []
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        older += list(
            SearchDocument.objects.filter(article_id__in=batch).values_list("article_id", flat=True)
        )
    return newest + older


def rebuild(*, seed: int | None = None) -> int:
    """Count the sample's document frequencies again; return the sample's size."""
    ids = _sample_ids(seed)
    counted: Counter = Counter()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        names = keyword_names(batch)
        for article_id, fields in documents(batch).items():
            counts = terms.term_counts(fields, names.get(article_id, ()))
            counted.update(terms.distinct_terms(counts))
    with transaction.atomic():
        VocabularyTerm.objects.all().delete()
        VocabularyTerm.objects.bulk_create(
            (VocabularyTerm(term=t, documents=n) for t, n in counted.items()), batch_size=2000
        )
        VocabularySample.objects.update_or_create(
            pk=1, defaults={"documents": len(ids), "counted_at": timezone.now()}
        )
    return len(ids)


def ensure() -> int:
    """Count the sample now if there is none, or if the index has more than doubled since
    (a new site filling up: its first articles would otherwise weigh every word as rare).
    Return the sample's size."""
    size = sample_size()
    if size >= NEWEST + OLDER:
        return size
    if size == 0 or SearchDocument.objects.count() > 2 * size:
        return rebuild()
    return size


def sample_size() -> int:
    """Return the counted sample's size (0 when none was counted yet)."""
    rows = sql.select("SELECT {sample.documents} FROM {sample} WHERE {sample.id} = 1", [])
    return rows[0][0] if rows else 0


def frequencies(wanted: set[str]) -> dict[str, int]:
    """Return the sample's document count of each of ``wanted`` that it holds."""
    out: dict[str, int] = {}
    wanted_list = sorted(wanted)
    for start in range(0, len(wanted_list), BATCH):
        batch = wanted_list[start : start + BATCH]
        out.update(
            sql.select(
                "SELECT {vocabulary.term}, {vocabulary.documents} FROM {vocabulary}"
                " WHERE {vocabulary.term} IN ({ids})",
                batch,
                ids=sql.placeholders(batch),
            )
        )
    return out


def count_renamed_keyword(keyword_id: int, *, carriers: int) -> None:
    """Give a renamed keyword's new name a document count until the next recount.

    The sample counted the old name; the new one would count as held by no article (as rare as
    a word can be) and outweigh everything else in its carriers' signatures. Its count is
    estimated as its published carriers' share of the index, scaled to the sample.
    """
    name = Keyword.objects.filter(pk=keyword_id).values_list("name", flat=True).first()
    size, indexed = sample_size(), SearchDocument.objects.count()
    if name is None or not size or not indexed:
        return
    term = terms.keyword_term(name)[:64]
    estimate = round(carriers * min(size / indexed, 1.0))
    held = VocabularyTerm.objects.filter(term=term).values_list("documents", flat=True).first()
    if held is None or held < estimate:
        VocabularyTerm.objects.update_or_create(term=term, defaults={"documents": estimate})
