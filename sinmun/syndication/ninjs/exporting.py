"""Articles as ninjs 2.x items (times in +09:00, a canonical link for published ones)."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from sinmun.newsroom import selectors
from sinmun.newsroom.models import Article

from .parsing import STATUS_TO_PUBSTATUS, SUBJECT_URI_PREFIX


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _embargo_until(article: Article) -> datetime | None:
    """Return when the article's embargo ends, if it is under one that has not ended.

    Released, the embargo's end is the 입력 time; not released yet, it is the release time
    the desk's 출고 will use. A past embargo is history, not a restriction to pass on.
    """
    if not article.embargoed or article.status == Article.Status.WITHDRAWN:
        return None
    until = (
        article.first_published_at
        if article.status == Article.Status.PUBLISHED
        else article.release_at
    )
    return until if until is not None and until > timezone.now() else None


def to_ninjs(article: Article) -> dict[str, object]:
    """Return ``article`` as a ninjs 2.x item (times in KST, ``+09:00``)."""
    first = article.first_published_at
    item: dict[str, object] = {
        "uri": article.uri,
        "type": "text",
        "representationtype": "complete",
        "language": "ko",
        "pubstatus": STATUS_TO_PUBSTATUS[article.status],
        "headlines": [{"role": "main", "value": article.headline}]
        + [{"role": "sub", "value": line} for line in article.subheadlines],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": article.body}],
        "by": ", ".join(r.name for r in selectors.article_reporters(article)),
        "subjects": [
            {"name": article.section.name, "rel": "section",
             "uri": f"{SUBJECT_URI_PREFIX}section:{article.section.slug}"},
        ]
        + (
            [{"name": article.series.name, "rel": "series",
              "uri": f"{SUBJECT_URI_PREFIX}series:{article.series.slug}"}]
            if article.series_id
            else []
        )
        + [{"name": k.name, "rel": "keyword"} for k in article.keywords.all()],
        "altids": [{"role": "public_id", "value": article.public_id}],
    }  # fmt: skip
    if first:
        item["firstcreated"] = _iso(first)
        # 수정 if any, else 입력: an unpublished draft has no public version time to give.
        item["versioncreated"] = _iso(article.updated_at or first)
    embargo_until = _embargo_until(article)
    if embargo_until is not None:
        item["embargoed"] = _iso(embargo_until)
    if article.status == Article.Status.PUBLISHED:
        item["links"] = [
            {"rel": "canonical", "href": settings.SITE_URL + article.get_absolute_url()}
        ]
    if article.lead_photo or article.lead_photo_caption:
        image: dict[str, object] = {"type": "picture"}
        if article.lead_photo:
            image["renditions"] = {"original": {"href": settings.SITE_URL + article.lead_photo.url}}
        if article.lead_photo_caption:
            image["descriptions"] = [{"role": "caption", "value": article.lead_photo_caption}]
        if article.lead_photo_credit:
            image["by"] = article.lead_photo_credit
        item["associations"] = {"featureimage": image}
    return item


def export_items(queryset=None) -> Iterable[dict[str, object]]:
    """Yield every article (or those of ``queryset``) as ninjs, oldest first."""
    qs = queryset if queryset is not None else Article.objects.all()
    qs = selectors.teasers(qs).prefetch_related("keywords").order_by("first_published_at", "id")
    for article in qs.iterator(chunk_size=500):
        yield to_ninjs(article)
