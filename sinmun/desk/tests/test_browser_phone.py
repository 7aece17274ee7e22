"""Every desk page a reporter or desk editor uses fits a phone (375 px) and a laptop (1280 px)
with no sideways scrolling; wide tables scroll inside their box."""

import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from sinmun.newsroom import actors, roles, services
from sinmun.testbrowser import assert_no_horizontal_overflow, launch

from .test_browser_day import PASSWORD, account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_body_helpers(page, tmp_path):
    """The 자 count follows typing; an inline photo is uploaded and lands in the body."""
    body = page.locator(".tiptap.ProseMirror")
    body.click()
    page.keyboard.type("가나다라마")
    expect(page.locator("#body-count")).to_have_text("5")
    photo = tmp_path / "inline.jpg"
    Image.new("RGB", (800, 450), (40, 90, 150)).save(photo, "JPEG")
    page.once("dialog", lambda dialog: dialog.accept("새나루역 앞 (사진=김민준 기자)"))
    page.set_input_files("#inline-photo", str(photo))
    figure = body.locator("figure")
    expect(figure).to_have_count(1)
    assert figure.locator("img").get_attribute("src").startswith("/media/photos/")
    expect(figure.locator("figcaption")).to_have_text("새나루역 앞 (사진=김민준 기자)")


def test_desk_pages_fit_phone_and_laptop(live_server, newsroom, tmp_path):
    desk = account("phone-desk", roles.DESK)
    article = services.article_create(
        by=desk,
        headline="새나루시 시내버스 12개 노선 다음 달 개편",
        subheadlines=["출퇴근 배차 간격 5분 단축"],
        body="<p>새나루시가 다음 달 1일부터 시내버스 노선을 바꾼다.</p>",
        section=newsroom.bigtech,
        reporters=[newsroom.kim, newsroom.lee],
    )
    for n in range(3):
        services.article_update(article=article, by=desk, headline=f"새나루시 버스 노선 개편 {n}판")
    services.article_publish(article=article, by=actors.DEMO)
    services.correction_publish(article=article, by=desk, kind="correction", text="바로잡습니다.")
    pages = [
        "/desk/",
        "/desk/articles/new/",
        f"/desk/articles/{article.pk}/",
        f"/desk/articles/{article.pk}/history/",
        f"/desk/articles/{article.pk}/diff/",
        f"/desk/articles/{article.pk}/correction/",
        "/desk/audit/",
    ]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for width in (375, 1280):
                page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
                page.goto(f"{live_server.url}/desk/login/")
                page.fill("#id_username", "phone-desk")
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{live_server.url}/desk/")
                for path in pages:
                    response = page.goto(f"{live_server.url}{path}")
                    assert response.status == 200, path
                    assert_no_horizontal_overflow(page, f"{path} at {width}px")
                    if path.endswith("/new/"):
                        # The body editor's toolbar speaks Korean (desk/static/desk/i18n.js).
                        bold = page.locator(".prose-menubar button", has_text="format_bold")
                        bold.wait_for()
                        assert bold.get_attribute("title") == "굵게"
                        assert bold.get_attribute("aria-label") == "굵게"
                        menu = page.locator(".prose-menubar").inner_text()
                        assert "Heading" not in menu and "Paragraph" not in menu
                    if path.endswith("/new/") and width == 1280:
                        check_body_helpers(page, tmp_path)
                page.context.close()
        finally:
            browser.close()
