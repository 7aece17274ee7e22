"""The reader's path in Debian's Chromium: home → top story → related list, on a phone and a desk.

Playwright drives the system browser (``/usr/bin/chromium`` from ``make browser-deps``); its own
browser downloads are never used. Screenshots land in ``var/screenshots`` for a human to look at.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from sinmun.newsroom import actors, services
from sinmun.newsroom.models import Article
from sinmun.testbrowser import assert_no_horizontal_overflow, launch, require_chromium

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "var" / "screenshots"
VIEWPORTS = [(375, 812), (1280, 900)]
# site.css: .headline is 26px on a phone and 34px from 960px up.
HEADLINE_SIZE = {375: "26px", 1280: "34px"}

TOP_HEADLINE = (
    "한결전자, 평택에 4조 원 들여 반도체 새 공장…2028년 가동 목표로 협력사 40곳 동반 이전"
)
BYLINE = "[새나루일보=김민준·이서연 기자]"
BODY = "".join(
    f"<p>{text}</p>"
    for text in [
        "한결전자가 경기 평택시에 4조 원을 들여 반도체 새 공장을 짓는다고 12일 밝혔다.",
        "새 공장은 2026년 착공해 2028년 가동을 목표로 하며, 첨단 패키징 라인과 연구동이 함께 "
        "들어선다. 회사는 지역 인재 채용을 늘리고 협력사 40곳의 동반 이전을 지원할 계획이다.",
        "평택시는 전력과 용수 공급을 위해 관계 기관과 협의체를 꾸리기로 했다.",
        "업계에서는 이번 투자가 메모리 업황 회복 기대를 반영한 것이라는 분석이 나온다.",
        "한결전자 관계자는 “지역과 함께 성장하는 공장을 만들겠다”고 말했다.",
    ]
)
RELATED = [
    (
        "국회 과방위, 반도체 특별법 시행령 두고 여야 막판 줄다리기…주 52시간 예외 범위가 쟁점",
        "assembly",
    ),
    ("평택 반도체 클러스터 전력망 확충에 1조 원…송전선로 주민 설명회 잇따라", "bigtech"),
    ("반도체 장비 수출 석 달 연속 증가…중국 비중은 줄고 동남아 늘어", "bigtech"),
    ("공장 하나에 기대는 도시의 내일", "bigtech"),
    ("반도체 인력 양성 계약학과, 내년 지방대 8곳 신설", "tech"),
    ("한결전자 노사, 성과급 기준 두고 2차 교섭도 결렬", "bigtech"),
]
OTHERS = [
    ("여야, 내년도 예산안 처리 시한 앞두고 심야 협상…지역화폐·연구개발 예산 막판 쟁점", "politics"),
    ("국회의장, 개헌 자문위원회 출범 제안…“내년 지방선거 때 국민투표 가능”", "assembly"),
    ("정부, 공공기관 2차 지방 이전 로드맵 발표 연기", "politics"),
    ("초거대 인공지능 경쟁 가열…국내 플랫폼 3사, 한국어 모델 잇따라 공개", "tech"),
    ("국회 본회의, 전세사기 특별법 개정안 통과", "assembly"),
]


def build_newsroom(newsroom, photo) -> Article:
    """Publish a top story, 6 related articles and 5 others; return the top story."""
    sections = {
        "politics": newsroom.politics,
        "assembly": newsroom.assembly,
        "tech": newsroom.tech,
        "bigtech": newsroom.bigtech,
    }
    top = newsroom.article(
        headline=TOP_HEADLINE,
        subheadlines=[
            "총 4조 원 투입해 2028년 가동",
            "지역 일자리 1200개 예상",
            "협력사 40곳 동반 이전",
        ],
        body=BODY,
        reporters=[newsroom.kim, newsroom.lee],
        keywords=["반도체", "한결전자", "평택"],
        lead_photo=photo("top.jpg", (30, 80, 140), (1200, 675)),
        lead_photo_caption="경기 평택시에 들어설 한결전자 반도체 새 공장 조감도",
        lead_photo_credit="한결전자 제공",
        is_top=True,
        minutes_ago=90,
    )
    for n, (headline, slug) in enumerate(RELATED):
        newsroom.article(
            headline=headline,
            body=BODY,
            section=sections[slug],
            series=newsroom.column if n == 3 else None,
            reporters=[newsroom.park] if n % 3 == 0 else [newsroom.lee],
            keywords=["반도체"],
            lead_photo=photo(f"related{n}.jpg", (120, 60 + 20 * n, 90), (640, 360))
            if n % 2 == 0
            else None,
            minutes_ago=10 + 15 * n,
        )
    for n, (headline, slug) in enumerate(OTHERS):
        # Their own stories: the related box is by content (sinmun/related).
        newsroom.article(
            headline=headline,
            subheadlines=[],
            body=f"<p>{headline}</p><p>자세한 내용은 이어서 전한다.</p>",
            section=sections[slug],
            keywords=[],
            lead_photo=photo(f"other{n}.jpg", (60, 120, 60 + 30 * n), (640, 360))
            if n % 2
            else None,
            minutes_ago=5 + 20 * n,
        )
    # An edit after release, so the screenshots show the 수정 time next to 입력.
    services.article_update(article=top, by=actors.DEMO, lead_photo_credit="한결전자 제공")
    return top


def settle(page: Page) -> None:
    """Scroll through the page so lazy images load, then return to the top."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")


