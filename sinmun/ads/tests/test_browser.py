"""Banners in Debian's Chromium at 375 and 1280 px: every slot filled and labelled 광고, zero
Cumulative Layout Shift (PerformanceObserver) while banners load and the page scrolls, views
counted after a second on screen, a click counted and sent to the creative's link, and a hostile
HTML creative unable to touch the page around its sandboxed frame."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from sinmun.ads import counting, services
from sinmun.ads.models import DailyStat
from sinmun.newsroom import roles
from sinmun.testbrowser import assert_no_horizontal_overflow, launch, require_chromium

from .conftest import HOSTILE_HTML, images_for, png

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "var" / "screenshots"
VIEWPORTS = [(375, 812), (1280, 900)]
AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"
SHIFTS = """
window.__shift = 0;
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__shift += entry.value;
    window.__shifts.push(entry.sources.map((s) => s.node && s.node.className));
  }
}).observe({ type: "layout-shift", buffered: true });
"""
PARAGRAPH = (
    "<p>한결전자가 경기 평택시에 4조 원을 들여 반도체 새 공장을 짓는다고 12일 밝혔다. 새 공장은 "
    "2026년 착공해 2028년 가동을 목표로 하며, 첨단 패키징 라인과 연구동이 함께 들어선다.</p>"
)


@pytest.fixture
def banners(live_server, newsroom, django_user_model):
    from django.contrib.auth.models import Group

    roles.ensure_groups()
    admin = django_user_model.objects.create_user(username="ads", password="x-Passw0rd!")
    admin.groups.add(Group.objects.get(name=roles.ADMIN))
    admin = django_user_model.objects.get(pk=admin.pk)
    now = timezone.now()
    shop = services.advertiser_create(by=admin, name="초롱별문구")
    paid = services.campaign_create(
        by=admin, advertiser=shop, name="새 학기", starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
    )  # fmt: skip
    for fmt in ("leaderboard", "rectangle", "sticky"):
        services.creative_create(
            by=admin, campaign=paid, name=fmt, format=fmt, alt_text=f"초롱별문구 {fmt}",
            link_url=f"{live_server.url}/corrections/", **images_for(fmt, (230, 150, 60)),
        )  # fmt: skip
    # A higher-priority HTML tag below the article: hostile, and only ever sandboxed.
    tag = services.campaign_create(
        by=admin, advertiser=shop, name="태그", priority=9, slots=["article-below"],
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
    )  # fmt: skip
    services.creative_create(
        by=admin, campaign=tag, name="악성", format="leaderboard", kind="html",
        html=HOSTILE_HTML,
    )  # fmt: skip
    newsroom.article(headline="관련 기사", minutes_ago=30)  # for the 관련기사 box
    story = newsroom.article(
        headline="한결전자, 평택에 반도체 새 공장",
        body=PARAGRAPH * 9,
        lead_photo=ContentFile(png((1200, 675)).read(), name="lead.png"),
        keywords=["반도체", "한결전자"],
        minutes_ago=5,
    )
    return {"story": story}


def scroll_through(page) -> None:
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 400, 300):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(120)
    page.wait_for_timeout(400)


@pytest.mark.browser
# Serialized rollback, like the backup tests that run after it: a plain transactional test
# leaves the role groups re-created under new ids, and the backup tests then fail to restore.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_banners_fill_every_slot_without_shifting_the_page(live_server, banners, settings):
    require_chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    url = f"{live_server.url}{banners['story'].get_absolute_url()}"
    shifts, filled = {}, {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width, height in VIEWPORTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="ko-KR", user_agent=AGENT
                )
                context.add_init_script(SHIFTS)
                page = context.new_page()
                page.set_default_timeout(15_000)
                page.goto(url)
                title = page.title()
                slots = page.locator("[data-ad-slot]:visible")
                count = slots.count()
                for n in range(count):
                    expect(slots.nth(n).locator(".ad-label")).to_have_text("광고")
                scroll_through(page)
                # Every visible slot got its banner: an image that loaded, or the sandboxed frame.
                boxes = page.locator("[data-ad-slot]:visible .ad-box")
                for n in range(count):
                    expect(boxes.nth(n).locator("img, iframe")).to_have_count(1)
                page.wait_for_function(
                    "[...document.querySelectorAll('[data-ad-slot] img')]"
                    ".filter(i => i.getClientRects().length)"
                    ".every(i => i.complete && i.naturalWidth)"
                )
                page.evaluate("window.scrollTo(0, 0)")
                page.wait_for_timeout(1300)  # the header banner: 1 s on screen, then the beacon
                filled[width] = count
                shifts[width] = (page.evaluate("window.__shift"), page.evaluate("window.__shifts"))
                # The hostile tag ran in its sandbox and could not reach the page.
                frame = page.locator("[data-ad-slot='article-below'] iframe")
                assert frame.get_attribute("sandbox") == (
                    "allow-scripts allow-popups allow-popups-to-escape-sandbox"
                )
                assert page.title() == title and page.url == url
                assert_no_horizontal_overflow(page, f"article with banners at {width}px")
                page.screenshot(path=str(SCREENSHOTS / f"ads-article-{width}.png"), full_page=True)
                # A click goes through the signed redirect to the creative's own link.
                with context.expect_page() as opened:
                    page.locator("[data-ad-slot='rail-top'] a").click()
                shop = opened.value
                shop.wait_for_load_state()
                # The creative's link (here a page of the same test server: no network).
                assert shop.url == f"{live_server.url}/corrections/"
                shop.close()
                page.wait_for_timeout(700)
                context.close()
        finally:
            browser.close()
    assert filled == {375: 7, 1280: 6}  # the bottom sticky bar is a phone's only
    assert shifts == {375: (0, []), 1280: (0, [])}
    counting.flush()
    stats = DailyStat.objects.aggregate(v=Sum("impressions"), c=Sum("clicks"))
    assert stats["c"] == 2
    # Each width: the header seen twice (load and back at the top: one view, counted once) and
    # the others as the page scrolled past them; at least the slots that stayed 1 s on screen.
    assert stats["v"] >= 2
    header = DailyStat.objects.filter(slot="header").aggregate(v=Sum("impressions"))["v"]
    assert header == 2
