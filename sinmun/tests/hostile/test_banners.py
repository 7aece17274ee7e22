"""What a desk account controls in a banner: its link and its alt text.

A link that is not a whole http(s) address (``javascript:``, ``data:``, mixed case, hidden
behind spaces or a scheme-relative ``//``) is refused with its reason and nothing is stored;
the alt text reaches the reader's banner request exactly as typed (the script builds the
banner with DOM properties, never HTML). HTML creatives have their own sandbox tests
(``sinmun/ads/tests``).
"""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sinmun.ads import services
from sinmun.ads.models import Creative
from sinmun.newsroom import roles

from .vectors import OUTPUT_VECTORS

HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//악성.example/",
    "https://ok.example/\r\nSet-Cookie: x=1",
    "file:///etc/passwd",
]


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (300, 250), (30, 90, 160)).save(out, "PNG")
    return SimpleUploadedFile("b.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def campaign(db, django_user_model):
    admin = django_user_model.objects.create(username="banner-admin")
    admin.groups.add(Group.objects.get(name=roles.ADMIN))
    house = services.campaign_create(
        by=admin, name="구독 안내", is_house=True, starts_at=timezone.now() - timedelta(hours=1)
    )
    return admin, house


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_a_banner_link_that_could_run_script_is_refused(campaign, link):
    admin, house = campaign
    with pytest.raises(ValidationError) as excinfo:
        services.creative_create(
            by=admin, campaign=house, name="배너", format="rectangle", alt_text="구독 안내",
            link_url=link, image_mobile=_png(), image_desktop=_png(),
        )  # fmt: skip
    assert excinfo.value.messages == [services.LINK_SCHEME]
    assert Creative.objects.count() == 0


@pytest.mark.parametrize("vector", OUTPUT_VECTORS, ids=str)
def test_a_banners_alt_text_reaches_the_reader_as_typed(client, campaign, committed, vector):
    admin, house = campaign
    with committed():
        services.creative_create(
            by=admin, campaign=house, name="배너", format="rectangle",
            alt_text=f"광고 {vector.text}", link_url="https://shop.example/가방",
            image_mobile=_png(), image_desktop=_png(),
        )  # fmt: skip
    response = client.get("/ads/serve/", {"slots": "rail-top", "device": "d"})
    assert response.status_code == 200
    banner = json.loads(response.content)["slots"]["rail-top"]
    assert banner["alt"] == f"광고 {vector.text}"
    assert banner["href"].startswith("/ads/c/")
