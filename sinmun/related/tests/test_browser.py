"""The editor's 관련기사 · 키워드 제안 · 3줄 요약 cards in Debian's Chromium, at 375 and 1280 px:
a keyword chip fills the keyword field, 부제로 넣기 fills the 부제 lines, nothing overflows.
Screenshots land in var/screenshots (related-desk-375.png, related-desk-1280.png)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.contrib.contenttypes.management import create_contenttypes
from playwright.sync_api import expect, sync_playwright

from sinmun.newsroom import roles
from sinmun.testbrowser import assert_no_horizontal_overflow, launch

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
PASSWORD = "x-Passw0rd!-related"


@pytest.fixture
def desk_login(transactional_db, django_user_model):
    # A transactional test may follow one that emptied the groups (see desk/tests/conftest.py).
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    roles.ensure_groups()
    user = django_user_model.objects.create_user(username="related-desk", password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.DESK))
    return user


@pytest.mark.browser
def test_the_editor_cards_fill_the_form(live_server, desk_login, stories):
    first = stories.ferry[0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width in (375, 1280):
                page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
                page.goto(f"{live_server.url}/desk/login/")
                page.fill("#id_username", "related-desk")
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{live_server.url}/desk/")
                page.goto(f"{live_server.url}/desk/articles/{first.pk}/")
                cards = page.locator(".related-panel")
                expect(cards.first).to_be_visible(timeout=15_000)
                expect(page.locator(".related-desk-list li")).to_have_count(2)
                chip = page.locator("[data-related-keyword]").first
                word = chip.get_attribute("data-related-keyword")
                chip.click()
                expect(page.locator("#id_keywords")).to_have_value(f"{word}")
                expect(chip).to_be_disabled()
                page.get_by_role("button", name="부제로 넣기").click()
                lines = page.locator(".lines-editor .line input")
                expect(lines.first).not_to_have_value("")
                values = lines.evaluate_all("(inputs) => inputs.map((i) => i.value)")
                expected = page.locator(".summary-lines li").all_inner_texts()
                assert [v for v in values if v] == expected
                assert page.locator("#id_subheadlines").input_value() == "\n".join(expected)
                assert_no_horizontal_overflow(page, f"editor at {width}px")
                page.locator(".related-panel").first.scroll_into_view_if_needed()
                page.screenshot(path=str(SCREENSHOTS / f"related-desk-{width}.png"), full_page=True)
                page.context.close()
        finally:
            browser.close()
