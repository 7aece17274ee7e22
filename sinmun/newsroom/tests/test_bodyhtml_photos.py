"""Check inline photos in bodies: which image sources survive, and the <picture> at render time."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from sinmun.newsroom import bodyhtml, photos


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Store this test's files in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def figure(src: str) -> str:
    return f'<figure><img src="{src}" alt="설명"><figcaption>설명 (사진=출처)</figcaption></figure>'


@pytest.mark.parametrize(
    "src",
    [
        "/media/photos/2026/12/0123456789abcdef.jpg",
        "https://img.example.com/a.jpg",
        "http://img.example.com/a.jpg",
    ],
)
def test_stored_photos_and_web_images_are_kept(src):
    assert bodyhtml.sanitize(figure(src)) == figure(src)


@pytest.mark.parametrize(
    "src",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "mailto:desk@example.com",
        "/desk/logout/",
        "photos/a.jpg",
        "/media/../desk/logout/",
        "/media/%2e%2e/desk/logout/",
        "/media/..\\desk/logout/",
        "//evil.example/a.gif",
    ],
)
def test_any_other_image_source_removes_the_image(src):
    assert bodyhtml.sanitize(figure(src)) == (
        "<figure><figcaption>설명 (사진=출처)</figcaption></figure>"
    )


def test_an_image_without_a_source_is_removed_but_the_text_stays():
    assert bodyhtml.sanitize('<p>가<img alt="a>b">나</p>') == "<p>가나</p>"


def test_with_srcset_leaves_bodies_without_renditions_alone():
    body = bodyhtml.sanitize(
        "<p>본문</p>" + figure("/media/photos/old.jpg") + figure("https://img.example.com/a.jpg")
    )
    assert bodyhtml.with_srcset(body) == body


def test_with_srcset_turns_a_stored_photo_into_a_picture():
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (1, 2, 3)).save(out, "JPEG")
    name = photos.store_upload(ContentFile(out.getvalue(), name="a.jpg"))
    body = bodyhtml.sanitize("<p>본문</p>" + figure(f"/media/{name}"))
    stem = "/media/renditions/" + name.removesuffix(".jpg")
    assert bodyhtml.with_srcset(body, sizes="50vw") == (
        "<p>본문</p><figure><picture>"
        f'<source type="image/webp" srcset="{stem}-thumb.webp 320w, {stem}-card.webp 640w,'
        f' {stem}-lead.webp 900w" sizes="50vw">'
        f'<img src="{stem}-lead.jpg" srcset="{stem}-thumb.jpg 320w, {stem}-card.jpg 640w,'
        f' {stem}-lead.jpg 900w" sizes="50vw" width="900" height="600" alt="설명"'
        ' loading="lazy" decoding="async"></picture>'
        "<figcaption>설명 (사진=출처)</figcaption></figure>"
    )
    assert bodyhtml.stored_photo_names(body) == [name]
