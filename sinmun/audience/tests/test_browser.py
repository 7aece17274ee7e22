"""A real page view in Chromium is counted: by the server that answers it (the default), or by
the beacon (``SINMUN_AUDIENCE_COUNTING=beacon``) also when the page does not come from Django.

Headless Chromium calls itself HeadlessChrome, which the counter rightly refuses (most headless
browsers are scrapers), so the contexts here present an ordinary Chrome User-Agent.
"""

from pathlib import Path

import pytest
from django.conf import settings as conf
from django.contrib.auth.models import Group, User
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from sinmun.audience import pageviews, services
from sinmun.audience.models import DailyViews
from sinmun.newsroom import roles
from sinmun.newsroom.roles import ensure_groups
from sinmun.testbrowser import assert_no_horizontal_overflow, launch, require_chromium

from .conftest import counted

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def serve(html: bytes):
    """Return a route handler that answers with ``html`` (no server involved)."""
    return lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")


@pytest.mark.browser
# Serialized rollback, like the backup tests: a plain transactional test leaves the role groups
# re-created under new ids, and a serialized test after it then fails to put its rows back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_page_view_is_counted_by_the_beacon(live_server, embedded, newsroom, settings):
    settings.AUDIENCE_COUNTING = "beacon"
    store = embedded
    require_chromium()
    ensure_groups()
    desk_user = User.objects.create_user(username="desk", password="x-Passw0rd!")
    desk_user.groups.add(Group.objects.get(name=roles.DESK))
    article = newsroom.article(headline="새나루시, 심야 버스 노선 6개 새로 연다")
    other = newsroom.article(headline="새나루항 물동량 석 달 연속 늘어", section=newsroom.politics)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            cached_html = None
            for n, (width, height) in enumerate([(375, 812), (1280, 900)]):
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    locale="ko-KR",
                    user_agent=f"{CHROME} Reader/{n}",
                )
                if cached_html is not None:
                    # The second reader gets the page's bytes without Django running at all,
                    # as from the page cache in front of it or a CDN: the view still counts.
                    context.route(
                        f"{live_server.url}{article.get_absolute_url()}", serve(cached_html)
                    )
                page = context.new_page()
                page.set_default_timeout(15_000)
                with page.expect_request(lambda r: r.url.endswith("/audience/view/")) as sent:
                    response = page.goto(f"{live_server.url}{article.get_absolute_url()}")
                cached_html = cached_html or response.body()
                assert sent.value.method == "POST"
                expect(page.locator("h1.headline")).to_have_text(article.headline)
                page.wait_for_load_state("networkidle")
                context.close()
            # Two readers, two views; the same reader reloading is not a third.
            context = browser.new_context(locale="ko-KR", user_agent=f"{CHROME} Reader/0")
            page = context.new_page()
            page.goto(f"{live_server.url}{article.get_absolute_url()}")
            page.wait_for_load_state("networkidle")
            context.close()
            assert counted(store) == 2

            services.views_flush()
            page_other = browser.new_page(user_agent=CHROME)
            page_other.goto(f"{live_server.url}{other.get_absolute_url()}")
            page_other.wait_for_load_state("networkidle")
            page_other.close()
            services.views_flush()
            services.rankings_refresh()
            for width, height in [(375, 812), (1280, 900)]:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{live_server.url}/")
                box = page.locator(".most-read")
                expect(box).to_be_visible()
                expect(box.locator(".mr-list-24h li").first).to_have_text(article.headline)
                # The 1시간 tab shows its own list without any script.
                box.get_by_text("1시간", exact=True).click()
                expect(box.locator(".mr-list-1h")).to_be_visible()
                expect(box.locator(".mr-list-24h")).to_be_hidden()
                assert_no_horizontal_overflow(page, f"home at {width}px")
                page.screenshot(
                    path=str(SCREENSHOTS / f"audience-home-{width}.png"), full_page=True
                )
                page.goto(f"{live_server.url}{article.get_absolute_url()}")
                expect(page.locator(".sidebar .most-read")).to_be_visible()
                assert_no_horizontal_overflow(page, f"article at {width}px")
                page.screenshot(
                    path=str(SCREENSHOTS / f"audience-article-{width}.png"), full_page=True
                )
                page.close()
            # The desk's statistics, as a 데스크 sees them, with the server-drawn chart.
            desk = Client()
            desk.force_login(desk_user)
            context = browser.new_context(locale="ko-KR")
            context.add_cookies(
                [
                    {
                        "name": conf.SESSION_COOKIE_NAME,
                        "value": desk.cookies[conf.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
            for width, height in [(375, 812), (1280, 900)]:
                page = context.new_page()
                page.set_viewport_size({"width": width, "height": height})
                page.goto(f"{live_server.url}/desk/stats/")
                row = page.locator("section[aria-labelledby=stats-articles] tbody tr").first
                expect(row).to_contain_text(article.headline)
                page.screenshot(
                    path=str(SCREENSHOTS / f"audience-desk-{width}.png"), full_page=True
                )
                row.get_by_role("link").click()
                expect(page.locator("svg.views-chart")).to_have_count(2)
                assert page.locator("svg.views-chart rect.bar").count() == 72 + 30
                assert_no_horizontal_overflow(page, f"desk article stats at {width}px")
                page.screenshot(
                    path=str(SCREENSHOTS / f"audience-desk-article-{width}.png"), full_page=True
                )
                page.close()
        finally:
            browser.close()
    assert DailyViews.objects.get(article=article).views == 2
    assert DailyViews.objects.get(article=other).views == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_page_view_is_counted_by_the_server(embedded, newsroom, settings, front_server):
    """Chromium reads an article through the site's whole application: the first view is
    rendered, the reload comes from the page cache, and the server counts the reader once."""
    settings.PAGE_CACHE_SECONDS = 60
    require_chromium()
    article = newsroom.article(headline="새나루시, 심야 버스 노선 6개 새로 연다")
    pageviews.buffer.flush()
    server = front_server
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            url = f"{server.url}{article.get_absolute_url()}"
            for n in range(2):
                context = browser.new_context(locale="ko-KR", user_agent=f"{CHROME} Reader/{n}")
                page = context.new_page()
                beacons = []
                page.on("request", lambda request, seen=beacons: seen.append(request))
                first = page.goto(url)
                expect(page.locator("h1.headline")).to_have_text(article.headline)
                again = page.reload()
                assert (first.headers["x-page-cache"], again.headers["x-page-cache"]) == (
                    "miss" if n == 0 else "hit",
                    "hit",
                )
                # Nothing sent from the browser: the server counted.
                assert not [r for r in beacons if "/audience/" in r.url]
                context.close()
            crawler = browser.new_page(user_agent="Mozilla/5.0 (compatible; Yeti/1.1)")
            crawler.goto(url)
            crawler.close()
        finally:
            browser.close()
    pageviews.buffer.flush()
    assert services.views_flush() == 2
    assert DailyViews.objects.get(article=article).views == 2
