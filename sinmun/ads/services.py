"""Every write of the ads app: advertisers, campaigns, creatives (관리자 only).

Each function checks the actor, validates, saves in one transaction and starts a new ads
generation after commit, so every process's inventory (and the next page render) sees it.
The content generation is left alone: pages already cached reserve the old set of slots for at
most the page-cache TTL (``SINMUN_PAGE_CACHE_SECONDS``).
"""

import io
from datetime import datetime
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image

from sinmun.newsroom import photos, roles
from sinmun.newsroom.models import Section

from . import inventory
from .models import Advertiser, Campaign, Creative
from .slots import FORMATS, SLOTS

ADMIN_ONLY = "광고는 관리자만 관리할 수 있습니다."
NAME_TAKEN = "같은 이름의 광고주가 이미 있습니다."
NAME_REQUIRED = "이름을 입력하세요."
ADVERTISER_REQUIRED = "자사 광고가 아니면 광고주를 고르세요."
ENDS_BEFORE_START = "종료 시각은 시작 시각보다 뒤여야 합니다."
ENDS_REQUIRED = "자사 광고가 아니면 종료 시각을 정하세요."
PRIORITY_RANGE = "우선순위는 1에서 10 사이입니다."
WEIGHT_RANGE = "가중치는 1에서 100 사이입니다."
CAP_RANGE = "한도는 1 이상이어야 합니다 (없으면 비워 두세요)."
UNKNOWN_SLOT = "없는 광고 자리입니다: {name}"
UNKNOWN_FORMAT = "광고 형태를 고르세요."
LINK_SCHEME = "연결 주소는 http:// 또는 https://로 시작하는 전체 주소여야 합니다."
LINK_REQUIRED = "이미지 광고에는 연결 주소가 필요합니다."
ALT_REQUIRED = "이미지 광고에는 대체 텍스트(이미지를 못 보는 독자가 듣는 설명)가 필요합니다."
IMAGE_REQUIRED = "휴대폰 이미지를 올리세요."
IMAGE_DESKTOP_REQUIRED = "PC 이미지를 올리세요."
IMAGE_SIZE = (
    "{label} 이미지는 {w}×{h} 픽셀(또는 두 배 {w2}×{h2})이어야 합니다. 올린 파일: {aw}×{ah}"
)
HTML_REQUIRED = "HTML 광고에는 HTML을 입력하세요."
HTML_TOO_LONG = "HTML은 20,000자까지입니다."
HTML_MAX = 20_000


def _require_admin(by) -> None:
    if by is None:
        raise TypeError("by is required")
    if roles.role_of(by) != roles.ADMIN:
        raise PermissionDenied(ADMIN_ONLY)


def _changed() -> None:
    transaction.on_commit(inventory.bump)


def _link(url: str, *, required: bool) -> str:
    url = (url or "").strip()
    if not url:
        if required:
            raise ValidationError(LINK_REQUIRED, code="link_url")
        return ""
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c in url for c in "\r\n\t ")
    ):
        raise ValidationError(LINK_SCHEME, code="link_url")
    return url


# 광고주 --------------------------------------------------------------------------------------


def _advertiser_fields(fields: dict, *, exclude: int | None = None) -> dict:
    name = (fields.get("name") or "").strip()
    if not name:
        raise ValidationError(NAME_REQUIRED, code="name")
    if Advertiser.objects.filter(name=name).exclude(pk=exclude).exists():
        raise ValidationError(NAME_TAKEN, code="name")
    return {**fields, "name": name}


@transaction.atomic
def advertiser_create(*, by, name: str, contact="", email="", phone="", memo="") -> Advertiser:
    _require_admin(by)
    fields = _advertiser_fields(
        {"name": name, "contact": contact, "email": email, "phone": phone, "memo": memo}
    )
    advertiser = Advertiser.objects.create(**fields)
    _changed()
    return advertiser


