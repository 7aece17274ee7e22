"""Reading and checking ninjs items: JSON (array, object or JSON Lines) into ``ParsedItem``s.

Pure: nothing here writes. Every problem becomes an ``ItemError`` naming the item, its uri and
the field, so a bad file is reported whole (docs/decisions/0003).
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from sinmun.newsroom import bodyhtml, services
from sinmun.newsroom.models import Article

NOT_JSON = "JSON이 아닙니다"
NOT_OBJECT = "항목은 JSON 객체여야 합니다"
URI_REQUIRED = "uri가 없습니다"
URI_DUPLICATE = "같은 uri가 파일에 두 번 나옵니다"
HEADLINE_MISSING = "role이 main인 제목이 없습니다"
BODY_MISSING = "contenttype이 text/html인 본문이 없습니다"
SECTION_MISSING = "rel이 section인 subject가 없습니다"
SECTION_TWICE = "rel이 section인 subject가 둘 이상입니다"
SERIES_TWICE = "rel이 series인 subject가 둘 이상입니다"
UNKNOWN_REL = "알 수 없는 rel입니다"
BAD_LANGUAGE = "language는 ko이거나 없어야 합니다"
BAD_PUBSTATUS = "pubstatus는 usable, withheld, canceled 중 하나여야 합니다"
BAD_TYPE = "type은 text여야 합니다"
BAD_TIME = "시간대가 있는 ISO 8601 시각이어야 합니다"
HOSTILE_HTML = "본문에 허용되지 않는 요소가 있습니다"
WRONG_TYPE = "형식이 잘못되었습니다"
BAD_CHARACTERS = "쓸 수 없는 문자(NUL 또는 짝 없는 서로게이트)가 있습니다"
TOO_DEEP = "JSON이 너무 깊게 중첩되어 있습니다"
BAD_EMBARGO = "엠바고(embargoed)는 시간대가 있는 ISO 8601 시각이어야 합니다"
NO_ITEMS = "가져올 항목이 없습니다 (빈 파일이거나 빈 배열입니다)"

PUBSTATUS_TO_STATUS = {
    "usable": Article.Status.PUBLISHED,
    "withheld": Article.Status.DRAFT,
    "canceled": Article.Status.WITHDRAWN,
}
STATUS_TO_PUBSTATUS = {
    Article.Status.PUBLISHED: "usable",
    Article.Status.DRAFT: "withheld",
    Article.Status.SUBMITTED: "withheld",
    Article.Status.WITHDRAWN: "canceled",
}
SUBJECT_URI_PREFIX = "sinmun:"
KNOWN_RELS = {"section", "series", "keyword"}


@dataclass
class ItemError:
    index: int
    uri: str | None
    field: str
    message: str

    def __str__(self) -> str:
        # Index 0 is the file itself: a syntax error in one JSON document is no item's.
        where = "파일" if self.index == 0 else f"항목 {self.index}"
        where += f" ({self.uri})" if self.uri else ""
        return f"{where}: {self.field}: {self.message}"


class NinjsError(Exception):
    """Raised with every problem found in a file; nothing was written."""

    def __init__(self, errors: list[ItemError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Subject:
    name: str
    uri: str | None


@dataclass
class ParsedItem:
    index: int
    uri: str
    headline: str
    subheadlines: list[str]
    body: str
    reporters: list[str]
    section: Subject
    series: Subject | None
    keywords: list[str]
    status: str
    first_published_at: datetime | None
    updated_at: datetime | None
    photo: dict[str, str] = field(default_factory=dict)
    # The end of an embargo still to come (``embargoed`` in the item), else None.
    embargo_until: datetime | None = None
    # What ``article_import`` stores: a released item's embargo is its 입력 time; one not
    # released yet keeps the time in ``release_at`` for the desk's 출고.
    embargoed: bool = False
    release_at: datetime | None = None


def read_items(text: str) -> list[object]:
    """Return the items of a ninjs file: a JSON array, one object, or JSON Lines."""
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        return []
    try:
        value = json.loads(stripped)
    except RecursionError:
        raise NinjsError([ItemError(0, None, "file", TOO_DEEP)]) from None
    except json.JSONDecodeError as whole_error:
        return _read_json_lines(stripped, whole_error)
    return value if isinstance(value, list) else [value]


def _read_json_lines(text: str, whole_error: json.JSONDecodeError) -> list[object]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except RecursionError:
            raise NinjsError([ItemError(len(items) + 1, None, f"{number}행", TOO_DEEP)]) from None
        except json.JSONDecodeError as error:
            if number == 1:
                # A first line that is not JSON means the file is not JSON Lines either: it is
                # one document (a pretty-printed array, say), and the whole-file parse knows
                # where it really broke; that place belongs to the file, not to an item.
                where = f"{whole_error.lineno}행 {whole_error.colno}열"
                raise NinjsError(
                    [ItemError(0, None, where, f"{NOT_JSON} ({whole_error.msg})")]
                ) from None
            where = f"{number}행 {error.colno}열"
            raise NinjsError(
                [ItemError(len(items) + 1, None, where, f"{NOT_JSON} ({error.msg})")]
            ) from None
    return items


def _bad_text(value: object) -> bool:
    """Return True if a string anywhere in ``value`` has NUL or a lone surrogate.

    JSON allows both (``\\u0000``, ``\\ud800``); neither can be stored in PostgreSQL text or
    encoded as UTF-8, so they are refused up front rather than failing at save time.
    """
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_bad_text(k) or _bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_bad_text(v) for v in value)
    return False


def _parse_time(
    value: object, index: int, uri: str, name: str, errors: list[ItemError], message=BAD_TIME
):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        # Both databases store years 1..9999 in UTC; keep well inside that.
        if parsed is not None and parsed.tzinfo is not None and 1900 <= parsed.year <= 9000:
            return parsed
    errors.append(ItemError(index, uri, name, message))
    return None


def _list_of_objects(item: dict, name: str, index: int, uri: str, errors: list) -> list[dict]:
    value = item.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        errors.append(ItemError(index, uri, name, WRONG_TYPE))
        return []
    return value


def _string(entry: dict, key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def parse_item(raw: object, index: int, errors: list[ItemError]) -> ParsedItem | None:
    """Check one ninjs item; append every problem to ``errors``; return it parsed if clean."""
    if not isinstance(raw, dict):
        errors.append(ItemError(index, None, "item", NOT_OBJECT))
        return None
    start = len(errors)
    bad_fields = [key for key, value in raw.items() if _bad_text(key) or _bad_text(value)]
    if bad_fields:
        uri = raw.get("uri") if "uri" not in bad_fields else None
        label = uri if isinstance(uri, str) else None
        for key in bad_fields:
            errors.append(ItemError(index, label, str(key), BAD_CHARACTERS))
        return None
    uri = raw.get("uri")
    if not isinstance(uri, str) or not uri.strip() or len(uri) > 255:
        errors.append(ItemError(index, None, "uri", URI_REQUIRED))
        uri = None
    label = uri or None
    if raw.get("type", "text") != "text":
        errors.append(ItemError(index, label, "type", BAD_TYPE))
    language = raw.get("language")
    if language is not None and (
        not isinstance(language, str) or language.lower().split("-")[0] != "ko"
    ):
        errors.append(ItemError(index, label, "language", BAD_LANGUAGE))
    pubstatus = raw.get("pubstatus", "usable")
    if not isinstance(pubstatus, str) or pubstatus not in PUBSTATUS_TO_STATUS:
        errors.append(ItemError(index, label, "pubstatus", BAD_PUBSTATUS))

    headlines = _list_of_objects(raw, "headlines", index, label, errors)
    main = [_string(h, "value") for h in headlines if h.get("role", "main") == "main"]
    headline = next((m for m in main if m and m.strip()), None)
    subheadlines = [_string(h, "value") for h in headlines if h.get("role") == "sub"]
    if headline is None:
        errors.append(ItemError(index, label, "headlines", HEADLINE_MISSING))
    if any(s is None for s in subheadlines):
        errors.append(ItemError(index, label, "headlines", WRONG_TYPE))
    for problem in _field_errors(services.clean_headline, headline) if headline else []:
        errors.append(ItemError(index, label, "headlines", problem))
    for problem in _field_errors(services.clean_subheadlines, [s for s in subheadlines if s]):
        errors.append(ItemError(index, label, "headlines", problem))

    bodies = _list_of_objects(raw, "bodies", index, label, errors)
    html_bodies = [b for b in bodies if b.get("contenttype") == "text/html"]
    html_bodies.sort(key=lambda b: b.get("role", "main") != "main")
    body = _string(html_bodies[0], "value") if html_bodies else None
    if body is None:
        errors.append(ItemError(index, label, "bodies", BODY_MISSING))
    else:
        hostile = bodyhtml.hostile_parts(body)
        if hostile:
            errors.append(
                ItemError(index, label, "bodies", f"{HOSTILE_HTML}: {', '.join(hostile[:5])}")
            )
        for problem in _field_errors(services.clean_body, body):
            errors.append(ItemError(index, label, "bodies", problem))

    by = raw.get("by", "")
    if not isinstance(by, str):
        errors.append(ItemError(index, label, "by", WRONG_TYPE))
        by = ""
    reporters = [name.strip() for name in by.split(",") if name.strip()]

    sections, series, keywords = [], [], []
    for subject in _list_of_objects(raw, "subjects", index, label, errors):
        name, rel = _string(subject, "name"), subject.get("rel")
        subject_uri = subject.get("uri")
        if not isinstance(rel, str) or rel not in KNOWN_RELS:
            errors.append(ItemError(index, label, "subjects", f"{UNKNOWN_REL}: {rel!r}"))
            continue
        if not name or not services.clean_line(name) or not isinstance(subject_uri, str | None):
            errors.append(ItemError(index, label, "subjects", WRONG_TYPE))
            continue
        {"section": sections, "series": series, "keyword": keywords}[rel].append(
            Subject(services.clean_line(name), subject_uri)
        )
    if not sections:
        errors.append(ItemError(index, label, "subjects", SECTION_MISSING))
    elif len(sections) > 1:
        errors.append(ItemError(index, label, "subjects", SECTION_TWICE))
    if len(series) > 1:
        errors.append(ItemError(index, label, "subjects", SERIES_TWICE))
    for keyword in keywords:
        for problem in _field_errors(services.clean_keyword, keyword.name):
            errors.append(ItemError(index, label, "subjects", f"{problem} ({keyword.name})"))

    first = _parse_time(raw.get("firstcreated"), index, label, "firstcreated", errors)
    version = _parse_time(raw.get("versioncreated"), index, label, "versioncreated", errors)
    embargo = _parse_time(raw.get("embargoed"), index, label, "embargoed", errors, BAD_EMBARGO)
    photo = _photo(raw, index, label, errors)

    if len(errors) > start:
        return None
    status = PUBSTATUS_TO_STATUS[pubstatus]
    now = timezone.now()
    if status == Article.Status.PUBLISHED and first is None:
        first = version or now
    # An embargo already over restricts nothing, and a canceled item releases nothing.
    if embargo is not None and (embargo <= now or status == Article.Status.WITHDRAWN):
        embargo = None
    embargoed, release_at = embargo is not None, None
    if embargo is not None and status == Article.Status.PUBLISHED:
        # Released under embargo: readers see it from its 입력 time, so that time is the
        # embargo's end, or the item's own time if that is later (as the desk's 엠바고 출고).
        first = max(first, embargo)
    elif embargo is not None:
        release_at = embargo
    return ParsedItem(
        index=index,
        uri=uri,
        headline=headline,
        subheadlines=subheadlines,
        body=body,
        reporters=reporters,
        section=sections[0],
        series=series[0] if series else None,
        keywords=[k.name for k in keywords],
        status=status,
        first_published_at=first,
        updated_at=version if version and first and version > first else None,
        photo=photo,
        embargo_until=embargo,
        embargoed=embargoed,
        release_at=release_at,
    )


def _field_errors(check, value) -> list[str]:
    try:
        check(value)
    except ValidationError as error:
        return list(error.messages)
    return []


def _photo(raw: dict, index: int, uri: str | None, errors: list[ItemError]) -> dict[str, str]:
    """Return caption, credit and a local media path from ``associations.featureimage``.

    Only photos already in this site's media storage are linked: fetching remote images at
    import time would make imports depend on the network.
    """
    associations = raw.get("associations") or {}
    image = associations.get("featureimage") if isinstance(associations, dict) else None
    if image is None:
        return {}
    if not isinstance(image, dict):
        errors.append(ItemError(index, uri, "associations", WRONG_TYPE))
        return {}
    descriptions = image.get("descriptions") or []
    credit = image.get("by", "")
    if not isinstance(descriptions, list) or not isinstance(credit, str):
        errors.append(ItemError(index, uri, "associations", WRONG_TYPE))
        return {}
    caption = next((_string(d, "value") or "" for d in descriptions if isinstance(d, dict)), "")
    href = ""
    renditions = image.get("renditions")
    if isinstance(renditions, dict) and isinstance(renditions.get("original"), dict):
        href = _string(renditions["original"], "href") or ""
    return {"caption": caption, "credit": credit, "name": _local_media(href)}


def _local_media(href: str) -> str:
    """Return the media-storage name ``href`` points to, or "" if it is not one of ours."""
    try:
        path = unquote(urlsplit(href).path)
    except ValueError:
        return ""
    if not path.startswith(settings.MEDIA_URL):
        return ""
    candidate = path[len(settings.MEDIA_URL) :]
    parts = candidate.split("/")
    if not candidate or ".." in parts or "" in parts:
        return ""
    try:
        return candidate if default_storage.exists(candidate) else ""
    except (SuspiciousFileOperation, ValueError, OSError):
        return ""


def parse_all(raw_items: Iterable[object]) -> list[ParsedItem]:
    """Check every item; raise ``NinjsError`` with all problems, or return the parsed items."""
    errors: list[ItemError] = []
    parsed, seen = [], set()
    for index, raw in enumerate(raw_items, start=1):
        item = parse_item(raw, index, errors)
        if item is None:
            continue
        if item.uri in seen:
            errors.append(ItemError(index, item.uri, "uri", URI_DUPLICATE))
        seen.add(item.uri)
        parsed.append(item)
    if errors:
        raise NinjsError(errors)
    return parsed
