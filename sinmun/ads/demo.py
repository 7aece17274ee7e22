"""Demo banners for ``sinmun demo``: house ads of 새나루일보 and two campaigns of invented
advertisers, with images drawn by Pillow, so every slot of the demo site is filled.

Idempotent: advertisers and campaigns are matched by name; a second run adds nothing.
"""

import io
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from sinmun.newsroom import actors
from sinmun.newsroom.models import Section

from . import services
from .models import Advertiser, Campaign
from .slots import FORMATS

FONT_DIR = Path("/usr/share/fonts/truetype/nanum")
BOLD = ("NanumGothicBold.ttf", "NanumSquareB.ttf", "NanumBarunGothicBold.ttf")

# (advertiser or None for house, campaign, weight, days, [(format, creative, headline, line,
#  colours, link path or absolute)], html creatives)
DEMO = [
    {
        "advertiser": None,
        "campaign": "새나루일보 구독·앱 안내",
        "weight": 10,
        "creatives": [
            (
                "leaderboard",
                "구독 안내 띠",
                "새나루일보 아침 브리핑",
                "매일 오전 7시, 꼭 읽을 기사 다섯 건",
                ((16, 35, 59), (11, 79, 156)),
                "/",
            ),
            (
                "rectangle",
                "구독 안내 사각",
                "새나루일보 앱",
                "속보 알림과 지난 지면 보기",
                ((11, 79, 156), (16, 35, 59)),
                "/",
            ),
            (
                "sticky",
                "하단 고정 안내",
                "새나루일보 앱 받기",
                "속보를 가장 먼저",
                ((16, 35, 59), (11, 79, 156)),
                "/",
            ),
        ],
    },
    {
        "advertiser": "초롱별문구",
        "campaign": "초롱별문구 새 학기 기획전",
        "weight": 10,
        "daily_cap": 50_000,
        "sections": ["society", "culture", "it-science"],
        "creatives": [
            (
                "leaderboard",
                "새 학기 띠",
                "초롱별문구 새 학기 기획전",
                "공책·필기구 최대 30% 할인",
                ((250, 214, 92), (240, 140, 60)),
                "https://chorongbyeol.example/sale",
            ),
            (
                "rectangle",
                "새 학기 사각",
                "초롱별문구",
                "새 학기 준비물, 한 번에",
                ((240, 140, 60), (250, 214, 92)),
                "https://chorongbyeol.example/sale",
            ),
        ],
    },
    {
        "advertiser": "바람결캠핑",
        "campaign": "바람결캠핑 봄맞이 장비전",
        "weight": 6,
        "total_cap": 500_000,
        "sections": ["economy", "sports", "international"],
        "creatives": [
            (
                "rectangle",
                "봄맞이 사각",
                "바람결캠핑 봄맞이",
                "텐트·타프 신상품 먼저 보기",
                ((46, 110, 70), (150, 196, 120)),
                "https://baramgyeol.example/spring",
            ),
            (
                "sticky",
                "봄맞이 하단",
                "바람결캠핑 봄맞이 장비전",
                "신상품 먼저 보기",
                ((46, 110, 70), (150, 196, 120)),
                "https://baramgyeol.example/spring",
            ),
        ],
        "html": [
            (
                "leaderboard",
                "봄맞이 HTML 띠",
                # Self-contained: no network, runs only in the sandboxed frame.
                '<a href="%%CLICK_URL%%" target="_blank" style="display:flex;align-items:center;'
                "justify-content:center;width:100vw;height:100vh;background:linear-gradient(90deg,"
                '#2e6e46,#96c478);color:#fff;font:700 6vh/1.2 sans-serif;text-decoration:none">'
                "바람결캠핑 · 봄맞이 장비전 (HTML 광고)</a>",
                "https://baramgyeol.example/spring",
            )
        ],
    },
]


def _font(size: int):
    for name in BOLD:
        path = FONT_DIR / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def banner_png(headline: str, line: str, colours, size: tuple[int, int]) -> bytes:
    """Return a PNG banner at twice ``size`` (sharp on phones): gradient, headline, a line."""
    w, h = size[0] * 2, size[1] * 2
    start, end = colours
    image = Image.new("RGB", (w, h), start)
    draw = ImageDraw.Draw(image)
    for x in range(w):
        t = x / w
        draw.line(
            [(x, 0), (x, h)], fill=tuple(int(start[i] * (1 - t) + end[i] * t) for i in range(3))
        )
    dark = sum(start) < 380
    ink = (255, 255, 255) if dark else (30, 30, 30)
    wide = w / h > 3
    big = _font(int(h * (0.30 if wide else 0.11)))
    small = _font(int(h * (0.20 if wide else 0.07)))
    if wide and h < 150:  # 320×50: one line
        draw.text((w * 0.04, h / 2), headline, font=_font(int(h * 0.42)), fill=ink, anchor="lm")
    elif wide:
        draw.text((w * 0.04, h * 0.36), headline, font=big, fill=ink, anchor="lm")
        draw.text((w * 0.04, h * 0.72), line, font=small, fill=ink, anchor="lm")
    else:
        draw.text((w * 0.08, h * 0.30), headline, font=big, fill=ink, anchor="lm")
        draw.text((w * 0.08, h * 0.45), line, font=small, fill=ink, anchor="lm")
        draw.rounded_rectangle(
            [w * 0.08, h * 0.66, w * 0.55, h * 0.80], radius=h * 0.04, outline=ink, width=4
        )
        draw.text((w * 0.315, h * 0.73), "자세히 보기", font=small, fill=ink, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@transaction.atomic
def load(*, now=None) -> str:
    """Create the demo banners that are missing; return a line for the command's output."""
    now = now or timezone.now()
    by = actors.DEMO
    created = 0
    for spec in DEMO:
        if Campaign.objects.filter(name=spec["campaign"]).exists():
            continue
        advertiser = None
        if spec["advertiser"]:
            advertiser = Advertiser.objects.filter(name=spec["advertiser"]).first()
            if advertiser is None:
                advertiser = services.advertiser_create(
                    by=by, name=spec["advertiser"], contact="데모 담당자", memo="가상의 광고주"
                )
        campaign = services.campaign_create(
            by=by,
            advertiser=advertiser,
            name=spec["campaign"],
            is_house=advertiser is None,
            starts_at=now - timedelta(days=1),
            ends_at=None if advertiser is None else now + timedelta(days=60),
            weight=spec["weight"],
            daily_cap=spec.get("daily_cap"),
            total_cap=spec.get("total_cap"),
            # Targeted at some sections: the home page and the other sections show house ads.
            sections=list(Section.objects.filter(slug__in=spec.get("sections", []))),
        )
        for fmt, name, headline, line, colours, link in spec["creatives"]:
            shape = FORMATS[fmt]
            images = {}
            for b, field in (("m", "image_mobile"), ("d", "image_desktop")):
                if shape.size(b):
                    images[field] = _upload(
                        f"{fmt}-{b}.png", banner_png(headline, line, colours, shape.size(b))
                    )
            services.creative_create(
                by=by,
                campaign=campaign,
                name=name,
                format=fmt,
                alt_text=f"{headline}: {line}",
                link_url=link if link.startswith("http") else f"{settings.SITE_URL}{link}",
                **images,
            )
        for fmt, name, html, link in spec.get("html", []):
            services.creative_create(
                by=by,
                campaign=campaign,
                name=name,
                format=fmt,
                kind="html",
                html=html,
                link_url=link,
            )
        created += 1
    return f"데모 광고: 캠페인 {created}개 추가, 모두 {Campaign.objects.count()}개"
