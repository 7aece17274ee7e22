"""The 관리자 pages through the test client: who gets in, what each change does in the database,
and that a refusal (wrong role, bad input) changes nothing."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from sinmun.api import services as api_services
from sinmun.api.models import ApiClient
from sinmun.desk import accounts
from sinmun.desk.context_processors import desk_role
from sinmun.newsroom import roles, services
from sinmun.newsroom.models import OutletSettings, Reporter, Section, Series
from sinmun.newsroom.services.desks import NOT_A_DESK
from sinmun.pages import services as pages_services
from sinmun.pages.models import LegalPage

STRONG = "새나루-편집국-2026!"


def url(name: str, *args) -> str:
    return reverse(f"desk:manage:{name}", args=args)


def _user(django_user_model, username: str, role: str | None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password=STRONG, first_name=extra.pop("name", ""), **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def admin(django_user_model):
    return _user(django_user_model, "boss", roles.ADMIN, name="정하늘")


@pytest.fixture
def desk(django_user_model):
    return _user(django_user_model, "desk", roles.DESK, name="오가람")


@pytest.fixture
def gija(django_user_model):
    return _user(django_user_model, "gija", roles.REPORTER, name="김민준")


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def api_client_row(admin):
    client, _token = api_services.api_client_create(by=admin, name="wire", scopes=["read"])
    return client


def _png(color=(200, 30, 30), size=(40, 40)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def state(django_user_model) -> tuple:
    """Return everything the 관리자 pages can change, to compare before and after a refusal."""
    return (
        list(OutletSettings.objects.values()),
        list(Section.objects.values()),
        list(Section.desk_editors.through.objects.values_list("section_id", "user_id")),
        list(Series.objects.values()),
        list(Reporter.objects.values()),
        list(
            django_user_model.objects.order_by("pk").values_list(
                "username", "is_active", "password", "first_name"
            )
        ),
        list(django_user_model.groups.through.objects.values_list("user_id", "group_id")),
        list(LegalPage.objects.values()),
        list(ApiClient.objects.values()),
    )


def outlet_form(**changes) -> dict:
    data = {
        "name": "새나루일보",
        "title": "새나루일보",
        "company": "(주)새나루미디어",
        "address": "서울특별시 중구 새나루로 12",
        "phone": "02-0000-0000",
        "registration_number": "서울 아09999",
        "registration_date": "2020-01-02",
        "publisher": "정하늘",
        "editor": "오가람",
        "publication_date": "2020-02-03",
        "youth_officer": "한누리",
        "email": "desk@example.com",
    }
    data.update(changes)
    return data


# Who gets in ---------------------------------------------------------------------------------


def _pages(newsroom, admin) -> list[str]:
    return [
        url("index"),
        url("outlet"),
        url("sections"),
        url("section-new"),
        url("section-edit", newsroom.tech.pk),
        url("series"),
        url("series-new"),
        url("series-edit", newsroom.column.pk),
        url("reporters"),
        url("reporter-new"),
        url("reporter-edit", newsroom.kim.pk),
        url("accounts"),
        url("account-new"),
        url("account", admin.pk),
        url("portal"),
        url("legal"),
        url("legal-edit", LegalPage.Slug.YOUTH),
        url("api-clients"),
        url("api-client-new"),
    ]


def test_every_page_opens_for_a_manager_with_the_manage_link(as_admin, newsroom, admin):
    for page in _pages(newsroom, admin):
        response = as_admin.get(page)
        assert response.status_code == 200, page
        assert 'href="/desk/manage/"' in response.text, page
        assert "desk/manage.css" in response.text, page


@pytest.mark.parametrize("role", [roles.DESK, roles.REPORTER, None])
def test_every_page_is_refused_to_other_roles(client, newsroom, admin, django_user_model, role):
    client.force_login(_user(django_user_model, "other", role))
    for page in _pages(newsroom, admin):
        assert client.get(page).status_code == 403, page


def test_every_page_sends_a_stranger_to_the_login(client, newsroom, admin):
    for page in _pages(newsroom, admin):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("desk:login")), page


def _posts(newsroom, admin, client_row) -> list[tuple[str, dict]]:
    return [
        (url("outlet"), outlet_form(title="바뀐제호")),
        (url("section-new"), {"name": "경제", "slug": "economy", "order": 3}),
        (url("section-edit", newsroom.tech.pk), {"name": "과학", "slug": "sci", "order": 1}),
        (url("series-new"), {"name": "현장", "slug": "field"}),
        (url("series-edit", newsroom.column.pk), {"name": "수첩", "slug": "column"}),
        (url("reporter-new"), {"name": "최기자", "title": "기자", "active": "on"}),
        (url("reporter-edit", newsroom.kim.pk), {"name": "김바뀜", "title": "기자"}),
        (
            url("account-new"),
            {"username": "new", "name": "새사람", "role": roles.ADMIN, "password": STRONG},
        ),
        (url("account-role", admin.pk), {"role": roles.REPORTER}),
        (url("account-active", admin.pk), {"active": "0"}),
        (url("account-password", admin.pk), {"password": "다른-비밀번호-2027!"}),
        (url("legal-edit", LegalPage.Slug.YOUTH), {"title": "청소년", "body": "<p>본문</p>"}),
        (url("legal-reset", LegalPage.Slug.PRIVACY), {}),
        (url("api-client-new"), {"name": "bad", "scopes": ["read", "write"]}),
        (url("api-client-revoke", client_row.pk), {}),
    ]


@pytest.mark.parametrize("role", [roles.DESK, roles.REPORTER, None])
def test_every_change_is_refused_to_other_roles_and_changes_nothing(
    client, newsroom, admin, api_client_row, django_user_model, role
):
    pages_services.legal_page_update(
        slug=LegalPage.Slug.PRIVACY, by=admin, title="개인정보", body="<p>고친 글</p>"
    )
    client.force_login(_user(django_user_model, "other", role))
    before = state(django_user_model)
    for page, data in _posts(newsroom, admin, api_client_row):
        assert client.post(page, data).status_code == 403, page
    assert state(django_user_model) == before


def test_every_change_sends_a_stranger_to_the_login_and_changes_nothing(
    client, newsroom, admin, api_client_row, django_user_model
):
    before = state(django_user_model)
    for page, data in _posts(newsroom, admin, api_client_row):
        response = client.post(page, data)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("desk:login")), page
    assert state(django_user_model) == before


def test_a_stopped_manager_is_sent_away(client, admin, newsroom):
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    client.force_login(admin)
    assert client.get(url("outlet")).status_code == 302


def test_the_context_processor_gives_the_role_only_when_asked(rf, admin, gija):
    request = rf.get("/")
    request.user = admin
    assert desk_role(request)["desk_role"]() == roles.ADMIN
    request.user = gija
    assert desk_role(request)["desk_role"]() == roles.REPORTER


# 매체·법정 정보 -------------------------------------------------------------------------------


def test_a_manager_changes_the_outlet_and_uploads_a_logo(as_admin, newsroom, committed):
    with committed():  # the page cache and the outlet's cache move on after commit
        response = as_admin.post(
            url("outlet"),
            outlet_form(
                title="새나루신문", feed_full_text="on", show_approved_time="on", logo=_png()
            ),
        )
    assert response.status_code == 302
    outlet = OutletSettings.objects.get()
    assert outlet.title == "새나루신문"
    assert outlet.feed_full_text and outlet.show_approved_time
    assert str(outlet.registration_date) == "2020-01-02"
    # Re-encoded and named by its content, as article photos are.
    assert outlet.logo.name.startswith("outlet/") and outlet.logo.name.endswith(".png")
    assert "logo" not in outlet.logo.name
    assert as_admin.get("/").text.count("새나루신문") >= 1


def test_an_outlet_without_a_title_or_with_a_fake_logo_is_refused(
    as_admin, newsroom, django_user_model
):
    before = state(django_user_model)
    response = as_admin.post(url("outlet"), outlet_form(title=""))
    assert response.status_code == 400
    assert "필수 항목입니다." in response.text
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = as_admin.post(url("outlet"), outlet_form(logo=fake))
    assert response.status_code == 400
    assert services.PHOTO_NOT_IMAGE in response.text
    assert state(django_user_model) == before


# 섹션 --------------------------------------------------------------------------------------


def test_a_manager_creates_a_section_with_its_desk(as_admin, newsroom, desk):
    response = as_admin.post(
        url("section-new"),
        {"name": "경제", "slug": "economy", "order": 3, "desk_editors": [desk.pk]},
    )
    assert response.status_code == 302
    section = Section.objects.get(slug="economy")
    assert section.name == "경제" and section.parent is None
    assert list(section.desk_editors.all()) == [desk]
    listing = as_admin.get(url("sections")).text
    assert "경제" in listing and "오가람" in listing


def test_a_manager_moves_and_renames_a_section_and_drops_its_desk(as_admin, admin, newsroom, desk):
    services.section_set_desk_editors(by=admin, section=newsroom.bigtech, users=[desk])
    response = as_admin.post(
        url("section-edit", newsroom.bigtech.pk),
        {"name": "플랫폼", "slug": "platform", "parent": newsroom.politics.pk, "order": 5},
    )
    assert response.status_code == 302
    newsroom.bigtech.refresh_from_db()
    assert (newsroom.bigtech.name, newsroom.bigtech.slug) == ("플랫폼", "platform")
    assert newsroom.bigtech.parent == newsroom.politics
    assert not newsroom.bigtech.desk_editors.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "경제", "slug": "politics", "order": 0}, "이미 존재합니다"),
        ({"name": "", "slug": "economy", "order": 0}, services.NAME_REQUIRED),
        ({"name": " ", "slug": "economy", "order": 0}, services.NAME_REQUIRED),
    ],
)
def test_a_bad_section_is_refused_and_changes_nothing(
    as_admin, newsroom, django_user_model, data, message
):
    before = state(django_user_model)
    response = as_admin.post(url("section-new"), data)
    assert response.status_code == 400
    assert message in response.text
    assert state(django_user_model) == before


def test_a_third_level_or_a_non_desk_editor_rolls_the_whole_form_back(
    as_admin, newsroom, gija, django_user_model
):
    before = state(django_user_model)
    # The parent list offers top sections only; a forged id is refused by the form.
    response = as_admin.post(
        url("section-edit", newsroom.tech.pk),
        {"name": "새이름", "slug": "it-science", "parent": newsroom.assembly.pk, "order": 0},
    )
    assert response.status_code == 400
    # A 기자 forged into the desk list: the rename must not survive the refused assignment.
    response = as_admin.post(
        url("section-edit", newsroom.tech.pk),
        {"name": "새이름", "slug": "it-science", "order": 0, "desk_editors": [gija.pk]},
    )
    assert response.status_code == 400
    assert state(django_user_model) == before


def test_the_service_refuses_a_non_desk_editor_with_its_message(newsroom, admin, gija):
    with pytest.raises(ValidationError, match=NOT_A_DESK.format(names="gija")):
        services.section_set_desk_editors(by=admin, section=newsroom.tech, users=[gija])


# 연재 --------------------------------------------------------------------------------------


def test_a_manager_creates_and_edits_a_series(as_admin, newsroom):
    assert as_admin.post(url("series-new"), {"name": "현장", "slug": "field"}).status_code == 302
    series = Series.objects.get(slug="field")
    response = as_admin.post(
        url("series-edit", series.pk), {"name": "현장에서", "slug": "field", "description": "설명"}
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.name, series.description) == ("현장에서", "설명")
    assert "[현장에서]" in as_admin.get(url("series")).text


def test_a_series_with_a_taken_slug_or_no_name_is_refused(as_admin, newsroom, django_user_model):
    before = state(django_user_model)
    response = as_admin.post(url("series-new"), {"name": "현장", "slug": "column"})
    assert response.status_code == 400 and "이미 존재합니다" in response.text
    response = as_admin.post(url("series-edit", newsroom.column.pk), {"name": "", "slug": "c"})
    assert response.status_code == 400 and services.NAME_REQUIRED in response.text
    assert state(django_user_model) == before


# 기자 --------------------------------------------------------------------------------------


def test_a_manager_creates_a_reporter_with_a_photo_and_an_account(as_admin, newsroom, gija):
    response = as_admin.post(
        url("reporter-new"),
        {
            "name": "최하늘",
            "title": "선임기자",
            "email": "choi@example.com",
            "active": "on",
            "photo": _png(),
            "user": gija.pk,
        },
    )
    assert response.status_code == 302
    reporter = Reporter.objects.get(name="최하늘")
    assert reporter.title == "선임기자" and reporter.active
    assert reporter.user == gija
    assert reporter.photo.name.startswith("reporters/")
    assert reporter.slug  # made by the service


def test_a_manager_retires_a_reporter_and_links_an_account(as_admin, newsroom, gija):
    response = as_admin.post(
        url("reporter-edit", newsroom.kim.pk),
        {"name": "김민준", "title": "기자", "slug": "kim-minjun", "user": gija.pk},
    )
    assert response.status_code == 302
    newsroom.kim.refresh_from_db()
    assert not newsroom.kim.active
    assert newsroom.kim.user == gija
    assert newsroom.kim.slug == "kim-minjun"


def test_an_account_linked_to_another_reporter_is_not_offered(as_admin, admin, newsroom, gija):
    services.reporter_update(by=admin, reporter=newsroom.lee, user=gija)
    response = as_admin.post(
        url("reporter-edit", newsroom.kim.pk), {"name": "김민준", "title": "기자", "user": gija.pk}
    )
    assert response.status_code == 400
    newsroom.kim.refresh_from_db()
    assert newsroom.kim.user is None


def test_a_reporter_without_a_name_is_refused(as_admin, newsroom, django_user_model):
    before = state(django_user_model)
    response = as_admin.post(url("reporter-new"), {"name": "  ", "title": "기자"})
    assert response.status_code == 400 and services.NAME_REQUIRED in response.text
    assert state(django_user_model) == before


# 계정 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", roles.ROLES)
def test_a_manager_creates_an_account_that_works_in_its_role(
    as_admin, newsroom, django_user_model, role
):
    response = as_admin.post(
        url("account-new"),
        {
            "username": "newbie",
            "name": "한새봄",
            "email": "newbie@example.com",
            "role": role,
            "password": STRONG,
        },
    )
    assert response.status_code == 302
    user = django_user_model.objects.get(username="newbie")
    assert user.first_name == "한새봄" and user.email == "newbie@example.com"
    assert user.is_active and user.check_password(STRONG)
    assert [g.name for g in user.groups.all()] == [role]
    assert roles.role_of(user) == role
    client = Client()
    client.force_login(user)
    assert client.get(reverse("desk:dashboard")).status_code == 200
    assert client.get(url("index")).status_code == (200 if role == roles.ADMIN else 403)
    assert "한새봄" in as_admin.get(url("accounts")).text


def _weak_messages(password: str, user) -> list[str]:
    with translation.override("ko"):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            return error.messages
    raise AssertionError("not weak")


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"password": "1234"}, None),
        ({"password": "newbie2026"}, None),
        ({"password": ""}, accounts.PASSWORD_REQUIRED),
        ({"name": ""}, accounts.NAME_REQUIRED),
        ({"username": ""}, accounts.USERNAME_REQUIRED),
        ({"username": "BOSS"}, accounts.USERNAME_TAKEN),
        ({"username": "새 사람!"}, "사용자 이름"),
        ({"role": "편집국장"}, "올바르게 선택해 주세요"),
        ({"email": "not-an-address"}, "올바른 이메일"),
    ],
)
def test_a_bad_account_is_refused_and_changes_nothing(
    as_admin, django_user_model, changes, field_message
):
    data = {"username": "newbie", "name": "한새봄", "role": roles.DESK, "password": STRONG}
    data.update(changes)
    before = state(django_user_model)
    response = as_admin.post(url("account-new"), data)
    assert response.status_code == 400
    if field_message:
        assert field_message in response.text
    else:
        new = django_user_model(username=data["username"], first_name=data["name"])
        for message in _weak_messages(data["password"], new):
            assert message in response.text
    assert state(django_user_model) == before


def test_a_manager_changes_a_role(as_admin, desk):
    response = as_admin.post(url("account-role", desk.pk), {"role": roles.REPORTER})
    assert response.status_code == 302
    desk.refresh_from_db()
    assert [g.name for g in desk.groups.all()] == [roles.REPORTER]
    assert roles.role_of(type(desk).objects.get(pk=desk.pk)) == roles.REPORTER


def test_other_groups_are_kept_when_the_role_changes(as_admin, desk):
    extra = Group.objects.create(name="사진부")
    desk.groups.add(extra)
    as_admin.post(url("account-role", desk.pk), {"role": roles.ADMIN})
    assert {g.name for g in desk.groups.all()} == {"사진부", roles.ADMIN}


def test_a_manager_stops_and_restarts_an_account(as_admin, desk):
    client = Client()
    client.force_login(desk)
    assert client.get(reverse("desk:dashboard")).status_code == 200
    assert as_admin.post(url("account-active", desk.pk), {"active": "0"}).status_code == 302
    desk.refresh_from_db()
    assert not desk.is_active
    # The open session ends at once.
    assert client.get(reverse("desk:dashboard")).status_code == 302
    assert as_admin.post(url("account-active", desk.pk), {"active": "1"}).status_code == 302
    desk.refresh_from_db()
    assert desk.is_active


def test_a_manager_cannot_stop_or_demote_themselves(as_admin, admin, django_user_model):
    before = state(django_user_model)
    response = as_admin.post(url("account-active", admin.pk), {"active": "0"})
    assert response.status_code == 400
    assert accounts.CANNOT_DEACTIVATE_SELF in response.text
    response = as_admin.post(url("account-role", admin.pk), {"role": roles.DESK})
    assert response.status_code == 400
    assert accounts.CANNOT_DEMOTE_SELF in response.text
    assert state(django_user_model) == before
    assert as_admin.get(url("index")).status_code == 200


def test_a_superuser_is_out_of_the_desks_reach(as_admin, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", STRONG)
    before = state(django_user_model)
    for page, data in [
        (url("account-password", root.pk), {"password": "다른-비밀번호-2027!"}),
        (url("account-active", root.pk), {"active": "0"}),
        (url("account-role", root.pk), {"role": roles.REPORTER}),
    ]:
        assert as_admin.post(page, data).status_code == 403, page
    assert state(django_user_model) == before


def test_a_manager_resets_a_password(as_admin, desk):
    response = as_admin.post(url("account-password", desk.pk), {"password": "다른-비밀번호-2027!"})
    assert response.status_code == 302
    desk.refresh_from_db()
    assert desk.check_password("다른-비밀번호-2027!")


def test_a_manager_changing_their_own_password_stays_signed_in(as_admin, admin):
    response = as_admin.post(url("account-password", admin.pk), {"password": "다른-비밀번호-2027!"})
    assert response.status_code == 302
    assert as_admin.get(url("index")).status_code == 200


def test_a_weak_new_password_is_refused(as_admin, desk, django_user_model):
    before = state(django_user_model)
    response = as_admin.post(url("account-password", desk.pk), {"password": "desk"})
    assert response.status_code == 400
    for message in _weak_messages("desk", desk):
        assert message in response.text
    assert state(django_user_model) == before


@pytest.mark.parametrize(
    "call",
    [
        lambda by, user: accounts.account_set_role(by=by, user=user, role=roles.ADMIN),
        lambda by, user: accounts.account_set_active(by=by, user=user, active=False),
        lambda by, user: accounts.account_set_password(by=by, user=user, password=STRONG + "x"),
        lambda by, user: accounts.account_create(
            by=by, username="x1", name="엑스", email="", role=roles.ADMIN, password=STRONG
        ),
    ],
)
def test_the_account_services_refuse_anyone_but_a_manager(desk, gija, call):
    with pytest.raises(PermissionDenied, match=accounts.NOT_ALLOWED):
        call(desk, gija)


# 포털 제출 목록 ------------------------------------------------------------------------------


def test_the_portal_list_shows_the_range_and_downloads_the_commands_csv(as_admin, newsroom):
    article = newsroom.article(headline="포털에 낼 기사", minutes_ago=30)
    today = timezone.localdate()
    start, end = (today - timedelta(days=1)).isoformat(), today.isoformat()
    response = as_admin.get(url("portal"), {"start": start, "end": end})
    assert response.status_code == 200
    assert "포털에 낼 기사" in response.text and article.public_id in response.text
    csv = as_admin.get(url("portal"), {"start": start, "end": end, "format": "csv"})
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert "attachment" in csv["Content-Disposition"]
    body = b"".join(csv.streaming_content).decode("utf-8")
    out = io.StringIO()
    with override_settings(SITE_URL_SET=True, SITE_URL="http://testserver"):
        call_command("export_articles", "--from", start, "--to", end, stdout=out)
    assert body == out.getvalue()
    assert body.startswith("\ufeffURL,제목,기자,입력 시각,섹션\r\n")


def test_the_portal_list_refuses_a_reversed_range(as_admin, newsroom):
    response = as_admin.get(url("portal"), {"start": "2026-12-06", "end": "2026-12-01"})
    assert response.status_code == 400
    assert "시작일이 종료일보다 늦습니다." in response.text


# 법정 페이지 ---------------------------------------------------------------------------------


def test_a_manager_edits_a_legal_page_and_the_body_is_sanitised(as_admin, newsroom):
    response = as_admin.post(
        url("legal-edit", LegalPage.Slug.YOUTH),
        {"title": "청소년보호정책", "body": "<p>보호합니다</p><script>alert(1)</script>"},
    )
    assert response.status_code == 302
    page = LegalPage.objects.get(slug=LegalPage.Slug.YOUTH)
    assert "보호합니다" in page.body and "<script" not in page.body
    assert page.updated_by == "boss"
    assert "고침" in as_admin.get(url("legal")).text
    assert as_admin.post(url("legal-reset", LegalPage.Slug.YOUTH)).status_code == 302
    assert not LegalPage.objects.exists()


def test_a_legal_page_without_a_title_or_body_is_refused(as_admin, newsroom, django_user_model):
    before = state(django_user_model)
    page = url("legal-edit", LegalPage.Slug.YOUTH)
    response = as_admin.post(page, {"title": "", "body": "<p>글</p>"})
    assert response.status_code == 400 and pages_services.TITLE_REQUIRED in response.text
    response = as_admin.post(page, {"title": "제목", "body": "<script>x</script>"})
    assert response.status_code == 400 and pages_services.BODY_REQUIRED in response.text
    assert state(django_user_model) == before
    assert as_admin.get(url("legal-edit", "no-such-page")).status_code == 404


# API 토큰 ----------------------------------------------------------------------------------


def test_a_manager_creates_a_client_and_sees_its_token_once(as_admin, admin):
    response = as_admin.post(
        url("api-client-new"),
        {"name": "yonhap-wire", "scopes": ["read", "write"], "rate_per_minute": 120},
    )
    assert response.status_code == 200
    assert "다시 볼 수 없습니다" in response.text
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    client = ApiClient.objects.get(name="yonhap-wire")
    token = response.context["token"]
    assert token in response.text
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert client.scopes == ["read", "write"] and client.rate_per_minute == 120
    assert client.created_by == admin
    listing = as_admin.get(url("api-clients")).text
    assert "yonhap-wire" in listing and token not in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Bad Name", "scopes": ["read"], "rate_per_minute": 60}, "BAD_NAME"),
        ({"name": "ok", "scopes": [], "rate_per_minute": 60}, "BAD_SCOPES"),
        (
            {"name": "ok", "scopes": ["read", "publish"], "rate_per_minute": 60},
            "PUBLISH_NEEDS_WRITE",
        ),
        ({"name": "wire", "scopes": ["read"], "rate_per_minute": 60}, "NAME_TAKEN"),
        ({"name": "ok", "scopes": ["read"], "rate_per_minute": 0}, "BAD_RATE"),
    ],
)
def test_a_bad_client_is_refused(as_admin, api_client_row, django_user_model, data, message):
    before = state(django_user_model)
    response = as_admin.post(url("api-client-new"), data)
    assert response.status_code == 400
    assert getattr(api_services, message) in response.text
    assert state(django_user_model) == before


def test_a_manager_revokes_a_client(as_admin, api_client_row):
    response = as_admin.post(url("api-client-revoke", api_client_row.pk))
    assert response.status_code == 302
    api_client_row.refresh_from_db()
    assert api_client_row.revoked_at is not None
    again = as_admin.post(url("api-client-revoke", api_client_row.pk), follow=True)
    assert "이미 폐기된 클라이언트입니다." in again.text


# Phone and laptop widths -----------------------------------------------------------------------


@pytest.mark.browser
def test_every_page_fits_a_phone_and_a_laptop(live_server, transactional_db, newsroom):
    from playwright.sync_api import sync_playwright

    from sinmun import testbrowser

    admin = _user(get_user_model(), "boss", roles.ADMIN, name="정하늘")
    desk = _user(get_user_model(), "desk", roles.DESK, name="오가람")
    services.section_set_desk_editors(by=admin, section=newsroom.tech, users=[desk])
    api_services.api_client_create(by=admin, name="yonhap-wire-service", scopes=["read", "write"])
    newsroom.article(headline="아주 긴 제목이 붙은 기사 " * 4, minutes_ago=30)
    today = timezone.localdate().isoformat()
    pages = [*_pages(newsroom, admin), f"{url('portal')}?start={today}&end={today}"]
    with sync_playwright() as playwright:
        browser = testbrowser.launch(playwright)
        for width in (375, 1280):
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="ko-KR")
            page = context.new_page()
            page.goto(f"{live_server.url}{reverse('desk:login')}")
            page.fill("#id_username", "boss")
            page.fill("#id_password", STRONG)
            page.get_by_role("button", name="로그인").click()
            page.wait_for_url(f"{live_server.url}/desk/")
            for path in pages:
                page.goto(f"{live_server.url}{path}")
                assert page.locator("h1").count() == 1, path
                testbrowser.assert_no_horizontal_overflow(page, f"{path} at {width}px")
            context.close()
        browser.close()
