"""The ads pages of the desk: 관리자 only; advertisers, campaigns and creatives made and refused
in Korean with nothing changed; reports per campaign and day with CTR and CSV; slot previews."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from sinmun.ads import services
from sinmun.ads.desk import forms
from sinmun.ads.models import Advertiser, Campaign, Creative, DailyStat
from sinmun.ads.slots import SLOTS
from sinmun.newsroom import roles

from .conftest import png

BASE = "/desk/manage/ads/"


@pytest.fixture
def desk_client(django_user_model):
    user = django_user_model.objects.create_user(username="deskuser", password="x-Passw0rd!")
    user.groups.add(Group.objects.get(name=roles.DESK))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [BASE, f"{BASE}advertisers/", f"{BASE}campaigns/new/", f"{BASE}report/", f"{BASE}preview/"],
)
def test_only_an_admin_enters(client, desk_client, admin_client, url):
    assert admin_client.get(url).status_code == 200
    assert desk_client.get(url).status_code == 403
    assert client.get(url).status_code == 302  # to the login page


def test_desk_role_cannot_create_through_a_post(desk_client, db):
    response = desk_client.post(f"{BASE}advertisers/new/", {"name": "몰래광고"})
    assert response.status_code == 403
    assert not Advertiser.objects.exists()


def test_admin_makes_advertiser_campaign_and_image_creative(admin_client, newsroom):
    response = admin_client.post(f"{BASE}advertisers/new/", {"name": "바람결캠핑", "contact": "정"})
    assert response.status_code == 302
    shop = Advertiser.objects.get(name="바람결캠핑")
    start = timezone.localtime().replace(second=0, microsecond=0)
    response = admin_client.post(
        f"{BASE}campaigns/new/",
        {
            "name": "봄맞이",
            "advertiser": shop.pk,
            "status": "active",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "priority": 5,
            "weight": 10,
            "daily_cap": 1000,
            "device": "all",
            "slots": ["rail-top", "rail-bottom"],
            "sections": [newsroom.tech.pk],
        },
    )
    campaign = Campaign.objects.get(name="봄맞이")
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.starts_at == start and campaign.daily_cap == 1000
    assert campaign.slots == ["rail-top", "rail-bottom"]
    assert list(campaign.sections.all()) == [newsroom.tech]
    response = admin_client.post(
        f"{BASE}campaigns/{campaign.pk}/creatives/new/",
        {
            "name": "사각",
            "format": "rectangle",
            "kind": "image",
            "alt_text": "바람결캠핑 봄맞이 장비전",
            "link_url": "https://baramgyeol.example/spring",
            "active": "on",
            "image_mobile": png((600, 500)),
        },
    )
    assert response.status_code == 302
    creative = Creative.objects.get(name="사각")
    assert creative.image_mobile.name.startswith("ads/")
    page = admin_client.get(creative.get_absolute_url()).content.decode()
    # The creative's own previews: each slot it fits, at phone and desktop widths.
    assert page.count("ads-preview-row") == 2
    assert "휴대폰 (375px) · 300×250" in page and "PC (1280px) · 300×250" in page


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"image_mobile": png((320, 100))}, "300×250"),
        ({"link_url": "javascript:alert(1)"}, services.LINK_SCHEME),
        ({"alt_text": ""}, services.ALT_REQUIRED),
        ({"kind": "html", "html": ""}, services.HTML_REQUIRED),
    ],
)
def test_bad_creatives_are_refused_in_korean_and_nothing_is_saved(
    admin_client, booked, fields, message
):
    before = Creative.objects.count()
    data = {
        "name": "잘못된 소재",
        "format": "rectangle",
        "kind": "image",
        "alt_text": "설명",
        "link_url": "https://shop.example/",
        "image_mobile": png((600, 500)),
        **fields,
    }
    response = admin_client.post(f"{BASE}campaigns/{booked['paid'].pk}/creatives/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Creative.objects.count() == before


def test_a_non_image_upload_is_refused(admin_client, booked):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>", "image/png")
    response = admin_client.post(
        f"{BASE}campaigns/{booked['paid'].pk}/creatives/new/",
        {"name": "가짜", "format": "rectangle", "kind": "image", "alt_text": "a",
         "link_url": "https://shop.example/", "image_mobile": fake},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Creative.objects.filter(name="가짜").exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"advertiser": ""}, services.ADVERTISER_REQUIRED),
        ({"ends_at": "2020-01-01T00:00"}, services.ENDS_BEFORE_START),
        ({"ends_at": ""}, services.ENDS_REQUIRED),
        ({"slots": ["nowhere"]}, "nowhere"),
        ({"weight": "0"}, "1 이상의 값을 입력해 주세요"),
    ],
)
def test_bad_campaigns_are_refused_and_nothing_changes(admin_client, booked, fields, message):
    campaign = booked["paid"]
    before = Campaign.objects.values().get(pk=campaign.pk)
    data = {
        "name": "바뀐 이름",
        "advertiser": campaign.advertiser_id,
        "status": "active",
        "starts_at": "2026-01-01T00:00",
        "ends_at": "2027-01-01T00:00",
        "priority": 5,
        "weight": 10,
        "device": "all",
        **fields,
    }
    response = admin_client.post(campaign.get_absolute_url(), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Campaign.objects.values().get(pk=campaign.pk) == before


def test_report_per_campaign_and_day_with_ctr_and_csv(admin_client, booked):
    paid, house = booked["paid"], booked["house"]
    today = timezone.localdate()
    rect = booked["creatives"][(paid.pk, "rectangle")]
    board = booked["creatives"][(paid.pk, "leaderboard")]
    house_rect = booked["creatives"][(house.pk, "rectangle")]
    DailyStat.objects.create(day=today, campaign=paid, creative=rect, slot="rail-top",
                             impressions=300, clicks=6)  # fmt: skip
    DailyStat.objects.create(day=today, campaign=paid, creative=board, slot="header",
                             impressions=100, clicks=2)  # fmt: skip
    DailyStat.objects.create(day=today - timedelta(days=1), campaign=paid, creative=rect,
                             slot="rail-top", impressions=50, clicks=0)  # fmt: skip
    DailyStat.objects.create(day=today, campaign=house, creative=house_rect, slot="rail-top",
                             impressions=40, clicks=1)  # fmt: skip
    page = admin_client.get(f"{BASE}report/").content.decode()
    # 400 views and 8 clicks today: 2.00%; yesterday 50 and 0: 0.00%.
    assert '<td data-label="노출">400</td>' in page and "2.00%" in page and "0.00%" in page
    assert "2.50%" in page  # the house ad: 1 of 40
    response = admin_client.get(
        f"{BASE}report/",
        {"start": (today - timedelta(days=1)).isoformat(), "end": today.isoformat(),
         "campaign": paid.pk, "format": "csv"},
    )  # fmt: skip
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff날짜,캠페인,광고주,노출,클릭,클릭률(%)")
    lines = text.strip().splitlines()[1:]
    assert lines == [
        f"{today.isoformat()},새 학기 기획전,초롱별문구,400,8,2.00",
        f"{(today - timedelta(days=1)).isoformat()},새 학기 기획전,초롱별문구,50,0,0.00",
    ]
    listing = admin_client.get(BASE).content.decode()
    assert "400 · 8" in listing  # today's views and clicks of the paid campaign


def test_report_refuses_a_reversed_range(admin_client, db):
    response = admin_client.get(f"{BASE}report/", {"start": "2026-12-06", "end": "2026-12-01"})
    assert response.status_code == 400
    assert forms.BAD_RANGE in response.content.decode()


def test_preview_shows_every_slot_at_phone_and_desktop_width(admin_client, booked):
    page = admin_client.get(f"{BASE}preview/").content.decode()
    for slot in SLOTS.values():
        assert f"<code>{slot.name}</code>" in page
    assert page.count("휴대폰 (375px)") == len(SLOTS)
    assert page.count("PC (1280px)") == len(SLOTS)
    assert page.count('<p class="ad-label">광고</p>') == 2 * len(SLOTS) - 1  # sticky: phone only
    assert "728×90" in page and "320×100" in page and "320×50" in page
