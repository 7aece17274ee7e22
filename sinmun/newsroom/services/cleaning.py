"""Validation shared by every write: headline, 부제, body, keywords, photos.

Each ``clean_*`` returns the normalised value or raises ``ValidationError`` with one of the
message constants below (the desk shows them; tests assert on them).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.base import File
from PIL import Image, UnidentifiedImageError

from .. import bodyhtml

HEADLINE_REQUIRED = "제목을 입력하세요."
HEADLINE_TOO_LONG = "제목은 300자를 넘을 수 없습니다."
SUBHEADLINES_NOT_LIST = "부제는 문자열 목록이어야 합니다."
SUBHEADLINES_TOO_MANY = "부제는 6줄까지 쓸 수 있습니다."
SUBHEADLINE_TOO_LONG = "부제 한 줄은 200자를 넘을 수 없습니다."
BODY_REQUIRED = "본문을 입력하세요."
KEYWORD_INVALID = "키워드는 1~50자여야 합니다."
NAME_REQUIRED = "이름을 입력하세요."
PHOTO_TOO_LARGE = "사진은 20MB를 넘을 수 없습니다."
PHOTO_NOT_IMAGE = "사진 파일을 읽을 수 없습니다 (JPEG, PNG, WebP, GIF만 됩니다)."

MAX_SUBHEADLINES = 6
MAX_PHOTO_BYTES = 20 * 1024 * 1024
# Larger than any camera's output; a bigger claimed size is a decompression bomb.
MAX_PHOTO_PIXELS = 60_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
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
    if not 1 <= len(name) <= 50 or "/" in name:
        raise ValidationError(KEYWORD_INVALID, code="keyword")
    return name


def clean_photo(photo: File) -> None:
    """Raise ``ValidationError`` unless ``photo`` is a modest JPEG, PNG, WebP or GIF image."""
    if photo.size is not None and photo.size > MAX_PHOTO_BYTES:
        raise ValidationError(PHOTO_TOO_LARGE, code="photo")
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            if image.format not in PHOTO_FORMATS:
                raise ValidationError(PHOTO_NOT_IMAGE, code="photo")
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise ValidationError(PHOTO_TOO_LARGE, code="photo")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(PHOTO_NOT_IMAGE, code="photo") from None
    finally:
        photo.seek(0)
