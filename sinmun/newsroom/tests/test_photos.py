"""Check photo uploads: judged by content, limits, cleaning, content names and renditions."""

import io
import json
import os
import random
import re
import struct
import tracemalloc
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import ExifTags, Image, ImageDraw, PngImagePlugin

from sinmun.newsroom import photos, services

RED, BLUE = (220, 20, 20), (20, 20, 220)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Store this test's files in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def encode(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def halves(size=(40, 20)) -> Image.Image:
    """Return an image red on its left half and blue on its right."""
    image = Image.new("RGB", size, BLUE)
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 2 - 1, size[1]], fill=RED)
    return image


def noise(size=(400, 300)) -> Image.Image:
    """Return an image that compresses badly, so that half of its file is half of its pixels."""
    return Image.frombytes("RGB", size, random.Random(str(size)).randbytes(size[0] * size[1] * 3))


def upload(data: bytes, name: str = "photo.jpg") -> ContentFile:
    return ContentFile(data, name=name)


def png_header(width: int, height: int) -> bytes:
    """Return a tiny PNG that claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def refusal(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        call(*args, **kwargs)
    return error.value


def reopened(content: ContentFile) -> Image.Image:
    content.seek(0)
    return Image.open(io.BytesIO(content.read()))


# Judged by content ------------------------------------------------------------------------------


def test_a_jpeg_is_cleaned_into_a_jpeg_named_by_its_content():
    content = photos.clean_upload(upload(encode(halves())))
    assert re.fullmatch(r"[0-9a-f]{16}\.jpg", content.name)
    assert reopened(content).format == "JPEG"


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("WEBP", "webp"), ("GIF", "png")])
def test_the_format_comes_from_the_content_not_the_name(fmt, extension):
    content = photos.clean_upload(upload(encode(halves(), fmt), name="renamed.jpg"))
    assert content.name.endswith(f".{extension}")
    assert reopened(content).format == {"png": "PNG", "webp": "WEBP"}[extension]


@pytest.mark.parametrize(
    "payload",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>",
        b"#!/bin/sh\nrm -rf /\n",
        b"",
    ],
)
def test_markup_or_a_script_named_jpg_is_not_an_image(payload):
    error = refusal(photos.clean_upload, upload(payload, name="photo.jpg"))
    assert error.messages == [photos.PHOTO_NOT_IMAGE]
    assert error.code == "photo_not_image"


def test_an_image_format_outside_the_four_is_refused():
    error = refusal(photos.clean_upload, upload(encode(halves(), "BMP"), name="photo.jpg"))
    assert error.messages == [photos.PHOTO_UNSUPPORTED_FORMAT]


def test_an_animated_gif_is_refused():
    frames = [Image.new("RGB", (20, 20), colour) for colour in (RED, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    error = refusal(photos.clean_upload, upload(data, name="clip.gif"))
    assert error.messages == [photos.PHOTO_ANIMATED]


def test_a_still_gif_is_taken():
    assert photos.clean_upload(upload(encode(halves(), "GIF"), name="still.gif")).size > 0


def test_an_image_carrying_a_script_is_refused_as_a_polyglot():
    data = encode(halves()) + b"<script>fetch('/desk/')</script>"
    assert photos.clean_upload(upload(encode(halves())))  # the same photo without it is fine
    error = refusal(photos.clean_upload, upload(data))
    assert error.messages == [photos.PHOTO_POLYGLOT]


def test_a_truncated_jpeg_is_refused():
    whole = encode(noise())
    assert photos.clean_upload(upload(whole))
    error = refusal(photos.clean_upload, upload(whole[: len(whole) // 2]))
    assert error.messages == [photos.PHOTO_CORRUPT]


# Limits -----------------------------------------------------------------------------------------


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read():
    data = encode(halves())
    assert photos.clean_upload(upload(data), max_bytes=len(data))
    error = refusal(photos.clean_upload, upload(data), max_bytes=len(data) - 1)
    assert error.messages == [photos.PHOTO_TOO_LARGE]
    assert error.code == "photo_too_many_bytes"


def test_the_byte_limit_is_twenty_megabytes():
    assert photos.MAX_PHOTO_BYTES == services.MAX_PHOTO_BYTES == 20 * 1024 * 1024
    error = refusal(photos.clean_upload, upload(b"\xff" * (photos.MAX_PHOTO_BYTES + 1)))
    assert error.code == "photo_too_many_bytes"


def test_a_file_without_a_size_is_measured_as_it_is_read():
    data = encode(halves())
    error = refusal(photos.validate, io.BytesIO(data), max_bytes=len(data) - 1)
    assert error.code == "photo_too_many_bytes"


def test_a_photo_over_the_pixel_limit_is_refused():
    data = encode(halves((40, 20)))
    assert photos.clean_upload(upload(data), max_pixels=800)
    error = refusal(photos.clean_upload, upload(data), max_pixels=799)
    assert error.messages == [photos.PHOTO_TOO_LARGE]
    assert error.code == "photo_too_many_pixels"


@pytest.mark.parametrize(
    "size",
    [
        (8_000, 8_000),  # 64 MP: over Sinmun's limit, under Pillow's
        (10_000, 10_000),  # 100 MP: Pillow warns
        (100_000, 100_000),  # 10 GP: Pillow refuses
    ],
)
def test_a_decompression_bomb_is_refused_without_decoding_it(size):
    bomb = png_header(*size)
    assert len(bomb) < 200
    tracemalloc.start()
    try:
        error = refusal(photos.clean_upload, upload(bomb, name="bomb.png"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "photo_too_many_pixels"
    # Decoding would need 192 MB or more; refusing needs almost nothing.
    assert peak < 2 * 1024 * 1024


def test_the_services_check_is_the_photos_check():
    frames = [Image.new("RGB", (20, 20), colour) for colour in (RED, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    error = refusal(services.clean_photo, upload(data, name="clip.gif"))
    assert error.messages == [photos.PHOTO_ANIMATED]


# Cleaning ---------------------------------------------------------------------------------------


def test_the_exif_orientation_is_applied_to_the_pixels():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "turn 90° clockwise to view"
    content = photos.clean_upload(upload(encode(halves((40, 20)), exif=exif)))
    upright = reopened(content).convert("RGB")
    assert upright.size == (20, 40)
    # The left half (red) is on top once turned clockwise.
    top, bottom = upright.getpixel((10, 5)), upright.getpixel((10, 35))
    assert top[0] > 180 and top[2] < 80
    assert bottom[2] > 180 and bottom[0] < 80
    assert ExifTags.Base.Orientation not in reopened(content).getexif()


def test_gps_and_every_other_metadata_are_stripped():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 33.0, 59.0)
    data = encode(halves(), exif=exif, comment=b"source at home", xmp=b"<x:xmpmeta/>")
    before = Image.open(io.BytesIO(data))
    assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert {"exif", "comment", "xmp"} <= set(before.info)

    after = reopened(photos.clean_upload(upload(data)))
    assert not after.getexif()
    assert not after.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "comment", "xmp", "icc_profile"} & set(after.info)


def test_png_text_is_stripped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "reporter's home address")
    after = reopened(photos.clean_upload(upload(encode(halves(), "PNG", pnginfo=info))))
    assert after.format == "PNG"
    assert "Comment" not in after.info
    assert not getattr(after, "text", {})


def test_the_name_changes_with_the_content_and_only_with_it():
    first = photos.clean_upload(upload(encode(halves()), name="a.jpg")).name
    again = photos.clean_upload(upload(encode(halves()), name="b.jpg")).name
    other = photos.clean_upload(upload(encode(halves().transpose(Image.Transpose.FLIP_LEFT_RIGHT))))
    assert first == again
    assert other.name != first


# Storing and renditions -------------------------------------------------------------------------


def test_store_upload_saves_under_the_month_and_makes_the_renditions():
    name = photos.store_upload(upload(encode(halves((2000, 1000)))))
    assert re.fullmatch(r"photos/\d{4}/\d{2}/[0-9a-f]{16}\.jpg", name)
    assert default_storage.exists(name)
    for kind in photos.KINDS:
        for fmt in photos.FORMATS:
            assert default_storage.exists(photos.rendition_name(name, kind, fmt))


def test_the_same_photo_stored_twice_is_one_file():
    data = encode(halves((600, 300)))
    first = photos.store_upload(upload(data, name="a.jpg"))
    files = sorted(_files())
    assert photos.store_upload(upload(data, name="b.jpg")) == first
    assert sorted(_files()) == files


def refuse_to_decode(*args, **kwargs):
    raise AssertionError("an image was opened where none should be")


def _files() -> list[str]:
    root = default_storage.location
    return [os.path.join(folder, f) for folder, _, names in os.walk(root) for f in names]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            (2000, 1000),
            {
                "thumb": (320, 160),
                "card": (640, 320),
                "lead": (1280, 640),
                "share": (1200, 630),
                "square": (1200, 1200),
                "4x3": (1200, 900),
                "16x9": (1200, 675),
            },
        ),
        (
            (500, 250),  # never upscaled, but the share image is always 1200 × 630
            {"thumb": (320, 160), "card": (500, 250), "lead": (500, 250), "share": (1200, 630)},
        ),
    ],
)
def test_renditions_have_their_sizes_in_both_formats(source, expected):
    name = photos.store_upload(upload(encode(halves(source))))
    for kind, size in expected.items():
        for fmt, pillow_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
            with default_storage.open(photos.rendition_name(name, kind, fmt)) as file:
                image = Image.open(file)
                assert (image.format, image.size) == (pillow_format, size), (kind, fmt)
            found = photos.rendition(name, kind, fmt)
            assert (found.width, found.height) == size


def test_the_share_image_is_cropped_from_the_centre():
    tall = Image.new("RGB", (1200, 2000), RED)
    ImageDraw.Draw(tall).rectangle([0, 600, 1200, 1400], fill=BLUE)
    name = photos.store_upload(upload(encode(tall)))
    with default_storage.open(photos.rendition_name(name, "share", "jpeg")) as file:
        share = Image.open(file).convert("RGB")
        assert share.getpixel((600, 5))[2] > 180  # the blue middle band, not the red top


def test_a_transparent_png_has_a_white_jpeg_and_a_transparent_webp():
    image = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    name = photos.store_upload(upload(encode(image, "PNG"), name="logo.png"))
    with default_storage.open(photos.rendition_name(name, "card", "jpeg")) as file:
        assert Image.open(file).convert("RGB").getpixel((5, 5)) == (255, 255, 255)
    with default_storage.open(photos.rendition_name(name, "card", "webp")) as file:
        assert Image.open(file).convert("RGBA").getpixel((5, 5))[3] == 0


def test_ensure_renditions_makes_nothing_the_second_time(monkeypatch):
    name = photos.store_upload(upload(encode(halves((800, 400)))))
    mtimes = {path: os.stat(path).st_mtime_ns for path in _files()}
    monkeypatch.setattr(Image, "open", refuse_to_decode)
    assert photos.ensure_renditions(name) == []
    assert {path: os.stat(path).st_mtime_ns for path in _files()} == mtimes


def test_ensure_renditions_makes_only_what_is_missing():
    name = photos.store_upload(upload(encode(halves((800, 400)))))
    gone = photos.rendition_name(name, "card", "webp")
    default_storage.delete(gone)
    assert photos.ensure_renditions(name) == [gone]


def test_a_photo_stored_before_renditions_gets_them_later():
    name = default_storage.save("photos/2024/05/old.jpg", upload(encode(halves((800, 400)))))
    assert photos.rendition(name, "card") is None
    assert photos.srcset(name, "webp") == ""
    made = photos.ensure_renditions(name)
    assert len(made) == len(photos.KINDS) * len(photos.FORMATS) + 1
    assert photos.manifest_name(name) in made
    card = photos.rendition(name, "card")
    assert card.url == "/media/renditions/photos/2024/05/old-card.jpg"
    assert (card.width, card.height) == (640, 320)


def test_rendition_urls_change_when_the_photo_changes():
    one = photos.store_upload(upload(encode(halves((800, 400)))))
    two = photos.store_upload(upload(encode(halves((800, 400)).rotate(180))))
    assert photos.rendition(one, "share").url != photos.rendition(two, "share").url


def test_rendition_decodes_nothing(monkeypatch):
    name = photos.store_upload(upload(encode(halves((800, 400)))))
    monkeypatch.setattr(Image, "open", refuse_to_decode)
    photos._manifests.clear()  # read the manifest from storage again, still without Pillow
    assert photos.rendition(name, "lead", "webp").width == 800
    assert photos.srcset(name, "jpeg")


def test_srcset_lists_each_width_once():
    name = photos.store_upload(upload(encode(halves((500, 250)))))
    stem = "/media/renditions/" + name.removesuffix(".jpg")
    assert photos.srcset(name, "webp") == f"{stem}-thumb.webp 320w, {stem}-card.webp 500w"


def test_the_manifest_lists_the_sizes():
    name = photos.store_upload(upload(encode(halves((2000, 1000)))))
    with default_storage.open(photos.manifest_name(name)) as file:
        listing = json.load(file)
    assert listing["source"] == name
    assert listing["sizes"]["lead"] == [1280, 640]


def test_unknown_kinds_and_formats_are_programming_errors():
    with pytest.raises(ValueError, match="kind"):
        photos.rendition("photos/a.jpg", "poster")
    with pytest.raises(ValueError, match="format"):
        photos.rendition("photos/a.jpg", "card", "avif")


# The command ------------------------------------------------------------------------------------


def test_the_command_makes_renditions_for_lead_and_inline_photos(newsroom, capsys):
    lead = default_storage.save("photos/2024/05/lead.jpg", upload(encode(halves((800, 400)))))
    inline = default_storage.save("photos/2024/05/inline.png", upload(encode(halves(), "PNG")))
    newsroom.article(
        lead_photo=lead,
        body=f'<p>본문</p><figure><img src="/media/{inline}" alt="설명"></figure>',
    )
    call_command("photos_renditions")
    assert photos.rendition(lead, "card") is not None
    assert photos.rendition(inline, "thumb") is not None
    # 2 photos × 7 kinds × 2 formats, and a manifest each.
    assert "사진 2장 확인, 새 파일 30개" in capsys.readouterr().out
    call_command("photos_renditions")
    assert "사진 2장 확인, 새 파일 0개" in capsys.readouterr().out


def test_the_command_names_a_missing_photo_and_goes_on(newsroom, capsys):
    good = default_storage.save("photos/2024/05/good.jpg", upload(encode(halves((800, 400)))))
    newsroom.article(lead_photo="photos/2024/05/missing.jpg")
    newsroom.article(lead_photo=good)
    with pytest.raises(CommandError, match="1장"):
        call_command("photos_renditions")
    assert "photos/2024/05/missing.jpg" in capsys.readouterr().err
    assert photos.rendition(good, "card") is not None
