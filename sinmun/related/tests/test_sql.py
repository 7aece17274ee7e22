"""The refresh path's plain SQL reads what the ORM would read (``sinmun/related/sql.py``)."""

from sinmun.newsroom.models import Article
from sinmun.related import engine, vocabulary
from sinmun.related.models import RelatedLink


def test_the_plain_sql_reads_give_what_the_orm_gives(newsroom):
    listed = newsroom.article(series=newsroom.column, keywords=["가람섬", "여객선"])
    other = newsroom.article(section=newsroom.politics, keywords=[])
    draft = newsroom.article(publish=False)
    RelatedLink.objects.create(article=listed, related=other, rank=0, score=0.5, pinned=True)
    RelatedLink.objects.create(article=listed, related=draft, rank=1, score=0.25)
    ids = [listed.pk, other.pk, draft.pk]

    meta = (
        Article.objects.filter(pk__in=ids, status=Article.Status.PUBLISHED)
        .values_list("pk", "first_published_at", "section_id", "section__parent_id", "series_id")
        .order_by()
    )
    # Aware datetimes (compared equal to the ORM's), the parent section, the series, no draft.
    assert engine._meta(ids) == {pk: tuple(rest) for pk, *rest in meta}
    assert set(engine._meta(ids)) == {listed.pk, other.pk}
    assert engine._stored(ids) == {listed.pk: [(other.pk, 0.5, True), (draft.pk, 0.25, False)]}
    names = {pk: sorted(found) for pk, found in vocabulary.keyword_names(ids).items()}
    assert names == {listed.pk: ["가람섬", "여객선"], draft.pk: ["반도체", "한결전자"]}
