"""The API's documented shapes (OpenAPI 3 components): one envelope for lists, one for items,
one for errors."""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

MAX_PAGE = 10_000
MAX_PER_PAGE = 100
BAD_DAY = "날짜는 YYYY-MM-DD 형식이어야 합니다"


def _iso_day(value: object) -> object:
    # Pydantic alone would read "0" as 1970-01-01 (a Unix time); a day filter takes a day.
    if isinstance(value, date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        return value
    raise ValueError(BAD_DAY)


IsoDay = Annotated[date, BeforeValidator(_iso_day)]


class ArticleQuery(Schema):
    section: str | None = Field(None, description="섹션 슬러그 (하위 섹션 포함)")
    series: str | None = Field(None, description="연재 슬러그")
    reporter: str | None = Field(None, description="기자 슬러그")
    keyword: str | None = Field(None, description="키워드")
    since: IsoDay | None = Field(None, description="이날(한국 날짜)부터")
    until: IsoDay | None = Field(None, description="이날(한국 날짜)까지")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)


class DetailQuery(Schema):
    format: Literal["json", "ninjs"] = Field("json", description="ninjs: IPTC ninjs 2.x 항목으로")


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="검색어")
    section: str | None = Field(None, description="섹션 슬러그")
    reporter: str | None = Field(None, description="기자 슬러그")
    since: IsoDay | None = Field(None, description="이날(한국 날짜)부터")
    until: IsoDay | None = Field(None, description="이날(한국 날짜)까지")
    sort: Literal["relevance", "newest"] = "relevance"
    # The site's search pages stop at 500 (search.selectors.MAX_PAGE).
    page: int = Field(1, ge=1, le=500)


class Error(Schema):
    code: str
    message: str
    details: list[str] = []


class ErrorOut(Schema):
    error: Error


class Meta(Schema):
    page: int
    per_page: int
    total: int
    next: str | None


class SearchMeta(Meta):
    # More matches than counted: ``total`` is a lower bound ("2,000건 이상").
    capped: bool
    suggestion: str | None


class Ref(Schema):
    slug: str
    name: str


class SectionOut(Ref):
    parent: str | None
    url: str


class ReporterOut(Ref):
    title: str
    url: str


class PhotoOut(Schema):
    url: str
    caption: str
    credit: str


class ArticleOut(Schema):
    id: str
    uri: str
    url: str
    headline: str
    subheadlines: list[str]
    label: str
    section: Ref
    series: Ref | None
    reporters: list[ReporterOut]
    byline: str
    excerpt: str
    first_published_at: datetime
    updated_at: datetime | None
    lead_photo: PhotoOut | None


class ArticleDetailOut(ArticleOut):
    body: str
    keywords: list[str]


class SearchHitOut(ArticleOut):
    snippet: str


class ArticleList(Schema):
    data: list[ArticleOut]
    meta: Meta


class ArticleOne(Schema):
    data: ArticleDetailOut


class SectionList(Schema):
    data: list[SectionOut]
    meta: Meta


class ReporterList(Schema):
    data: list[ReporterOut]
    meta: Meta


class SearchList(Schema):
    data: list[SearchHitOut]
    meta: SearchMeta


class WrittenOut(Schema):
    id: str
    uri: str
    status: str
    created: bool
    embargoed: bool
    first_published_at: datetime | None
    release_at: datetime | None
    url: str | None


class WrittenOne(Schema):
    data: WrittenOut


# The request body of the write endpoints, for the documentation and for generated tests:
# a ninjs 2.x item as Sinmun reads it (docs/decisions/0003, README "ninjs"). The item is
# checked by the ninjs parser, whose errors name each field in Korean.
_TEXT_ROLE = {
    "type": "object",
    "properties": {"role": {"type": "string"}, "value": {"type": "string"}},
    "required": ["value"],
}
NINJS_ITEM = {
    "type": "object",
    "required": ["uri", "headlines", "bodies", "subjects"],
    "properties": {
        "uri": {"type": "string", "maxLength": 255},
        "type": {"type": "string", "enum": ["text"]},
        "language": {"type": "string", "example": "ko"},
        "pubstatus": {"type": "string", "enum": ["usable", "withheld", "canceled"]},
        "headlines": {"type": "array", "items": _TEXT_ROLE},
        "bodies": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "role": {"type": "string"},
                    "contenttype": {"type": "string", "enum": ["text/html"]},
                    "value": {"type": "string"},
                },
                "required": ["contenttype", "value"],
            },
        },
        "by": {"type": "string", "description": "기자 이름, 쉼표로 구분 (이미 있는 기자)"},
        "subjects": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "rel": {"type": "string", "enum": ["section", "series", "keyword"]},
                    "uri": {"type": "string", "description": "sinmun:section:<slug>"},
                },
                "required": ["name", "rel"],
            },
        },
        "firstcreated": {"type": "string", "format": "date-time"},
        "versioncreated": {"type": "string", "format": "date-time"},
        "embargoed": {"type": "string", "format": "date-time"},
    },
}
