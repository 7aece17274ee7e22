"""The article list a portal partnership review asks for (Naver, Daum): one row per article.

``portal_rows`` is the one query behind ``sinmun export-articles`` and the 관리자 desk page: the
articles readers may see (``published_articles``) first published on the KST days from
``start`` to ``end`` inclusive, oldest first, with absolute canonical URLs.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.http import HttpRequest

from sinmun.korean.dates import KST, to_kst
from sinmun.newsroom import selectors

from . import canonical

BATCH = 500
HEADER = ("URL", "제목", "기자", "입력 시각", "섹션")
# Excel, which reviewers open the list with, reads a CSV without a byte order mark in the
# system's legacy code page (CP949 on Korean Windows) and garbles every Korean word.
BOM = "\ufeff"


@dataclass(frozen=True)
class PortalRow:
    url: str  # absolute canonical URL
    headline: str
    reporters: tuple[str, ...]  # byline order
    published_at: datetime  # 입력 time in KST
    section: str  # "정치 › 국회" for a child section

    def as_strings(self) -> tuple[str, str, str, str, str]:
        """Return the row as the export writes it (``HEADER`` order, ``+09:00`` times)."""
        return (
            self.url,
            self.headline,
            ", ".join(self.reporters),
            self.published_at.replace(microsecond=0).isoformat(),
            self.section,
        )


def portal_rows(
    *, start: date, end: date, request: HttpRequest | None = None
) -> Iterator[PortalRow]:
    """Yield the readable articles first published from ``start`` to ``end`` (KST days)."""
    since = datetime.combine(start, time.min, tzinfo=KST)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=KST)
    articles = (
        selectors.teasers(selectors.published_articles())
        .select_related("section__parent")
        .filter(first_published_at__gte=since, first_published_at__lt=until)
        .order_by("first_published_at", "id")
    )
    for article in articles.iterator(chunk_size=BATCH):
        yield PortalRow(
            url=canonical.absolute(article.get_absolute_url(), request),
            headline=article.headline,
            reporters=tuple(p.name for p in selectors.article_reporters(article)),
            published_at=to_kst(article.first_published_at),
            section=str(article.section),
        )


def csv_lines(rows: Iterable[PortalRow]) -> Iterator[str]:
    """Yield the list as CSV text (UTF-8 with a BOM when encoded): BOM and header, then rows.

    A generator, so the command and a desk download (``StreamingHttpResponse``) stream any
    range without holding it whole.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield BOM + line(HEADER)
    for row in rows:
        yield line(row.as_strings())
