"""No Content-Security-Policy violation in Debian's Chromium, on the reader's pages and the desk.

The reader's article has a lead photo, banners (images and a sandboxed HTML tag), its JSON-LD
blocks and the view beacon; the desk's editor runs django-prose-editor, is typed in and saved.
Violations are caught twice: the ``securitypolicyviolation`` events the document fires, and the
"Refused to …" errors Chromium prints to the console.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from sinmun.ads import services as ads
from sinmun.ads.tests.conftest import images_for, png
from sinmun.newsroom import roles
from sinmun.newsroom.models import Article
from sinmun.testbrowser import launch, require_chromium

PASSWORD = "csp-Check-2026!"
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
});
"""
TYPED = "새나루시는 다음 달부터 심야 버스 노선 3개를 새로 운행한다."


@pytest.fixture
def site(live_server, newsroom, django_user_model, settings):
    settings.AUDIENCE_COUNTING = "beacon"  # the page carries the beacon script
    roles.ensure_groups()
    admin = django_user_model.objects.create_user(username="cspadmin", password=PASSWORD)
    admin.groups.add(Group.objects.get(name=roles.ADMIN))
    admin = django_user_model.objects.get(pk=admin.pk)
    now = timezone.now()
    campaign = ads.campaign_create(
        by=admin, name="구독 안내", is_house=True, starts_at=now - timedelta(hours=1)
    )
    for fmt in ("leaderboard", "rectangle"):
        ads.creative_create(
            by=admin, campaign=campaign, name=fmt, format=fmt, alt_text="구독 안내",
            link_url=f"{live_server.url}/corrections/", **images_for(fmt),
        )  # fmt: skip
    tag = ads.campaign_create(
        by=admin, name="태그", is_house=True, priority=9, slots=["article-below"],
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
    )  # fmt: skip
    ads.creative_create(
        by=admin, campaign=tag, name="태그", format="leaderboard", kind="html",
        html='<p>광고</p><script>document.body.dataset.ran = "1"</script>',
    )  # fmt: skip
    story = newsroom.article(
        headline="새나루시, 심야 버스 노선 늘린다",
        lead_photo=ContentFile(png((1200, 675)).read(), name="bus.png"),
        lead_photo_caption="새나루시청 앞 정류장",
        series=newsroom.column,
        minutes_ago=5,
    )
    return {"story": story, "admin": admin}


def violations(page, console: list[str]) -> list[str]:
    found = page.evaluate("window.__violations") + [
        text for text in console if "Content Security Policy" in text or "Refused to" in text
    ]
    console.clear()
    page.evaluate("window.__violations = []")
    return found


def assert_clean(page, console: list[str], where: str) -> None:
    found = violations(page, console)
    if found:
        pytest.fail(f"{where}: " + "\n".join(found))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_pages_and_the_desk_editor_break_no_policy(live_server, site):
    require_chromium()
    base = live_server.url
    story = site["story"]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
            context.add_init_script(LISTEN)
            page = context.new_page()
            page.set_default_timeout(15_000)
            console: list[str] = []
            page.on("console", lambda message: console.append(message.text))
            for path in (
                "/",
                story.get_absolute_url(),
                f"/section/{story.section.slug}/",
                "/search/?q=심야+버스",
            ):
                page.goto(f"{base}{path}")
                assert_clean(page, console, path)
            # The article's moving parts all ran: banners filled, the beacon's script loaded.
            page.goto(f"{base}{story.get_absolute_url()}")
            page.locator("[data-ad-slot='article-below']").scroll_into_view_if_needed()
            expect(page.locator("[data-ad-slot='article-below'] iframe")).to_have_count(1)
            expect(page.locator("[data-ad-slot] img").first).to_be_visible()
            assert page.locator("script[type='application/ld+json']").count() == 2
            assert page.locator("script[data-endpoint]").count() == 1
            page.wait_for_load_state("networkidle")
            assert "/ads/f/" in page.frames[-1].url
            assert_clean(page, console, page.url)

            # The desk: login page, then the editor, typed in and saved.
            page.goto(f"{base}/desk/login/")
            assert_clean(page, console, page.url)
            page.fill("#id_username", "cspadmin")
            page.fill("#id_password", PASSWORD)
            page.get_by_role("button", name="로그인").click()
            page.wait_for_url(f"{base}/desk/")
            page.goto(f"{base}/desk/articles/{story.pk}/")
            body = page.locator(".ProseMirror[contenteditable=true]")
            expect(body, "the body editor did not start").to_be_visible()
            body.click()
            page.keyboard.press("End")
            page.keyboard.press("Enter")
            page.keyboard.type(TYPED)
            page.get_by_role("button", name="저장", exact=True).click()
            expect(page.locator(".flash li")).to_have_text("저장했습니다.")
            assert_clean(page, console, page.url)
        finally:
            browser.close()
    assert TYPED in Article.objects.get(pk=story.pk).body
