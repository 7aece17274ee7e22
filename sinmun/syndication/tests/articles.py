"""Articles readers must never see, made through the services, for every output's tests."""

from datetime import timedelta

from django.utils import timezone

from sinmun.newsroom import actors, services

HOSTILE_HEADLINE = "</script><script>alert(1)</script> <!-- 속보"
HOSTILE_NAME = "<김&이>"


def hidden_articles(newsroom) -> dict:
    """Return a withdrawn, an unpublished, a 예약 and an embargoed article, by kind."""
    withdrawn = newsroom.article(headline="회수된 기사")
    services.article_withdraw(article=withdrawn, by=actors.DEMO)
    unpublished = newsroom.article(headline="작성 중인 기사", publish=False)
    scheduled = newsroom.article(headline="예약 출고 기사", minutes_ago=-60)
    embargoed, _ = services.article_import(
        by=actors.IMPORT,
        uri="urn:test:embargo",
        status="published",
        first_published_at=timezone.now() + timedelta(hours=3),
        updated_at=None,
        embargoed=True,
        headline="엠바고 기사",
        body="<p>엠바고가 걸린 본문.</p>",
        section=newsroom.bigtech,
        reporters=[newsroom.kim],
    )
    return {
        "withdrawn": withdrawn,
        "unpublished": unpublished,
        "scheduled": scheduled,
        "embargoed": embargoed,
    }


def hidden_marks(hidden: dict) -> list[str]:
    """Return what would betray a hidden article in any output: its public id and headline."""
    return [mark for a in hidden.values() for mark in (a.public_id, a.headline)]


def photo(name: str = "photo.jpg", size: tuple[int, int] = (64, 36)):
    """Return a small JPEG drawn with Pillow, ready for ``lead_photo=``."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(out, "JPEG")
    return ContentFile(out.getvalue(), name=name)