def shoot(page: Page, name: str) -> None:
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_reader_path_on_phone_and_desktop(live_server, transactional_db, newsroom, photo):
    require_chromium()
    top = build_newsroom(newsroom, photo)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    headline_sizes = {}

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width, height in VIEWPORTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="ko-KR"
                )
                page = context.new_page()
                page.set_default_timeout(15_000)

                page.goto(f"{live_server.url}/")
                headline_link = page.locator(".top-story .top-headline a")
                expect(headline_link).to_have_text(TOP_HEADLINE)
                assert_no_horizontal_overflow(page, f"home at {width}px")
                shoot(page, f"home-{width}")

                headline_link.click()
                page.wait_for_url(f"{live_server.url}{top.get_absolute_url()}")
                headline = page.locator("h1.headline")
                expect(headline).to_be_visible()
                expect(headline).to_have_text(TOP_HEADLINE)
                byline = page.locator(".article-body .byline")
                expect(byline).to_be_visible()
                expect(byline).to_have_text(BYLINE)
                related = page.locator("section.related")
                expect(related).to_be_visible()
                expect(related.locator(".teaser")).to_have_count(5)
                lead_photo = page.locator(".lead-photo img")
                expect(lead_photo).to_be_visible()
                # The browser picks a rendition from srcset for the width; any must load.
                assert lead_photo.evaluate(
                    "img => img.complete && img.naturalWidth > 0"
                    " && new URL(img.currentSrc).pathname.startsWith('/media/')"
                ), "the lead photo did not load from /media/"
                headline_sizes[width] = headline.evaluate("h => getComputedStyle(h).fontSize")
                assert_no_horizontal_overflow(page, f"article at {width}px")
                shoot(page, f"article-{width}")

                page.get_by_role("link", name="6건의 관련기사 더보기", exact=True).click()
                page.wait_for_url(f"{live_server.url}/article/{top.public_id}/related/")
                heading = page.locator(".list-header h1")
                expect(heading).to_be_visible()
                expect(heading).to_have_text(TOP_HEADLINE)
                expect(page.locator(".list-header")).to_contain_text("6건의 관련기사")
                expect(page.locator(".teaser")).to_have_count(6)
                assert_no_horizontal_overflow(page, f"related list at {width}px")
                shoot(page, f"related-{width}")
                context.close()
        finally:
            browser.close()

    # The stylesheet was served and applied: the headline grows from the 960px breakpoint.
    assert headline_sizes == HEADLINE_SIZE


@pytest.mark.browser
def test_page_content_keeps_clear_of_masthead_and_footer(
    live_server, transactional_db, newsroom, photo
):
    """Content must not touch the section menu above it or the footer below it (main's padding)."""
    require_chromium()
    top = build_newsroom(newsroom, photo)
    gaps = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width, height in VIEWPORTS:
                page = browser.new_page(viewport={"width": width, "height": height})
                for url in ["/", top.get_absolute_url(), f"/article/{top.public_id}/related/"]:
                    page.goto(f"{live_server.url}{url}")
                    gaps[(width, url)] = page.evaluate(
                        """() => {
                            const main = document.querySelector("main");
                            const menu = document.querySelector("nav.sections");
                            const footer = document.querySelector("footer");
                            const blocks = [...main.children].filter(
                                e => getComputedStyle(e).position !== "absolute");
                            const first = blocks[0].getBoundingClientRect();
                            const last = blocks[blocks.length - 1].getBoundingClientRect();
                            return [
                                Math.round(first.top - menu.getBoundingClientRect().bottom),
                                Math.round(footer.getBoundingClientRect().top - last.bottom),
                            ];
                        }"""
                    )
                page.close()
        finally:
            browser.close()
    # site.css gives main 20px above and 40px below; anything under 16px reads as touching.
    cramped = {key: gap for key, gap in gaps.items() if min(gap) < 16}
    assert cramped == {}, f"(width, url): [gap below menu, gap above footer] in px: {cramped}"
