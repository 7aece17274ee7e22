"""Ads fixtures: a 관리자, banners of every format made through the services, a spool of the
test's own."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from sinmun.ads import counting, services
from sinmun.ads.slots import FORMATS
from sinmun.newsroom import roles

HOSTILE_HTML = (
    '<script>parent.document.title="hacked";top.location="https://evil.example/";'
    'document.cookie="x=1"</script></iframe></aside><script>alert(1)</script>'
    "<img src=x onerror=\"parent.document.body.innerHTML=''\">"
)


def png(size: tuple[int, int], colour=(30, 90, 160)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return SimpleUploadedFile(f"b{size[0]}x{size[1]}.png", out.getvalue(), content_type="image/png")


def images_for(format_name: str, colour=(30, 90, 160)) -> dict:
    shape = FORMATS[format_name]
    out = {}
    for b, field in (("m", "image_mobile"), ("d", "image_desktop")):
        if shape.size(b):
            out[field] = png(shape.size(b), colour)
    return out


@pytest.fixture
def admin(django_user_model):
    user = django_user_model.objects.create_user(username="adsadmin", password="x-Passw0rd!")
    user.groups.add(Group.objects.get(name=roles.ADMIN))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def spool(tmp_path, monkeypatch):
    store = counting.SpoolStore(tmp_path / "spool")
    monkeypatch.setattr(counting, "default_store", lambda: store)
    return store


@pytest.fixture
def booked(db, admin, committed):
    """Return a paid campaign and a house campaign with image banners of every format."""
    now = timezone.now()
    with committed():
        shop = services.advertiser_create(by=admin, name="초롱별문구")
        paid = services.campaign_create(
            by=admin,
            advertiser=shop,
            name="새 학기 기획전",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=7),
        )
        house = services.campaign_create(
            by=admin, name="구독 안내", is_house=True, starts_at=now - timedelta(hours=1)
        )
        creatives = {}
        for campaign, colour in ((paid, (200, 120, 40)), (house, (20, 40, 90))):
            for fmt in FORMATS:
                creatives[(campaign.pk, fmt)] = services.creative_create(
                    by=admin,
                    campaign=campaign,
                    name=f"{campaign.name} {fmt}",
                    format=fmt,
                    alt_text=f"{campaign.name} 배너",
                    link_url=f"https://shop.example/{campaign.pk}/{fmt}",
                    **images_for(fmt, colour),
                )
    return {"paid": paid, "house": house, "creatives": creatives}
