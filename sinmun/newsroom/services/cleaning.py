"""Validation shared by every write: headline, 부제, body, keywords, photos.

Each ``clean_*`` returns the normalised value or raises ``ValidationError`` with one of the
message constants below (the desk shows them; tests assert on them).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.base import File

from .. import bodyhtml, photos

HEADLINE_REQUIRED = "제목을 입력하세요."
HEADLINE_TOO_LONG = "제목은 300자를 넘을 수 없습니다."
SUBHEADLINES_NOT_LIST = "부제는 문자열 목록이어야 합니다."
SUBHEADLINES_TOO_MANY = "부제는 6줄까지 쓸 수 있습니다."
SUBHEADLINE_TOO_LONG = "부제 한 줄은 200자를 넘을 수 없습니다."
BODY_REQUIRED = "본문을 입력하세요."
KEYWORD_INVALID = "키워드는 1~50자여야 합니다."
KEYWORD_SLASH = "키워드에는 '/'를 쓸 수 없습니다 (키워드 페이지 주소의 한 부분이 됩니다)."
NAME_REQUIRED = "이름을 입력하세요."
# Photo refusals are the photos module's; these two names are the ones callers already use.
PHOTO_TOO_LARGE = photos.PHOTO_TOO_LARGE
PHOTO_NOT_IMAGE = photos.PHOTO_NOT_IMAGE

MAX_SUBHEADLINES = 6
MAX_PHOTO_BYTES = photos.MAX_PHOTO_BYTES
MAX_PHOTO_PIXELS = photos.MAX_PHOTO_PIXELS
PHOTO_FORMATS = photos.PHOTO_FORMATS
# Control characters (C0 but tab and newline, DEL, C1) never belong in a headline or 부제.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_line(value: str) -> str:
    """Return one line of text NFC-normalised, without control characters, spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", value)).split())


def clean_name(value: object) -> str:
    """Return a section, series or reporter name as one clean line, or raise."""
    name = clean_line(value) if isinstance(value, str) else ""
    if not name:
        raise ValidationError(NAME_REQUIRED, code="name")
    return name


def clean_headline(value: object) -> str:
    """Return the normalised headline or raise ``ValidationError``."""
    if not isinstance(value, str) or not clean_line(value):
        raise ValidationError(HEADLINE_REQUIRED, code="headline")
    headline = clean_line(value)
    if len(headline) > 300:
        raise ValidationError(HEADLINE_TOO_LONG, code="headline")
    return headline


def clean_subheadlines(value: object) -> list[str]:
    """Return the normalised 부제 lines (empty lines dropped) or raise ``ValidationError``."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(SUBHEADLINES_NOT_LIST, code="subheadlines")
    lines = [line for line in (clean_line(v) for v in value) if line]
    if len(lines) > MAX_SUBHEADLINES:
        raise ValidationError(SUBHEADLINES_TOO_MANY, code="subheadlines")
    if any(len(line) > 200 for line in lines):
        raise ValidationError(SUBHEADLINE_TOO_LONG, code="subheadlines")
    return lines


def clean_body(value: object) -> tuple[str, str]:
    """Return ``(sanitised_html, plain_text)`` or raise ``ValidationError``."""
    if not isinstance(value, str):
        raise ValidationError(BODY_REQUIRED, code="body")
    body = bodyhtml.sanitize(unicodedata.normalize("NFC", value))
    text = bodyhtml.to_text(body)
    if not text:
        raise ValidationError(BODY_REQUIRED, code="body")
    return body, text


def clean_keyword(value: str) -> str:
    """Return the keyword normalised (NFC, single spaces) or raise ``ValidationError``."""
    name = clean_line(value) if isinstance(value, str) else ""
    if not 1 <= len(name) <= 50:
        raise ValidationError(KEYWORD_INVALID, code="keyword")
    if "/" in name:
        # /keyword/<name>/ could not tell the name's slash from the path's.
        raise ValidationError(KEYWORD_SLASH, code="keyword")
    return name


def clean_photo(photo: File) -> None:
    """Raise ``ValidationError`` unless ``photo`` is a modest JPEG, PNG, WebP or GIF still.

    The checks and their messages are ``photos.validate``'s (content, not name; size and pixel
    limits before decoding; truncated files, animations and polyglots refused).
    """
    photos.validate(photo, max_bytes=MAX_PHOTO_BYTES, max_pixels=MAX_PHOTO_PIXELS)