@transaction.atomic
def advertiser_update(*, by, advertiser: Advertiser, **fields) -> Advertiser:
    _require_admin(by)
    fields = _advertiser_fields(fields, exclude=advertiser.pk)
    for name, value in fields.items():
        setattr(advertiser, name, value)
    advertiser.save(update_fields=list(fields))
    _changed()
    return advertiser


# 캠페인 --------------------------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "advertiser", "name", "is_house", "status", "starts_at", "ends_at", "priority", "weight",
    "daily_cap", "total_cap", "device", "slots",
)  # fmt: skip


def _campaign_fields(fields: dict) -> dict:
    name = (fields.get("name") or "").strip()
    if not name:
        raise ValidationError(NAME_REQUIRED, code="name")
    fields["name"] = name
    if not fields.get("is_house") and fields.get("advertiser") is None:
        raise ValidationError(ADVERTISER_REQUIRED, code="advertiser")
    starts: datetime = fields["starts_at"]
    ends: datetime | None = fields.get("ends_at")
    if ends is None and not fields.get("is_house"):
        raise ValidationError(ENDS_REQUIRED, code="ends_at")
    if ends is not None and ends <= starts:
        raise ValidationError(ENDS_BEFORE_START, code="ends_at")
    if not 1 <= int(fields.get("priority", 5)) <= 10:
        raise ValidationError(PRIORITY_RANGE, code="priority")
    if not 1 <= int(fields.get("weight", 10)) <= 100:
        raise ValidationError(WEIGHT_RANGE, code="weight")
    for cap in ("daily_cap", "total_cap"):
        if fields.get(cap) is not None and fields[cap] < 1:
            raise ValidationError(CAP_RANGE, code=cap)
    slots = list(dict.fromkeys(fields.get("slots") or []))
    for slot in slots:
        if slot not in SLOTS:
            raise ValidationError(UNKNOWN_SLOT.format(name=slot), code="slots")
    fields["slots"] = slots
    if fields.get("status") not in Campaign.Status.values:
        fields["status"] = Campaign.Status.ACTIVE
    if fields.get("device") not in Campaign.Device.values:
        fields["device"] = Campaign.Device.ALL
    return fields


@transaction.atomic
def campaign_create(*, by, sections: list[Section] | None = None, **fields) -> Campaign:
    _require_admin(by)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    fields.setdefault("starts_at", timezone.now())
    campaign = Campaign.objects.create(**_campaign_fields(fields))
    campaign.sections.set(sections or [])
    _changed()
    return campaign


@transaction.atomic
def campaign_update(
    *, by, campaign: Campaign, sections: list[Section] | None = None, **fields
) -> Campaign:
    _require_admin(by)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    merged = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    merged.update(fields)
    merged = _campaign_fields(merged)
    for name in fields:
        setattr(campaign, name, merged[name])
    if fields:
        campaign.save(update_fields=[*fields, "updated_at"])
    if sections is not None:
        campaign.sections.set(sections)
    _changed()
    return campaign


# 소재 ----------------------------------------------------------------------------------------


def _stored_image(upload, *, format_name: str, breakpoint: str) -> str:
    """Check an uploaded banner image (content, size) and store it; return its storage name."""
    shape = FORMATS[format_name]
    w, h = shape.size(breakpoint)
    content = photos.clean_upload(upload)  # refuses non-images, polyglots, animations, bombs
    with Image.open(io.BytesIO(content.read())) as image:
        actual = image.size
    content.seek(0)
    if actual not in ((w, h), (2 * w, 2 * h)):
        label = "휴대폰" if breakpoint == "m" else "PC"
        raise ValidationError(
            IMAGE_SIZE.format(
                label=label, w=w, h=h, w2=2 * w, h2=2 * h, aw=actual[0], ah=actual[1]
            ),
            code="image_mobile" if breakpoint == "m" else "image_desktop",
        )
    name = f"ads/{timezone.localdate():%Y/%m}/{content.name}"
    if not default_storage.exists(name):
        name = default_storage.save(name, content)
    return name


