"""The ticker in Debian's Chromium on a phone (375 px) and a desk (1280 px).

It must sit inside the 32 px strip next to the date without widening the page, keep 기상청 제공 in
view, move one station at a time without shifting anything, pause on hover and focus, and show
every station at once, still, to readers who ask for reduced motion. Screenshots land in
``var/screenshots`` for a human to look at.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from sinmun.testbrowser import assert_no_horizontal_overflow, launch, require_chromium
from sinmun.weather import selectors, services

from .conftest import OBSERVED, SNAPSHOT, SNAPSHOT_ITEMS

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "var" / "screenshots"
VIEWPORTS = [(375, 812), (1280, 900)]
BEAT_MS = 3000  # ticker.css: one station every 3 s

# Which item's top sits at the window's top, after seeking both ticker animations to ``ms``.
SHOWN_AT = """([ms]) => {
  const window_ = document.querySelector(".weather-window");
  for (const el of [document.querySelector(".weather-track"),
                    document.querySelector(".weather-list")]) {
    for (const a of el.getAnimations()) { a.pause(); a.currentTime = ms; }
  }
  const top = window_.getBoundingClientRect().top;
  const items = [...document.querySelectorAll(".weather-list > li")];
  const offsets = items.map(li => li.getBoundingClientRect().top - top);
  return {index: offsets.findIndex(o => Math.abs(o) < 0.5), first: offsets[0],
          credit: document.querySelector(".weather-credit").getBoundingClientRect().left,
          strip: document.querySelector(".strip-inner").getBoundingClientRect().height};
}"""

BOXES = """() => {
  const box = s => { const r = document.querySelector(s).getBoundingClientRect();
                     return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return {strip: box(".strip-inner"), today: box(".today"), window: box(".weather-window"),
          credit: box(".weather-credit"), viewport: window.innerWidth};
}"""

# The ticker's window against its widest item: an item wider than the window would be cut.
FIT = """() => [document.querySelector(".weather-window").clientWidth,
  Math.max(...[...document.querySelectorAll(".weather-item")].map(li => li.scrollWidth))]"""

PLAY_STATES = """() => [".weather-track", ".weather-list"].map(
  s => getComputedStyle(document.querySelector(s)).animationPlayState)"""


def assert_inside_strip(page: Page, where: str) -> None:
    boxes = page.evaluate(BOXES)
    strip = boxes["strip"]
    assert strip["bottom"] - strip["top"] == pytest.approx(32, abs=1), f"{where}: {boxes}"
    for name in ("today", "window", "credit"):
        box = boxes[name]
        assert strip["top"] <= box["top"] and box["bottom"] <= strip["bottom"], (where, name, boxes)
        assert 0 <= box["left"] and box["right"] <= boxes["viewport"], (where, name, boxes)
    assert boxes["today"]["right"] <= boxes["window"]["left"] <= boxes["credit"]["left"], boxes


@pytest.fixture
def ticker_page(live_server, transactional_db, newsroom, monkeypatch):
    """A site with one article and the 16-station answer loaded, seen at 07:20 KST that day."""
    require_chromium()
    newsroom.article(headline="한결전자, 평택에 반도체 새 공장 짓는다", minutes_ago=5)
    services.weather_load_file(path=SNAPSHOT)
    monkeypatch.setattr(selectors, "clock", lambda: OBSERVED + timedelta(minutes=20))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return live_server.url


@pytest.mark.browser
def test_ticker_cycles_inside_the_strip_on_phone_and_desktop(ticker_page):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width, height in VIEWPORTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="ko-KR"
                )
                page = context.new_page()
                page.set_default_timeout(15_000)
                page.goto(f"{ticker_page}/")
                where = f"{width}px"

                expect(page.locator(".weather")).to_be_visible()
                expect(page.locator(".weather-credit")).to_be_visible()
                expect(page.locator(".weather-credit")).to_have_text("기상청 제공")
                expect(page.locator(".weather-reading")).to_have_text(SNAPSHOT_ITEMS)
                assert_inside_strip(page, where)
                assert_no_horizontal_overflow(page, where)
                window_width, widest = page.evaluate(FIT)
                assert widest <= window_width, f"{where}: items cut ({widest} > {window_width})"
                page.screenshot(path=str(SCREENSHOTS / f"weather-{width}.png"))
                page.locator(".strip").screenshot(
                    path=str(SCREENSHOTS / f"weather-strip-{width}.png")
                )

                # One station per beat, in order, back to the first after the sixteenth.
                for beat in [0, 1, 2, 9, 15, 16, 17]:
                    shown = page.evaluate(SHOWN_AT, [beat * BEAT_MS + 1000])
                    assert shown["index"] == beat % 16, (where, beat, shown)
                # Mid-slide the list is between two stations: a slide, not a jump.
                sliding = page.evaluate(SHOWN_AT, [BEAT_MS - 150])
                assert -20 < sliding["first"] < 0, (where, sliding)
                # Nothing around it moves while it cycles.
                still = [page.evaluate(SHOWN_AT, [ms]) for ms in (500, 4000, 46_500)]
                assert len({(s["credit"], s["strip"]) for s in still}) == 1, (where, still)
                context.close()
        finally:
            browser.close()


@pytest.mark.browser
def test_ticker_pauses_on_hover_and_on_focus(ticker_page):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{ticker_page}/")
            assert page.evaluate(PLAY_STATES) == ["running", "running"]
            page.hover(".weather-window")
            assert page.evaluate(PLAY_STATES) == ["paused", "paused"]
            page.mouse.move(640, 600)
            assert page.evaluate(PLAY_STATES) == ["running", "running"]
            page.focus(".weather-window")
            assert page.evaluate(PLAY_STATES) == ["paused", "paused"]
        finally:
            browser.close()


@pytest.mark.browser
def test_reduced_motion_shows_every_station_still(ticker_page):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width, height in VIEWPORTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, reduced_motion="reduce"
                )
                page = context.new_page()
                page.goto(f"{ticker_page}/")
                where = f"{width}px, reduced motion"
                state = page.evaluate(
                    """() => ({
                      animations: document.querySelector(".weather").getAnimations({subtree: true})
                        .length,
                      tops: [...document.querySelectorAll(".weather-reading")]
                        .map(e => Math.round(e.getBoundingClientRect().top)),
                      widths: [...document.querySelectorAll(".weather-reading")]
                        .map(e => e.getBoundingClientRect().width),
                      repeat: getComputedStyle(document.querySelector(".weather-repeat")).display,
                    })"""
                )
                assert state["animations"] == 0, where
                assert len(set(state["tops"])) == 1, (where, state["tops"])  # one still row
                assert len(state["widths"]) == 16 and min(state["widths"]) > 0, where
                assert state["repeat"] == "none", where
                expect(page.locator(".weather-credit")).to_be_visible()
                assert_inside_strip(page, where)
                assert_no_horizontal_overflow(page, where)
                page.locator(".strip").screenshot(
                    path=str(SCREENSHOTS / f"weather-strip-{width}-reduced-motion.png")
                )
                # The row scrolls sideways inside the strip to reach the last station.
                page.locator(".weather-reading").last.scroll_into_view_if_needed()
                expect(page.locator(".weather-reading").last).to_be_in_viewport()
                assert_no_horizontal_overflow(page, where)
                context.close()
        finally:
            browser.close()


@pytest.mark.browser
def test_demo_snapshot_label_fits_on_a_phone(live_server, transactional_db, newsroom, settings):
    require_chromium()
    settings.KMA_API_HUB_KEY = settings.KMA_DATA_GO_KR_KEY = ""
    newsroom.article(headline="한결전자, 평택에 반도체 새 공장 짓는다", minutes_ago=5)
    services.weather_refresh()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 375, "height": 812})
            page.goto(f"{live_server.url}/")
            expect(page.locator(".weather-sample")).to_have_text("예시")
            expect(page.locator(".weather-sample")).to_be_visible()
            expect(page.locator(".weather-credit")).to_be_visible()
            assert_inside_strip(page, "375px, snapshot")
            assert_no_horizontal_overflow(page, "375px, snapshot")
            window_width, widest = page.evaluate(FIT)
            assert widest <= window_width, f"375px, snapshot: items cut ({widest} > {window_width})"
            page.locator(".strip").screenshot(
                path=str(SCREENSHOTS / "weather-strip-375-sample.png")
            )
        finally:
            browser.close()


@pytest.mark.browser
def test_stale_items_fit_on_a_phone(ticker_page, monkeypatch):
    """Four hours into an outage every item carries its hour, and still fits beside the date."""
    monkeypatch.setattr(selectors, "clock", lambda: OBSERVED + timedelta(hours=4))
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width, height in VIEWPORTS:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{ticker_page}/")
                where = f"{width}px, stale"
                expect(page.locator(".weather-as-of").first).to_have_text("(07시 기준)")
                expect(page.locator(".weather-credit")).to_be_visible()
                assert_inside_strip(page, where)
                assert_no_horizontal_overflow(page, where)
                window_width, widest = page.evaluate(FIT)
                assert widest <= window_width, f"{where}: items cut ({widest} > {window_width})"
                page.locator(".strip").screenshot(
                    path=str(SCREENSHOTS / f"weather-strip-{width}-stale.png")
                )
                page.close()
        finally:
            browser.close()
