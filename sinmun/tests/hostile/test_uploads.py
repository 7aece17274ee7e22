"""Hostile photo uploads through the desk's editor, as a compromised or careless account would
send them: polyglots, SVG, markup under an image name, path traversal in the file name.

A refusal names its reason on the editor page (400) and stores nothing: no article, no file
under MEDIA_ROOT. An accepted file is stored re-encoded under its content hash, inside MEDIA_ROOT.
"""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sinmun.newsroom import photos, roles
from sinmun.newsroom.models import Article

from . import checks


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 36), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'

REFUSED = [
    (
        "gif-js-polyglot.gif",
        _gif() + "*/=1;<script>alert('사진')</script>".encode(),
        photos.PHOTO_POLYGLOT,
    ),
    ("jpeg-html.jpg", _jpeg() + b"<html><body onload=alert(1)>", photos.PHOTO_POLYGLOT),
    ("drawing.svg", SVG, photos.PHOTO_NOT_IMAGE),
    ("drawing.jpg", SVG, photos.PHOTO_NOT_IMAGE),
    ("page.jpg", b"<!doctype html><script>alert(1)</script>", photos.PHOTO_NOT_IMAGE),
    # Django's own form check, in Korean, before the photo checks.
    ("empty.jpg", b"", "입력하신 파일은 빈 파일입니다."),
    ("cut.jpg", _jpeg()[:200], photos.PHOTO_CORRUPT),
]


@pytest.fixture
def desk(client, django_user_model, newsroom, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = django_user_model.objects.create(username="upload-admin")
    user.groups.add(Group.objects.get(name=roles.ADMIN))
    client.force_login(user)
    return client


def _post(desk, newsroom, upload):
    return desk.post(
        "/desk/articles/new/",
        {
            "headline": "사진을 올리는 기사",
            "subheadlines": "",
            "body": "<p>본문이다.</p>",
            "section": newsroom.bigtech.pk,
            "series": "",
            "reporters": [newsroom.kim.pk],
            "keywords": "",
            "lead_photo": upload,
            "lead_photo_caption": "사진 설명",
            "lead_photo_credit": "",
            "intent": "save",
        },
    )


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("name", "content", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_hostile_upload_is_refused_with_its_reason_and_nothing_stored(
    desk, newsroom, tmp_path, name, content, reason
):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = _post(desk, newsroom, upload)
    assert response.status_code == 400
    assert reason in checks.visible_text(response.content)
    assert Article.objects.count() == 0
    assert _files(tmp_path) == []


@pytest.mark.parametrize(
    "name", ["../../../etc/cron.d/x.jpg", "..\\..\\x.jpg", "a\x00.jpg", "사진 <script>.jpg"]
)
def test_a_hostile_file_name_never_reaches_the_disk(desk, newsroom, tmp_path, name):
    response = _post(desk, newsroom, SimpleUploadedFile(name, _jpeg(), content_type="image/png"))
    assert response.status_code == 302
    article = Article.objects.get()
    stored = Path(article.lead_photo.name)
    assert ".." not in stored.parts and "<" not in stored.name and "\x00" not in stored.name
    assert stored.name.split(".")[0].isalnum()  # its content hash
    for path in _files(tmp_path):
        assert path.resolve().is_relative_to(tmp_path.resolve())
    with Image.open(tmp_path / stored) as image:
        assert image.format == "JPEG"