CREATIVE_FIELDS = ("name", "format", "kind", "alt_text", "link_url", "html", "active")


def _creative_fields(fields: dict, *, has_mobile: bool, has_desktop: bool) -> dict:
    name = (fields.get("name") or "").strip()
    if not name:
        raise ValidationError(NAME_REQUIRED, code="name")
    fields["name"] = name
    if fields.get("format") not in FORMATS:
        raise ValidationError(UNKNOWN_FORMAT, code="format")
    shape = FORMATS[fields["format"]]
    if fields.get("kind") == Creative.Kind.HTML:
        html = fields.get("html") or ""
        if not html.strip():
            raise ValidationError(HTML_REQUIRED, code="html")
        if len(html) > HTML_MAX:
            raise ValidationError(HTML_TOO_LONG, code="html")
        fields["link_url"] = _link(fields.get("link_url", ""), required=False)
    else:
        fields["kind"] = Creative.Kind.IMAGE
        fields["link_url"] = _link(fields.get("link_url", ""), required=True)
        fields["alt_text"] = (fields.get("alt_text") or "").strip()
        if not fields["alt_text"]:
            raise ValidationError(ALT_REQUIRED, code="alt_text")
        if shape.size("m") and not has_mobile:
            raise ValidationError(IMAGE_REQUIRED, code="image_mobile")
        if (
            shape.size("d")
            and not has_desktop
            and not (has_mobile and shape.sizes["m"] == shape.sizes["d"])
        ):
            raise ValidationError(IMAGE_DESKTOP_REQUIRED, code="image_desktop")
    return fields


@transaction.atomic
def creative_create(
    *, by, campaign: Campaign, image_mobile=None, image_desktop=None, **fields
) -> Creative:
    _require_admin(by)
    fields = {"kind": Creative.Kind.IMAGE, "active": True, **fields}
    if set(fields) - set(CREATIVE_FIELDS):
        raise TypeError(f"unknown fields {set(fields) - set(CREATIVE_FIELDS)}")
    is_image = fields.get("kind") != Creative.Kind.HTML
    fields = _creative_fields(
        fields, has_mobile=bool(image_mobile), has_desktop=bool(image_desktop)
    )
    creative = Creative(campaign=campaign, **fields)
    if is_image:
        if image_mobile:
            creative.image_mobile.name = _stored_image(
                image_mobile, format_name=fields["format"], breakpoint="m"
            )
        if image_desktop and FORMATS[fields["format"]].size("d"):
            creative.image_desktop.name = _stored_image(
                image_desktop, format_name=fields["format"], breakpoint="d"
            )
    creative.save()
    _changed()
    return creative


@transaction.atomic
def creative_update(
    *, by, creative: Creative, image_mobile=None, image_desktop=None, **fields
) -> Creative:
    _require_admin(by)
    if set(fields) - set(CREATIVE_FIELDS):
        raise TypeError(f"unknown fields {set(fields) - set(CREATIVE_FIELDS)}")
    merged = {name: getattr(creative, name) for name in CREATIVE_FIELDS}
    merged.update(fields)
    merged = _creative_fields(
        merged,
        has_mobile=bool(image_mobile or creative.image_mobile),
        has_desktop=bool(image_desktop or creative.image_desktop),
    )
    changed = list(fields)
    for name in fields:
        setattr(creative, name, merged[name])
    if merged["kind"] == Creative.Kind.IMAGE:
        if image_mobile:
            creative.image_mobile.name = _stored_image(
                image_mobile, format_name=merged["format"], breakpoint="m"
            )
            changed.append("image_mobile")
        if image_desktop and FORMATS[merged["format"]].size("d"):
            creative.image_desktop.name = _stored_image(
                image_desktop, format_name=merged["format"], breakpoint="d"
            )
            changed.append("image_desktop")
    if changed:
        creative.save(update_fields=changed)
    _changed()
    return creative
