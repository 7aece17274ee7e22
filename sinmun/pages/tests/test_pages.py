"""Legal pages: the service, the reader's pages, the footer and the startup warning."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError

from sinmun.newsroom import actors, followups
from sinmun.newsroom import services as newsroom_services
from sinmun.pages import checks, selectors, services
from sinmun.pages.models import LegalPage


@pytest.fixture
def admin_user(db):
    user = User.objects.create_user("gwanri", password="x")
    user.user_permissions.add(Permission.objects.get(codename="change_outletsettings"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def reporter_user(db):
    user = User.objects.create_user("gija", password="x")
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    return User.objects.get(pk=user.pk)


def test_default_texts_carry_the_outlets_fields(client, newsroom):
    response = client.get("/policy/youth-protection/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "청소년보호정책" in text and "한누리" in text  # the 청소년보호책임자
    for slug in LegalPage.Slug.values:
        assert client.get(f"/policy/{slug}/").status_code == 200
    assert client.get("/policy/nothing/").status_code == 404


def test_footer_links_every_legal_page(client, newsroom):
    text = client.get("/").content.decode()
    for slug, label in LegalPage.Slug.choices:
        assert f'href="/policy/{slug}/"' in text
        assert label in text
    assert "<strong>개인정보처리방침</strong>" in text


def test_admin_edits_a_page_sanitised_and_announced(client, newsroom, admin_user, committed):
    heard = []
    followups.subscribe(followups.Event.SITE_CHANGED, heard.append, phase=followups.Phase.INSIDE)
    try:
        with committed():
            page = services.legal_page_update(
                slug="ethics",
                by=admin_user,
                title="  새나루일보   윤리강령 ",
                body='<p onclick="x()">정확하게 씁니다.</p><script>alert(1)</script>',
            )
    finally:
        followups.unsubscribe(
            followups.Event.SITE_CHANGED, heard.append, phase=followups.Phase.INSIDE
        )
    assert page.title == "새나루일보 윤리강령"
    assert "<script" not in page.body and "onclick" not in page.body
    assert heard[0].kind == "legal" and heard[0].object_id == page.pk
    assert heard[0].actor == "gwanri"
    response = client.get(page.get_absolute_url())
    assert "정확하게 씁니다." in response.content.decode()
    assert selectors.legal_page(slug="ethics").is_default is False
    services.legal_page_reset(slug="ethics", by=admin_user)
    assert selectors.legal_page(slug="ethics").is_default is True


@pytest.mark.parametrize("who", ["reporter", "anonymous"])
def test_only_admins_may_edit(newsroom, reporter_user, who):
    by = reporter_user if who == "reporter" else AnonymousUser()
    with pytest.raises(PermissionDenied, match=services.NOT_ALLOWED):
        services.legal_page_update(slug="privacy", by=by, title="제목", body="<p>본문</p>")
    assert not LegalPage.objects.exists()
    with pytest.raises(TypeError):
        services.legal_page_update(slug="privacy", by=None, title="제목", body="<p>본문</p>")


@pytest.mark.parametrize(
    ("slug", "title", "body", "message"),
    [
        ("nothing", "제목", "<p>본문</p>", services.UNKNOWN_PAGE),
        ("privacy", " ", "<p>본문</p>", services.TITLE_REQUIRED),
        ("privacy", "가" * 101, "<p>본문</p>", services.TITLE_TOO_LONG),
        ("privacy", "제목", "<script>x</script>", services.BODY_REQUIRED),
    ],
)
def test_bad_input_changes_nothing(newsroom, slug, title, body, message):
    with pytest.raises(ValidationError, match=message):
        services.legal_page_update(slug=slug, by=actors.DEMO, title=title, body=body)
    assert not LegalPage.objects.exists()


def test_startup_warning_lists_the_empty_legal_fields(newsroom):
    (warning,) = checks.legal_fields_check()
    assert warning.id == "pages.W001"
    assert "등록연월일" in warning.msg  # the fixture outlet has no registration date
    assert "발행인" not in warning.msg
    newsroom_services.outlet_update(by=actors.DEMO, registration_date="2020-01-02")
    assert checks.legal_fields_check() == []


def test_startup_warning_on_a_fresh_install(db):
    (warning,) = checks.legal_fields_check()
    for label in ("등록번호", "발행인", "편집인", "청소년보호책임자"):
        assert label in warning.msg
