"""Django's admin (at /admin/, superusers only; the newsroom works in the desk) through the
test client.

Every article write from the desk must go through ``services``; the revisions the services write
are the proof. Expected values are written out by hand.
"""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from sinmun.newsroom import services
from sinmun.newsroom.models import Article, ArticleRevision, Keyword

LOGIN_URL = "/admin/login/"
ADD_URL = "/admin/newsroom/article/add/"
CHANGELIST_URL = "/admin/newsroom/article/"

HEADLINE = "한결전자, 평택에 반도체 새 공장 짓는다"
BODY = "<p>한결전자가 새 공장을 짓기로 했다.</p><script>alert(1)</script><p>회사는 12일 밝혔다.</p>"
CLEAN_BODY = "<p>한결전자가 새 공장을 짓기로 했다.</p><p>회사는 12일 밝혔다.</p>"
SUBHEADLINES = ["총 4조 원 투입해 2028년 가동", "지역 일자리 1200개 예상"]


def change_url(article: Article) -> str:
    return f"/admin/newsroom/article/{article.pk}/change/"


def form_data(newsroom, **overrides) -> dict:
    """Return the add/change form as a browser posts it (empty fields included)."""
    data = {
        "headline": HEADLINE,
        "body": BODY,
        "section": str(newsroom.bigtech.pk),
        "series": "",
        "lead_photo_caption": "",
        "lead_photo_credit": "",
        "subheadlines_text": "\n".join(SUBHEADLINES),
        "reporters": [str(newsroom.kim.pk), str(newsroom.lee.pk)],
        "keywords_text": "반도체, 한결전자",
        "_save": "저장",
    }
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def revisions(article: Article) -> list[str]:
    return list(article.revisions.order_by("at", "id").values_list("action", flat=True))


@pytest.fixture
def draft(newsroom) -> Article:
    return newsroom.article(publish=False, headline="한결전자 새 공장 초안")


def run_action(client, action: str, article: Article):
    return client.post(
        CHANGELIST_URL, {"action": action, "_selected_action": [str(article.pk)]}, follow=True
    )


# --- Login -------------------------------------------------------------------------------------


def test_login_page_is_korean(client, db):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko"' in html
    assert "신문 시스템 관리" in html
    assert "로그인" in html
    assert "Log in" not in html


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(CHANGELIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_desk_index_shows_the_korean_header(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "신문 시스템 관리" in html
    assert "슈퍼유저 전용" in html


# --- Create and edit through the form ---------------------------------------------------------


def test_add_form_creates_a_draft_through_the_service(admin_client, newsroom):
    response = admin_client.post(ADD_URL, form_data(newsroom))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == CHANGELIST_URL
    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Article.Status.DRAFT
    assert article.first_published_at is None
    assert article.subheadlines == SUBHEADLINES
    assert sorted(article.keywords.values_list("name", flat=True)) == ["반도체", "한결전자"]
    assert [b.reporter for b in article.bylines.all()] == [newsroom.kim, newsroom.lee]
    assert article.body == CLEAN_BODY
    assert "script" not in article.body
    assert article.body_text  # the service derived the plain text
    assert article.uri == f"urn:sinmun:article:{article.public_id}"
    [revision] = article.revisions.all()
    assert revision.action == ArticleRevision.Action.CREATE
    assert revision.by.username == "admin"
    assert revision.snapshot["subheadlines"] == SUBHEADLINES


def test_add_form_links_its_message_and_history_to_the_new_article(admin_client, newsroom):
    response = admin_client.post(ADD_URL, form_data(newsroom), follow=True)
    article = Article.objects.get(headline=HEADLINE)
    [message] = messages_of(response)
    assert f'<a href="{change_url(article)}">{HEADLINE}</a>' in message
    [entry] = LogEntry.objects.filter(action_flag=ADDITION)
    assert entry.object_id == str(article.pk)


def test_change_form_updates_and_writes_an_update_revision(admin_client, newsroom):
    admin_client.post(ADD_URL, form_data(newsroom))
    article = Article.objects.get(headline=HEADLINE)
    page = admin_client.get(change_url(article))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["subheadlines_text"] == "\n".join(SUBHEADLINES)
    assert form.initial["keywords_text"] == "반도체, 한결전자"
    response = admin_client.post(
        change_url(article),
        form_data(
            newsroom,
            headline="한결전자, 평택 새 공장 착공",
            subheadlines_text="총 4조 원 투입",
            reporters=[str(newsroom.park.pk)],
            keywords_text="반도체",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    article.refresh_from_db()
    assert article.headline == "한결전자, 평택 새 공장 착공"
    assert article.subheadlines == ["총 4조 원 투입"]
    assert list(article.keywords.values_list("name", flat=True)) == ["반도체"]
    assert [b.reporter for b in article.bylines.all()] == [newsroom.park]
    assert article.status == Article.Status.DRAFT
    assert article.updated_at is None  # a draft has no 수정 time
    assert revisions(article) == ["create", "update"]
    assert Article.objects.count() == 1


# --- Publish and withdraw (the admin actions) -------------------------------------------------


def test_publish_action_publishes_and_withdraw_action_withdraws(admin_client, client, draft):
    response = run_action(admin_client, "publish", draft)
    assert response.status_code == 200
    assert "1건을 출고했습니다." in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.first_published_at is not None
    assert revisions(draft) == ["create", "publish"]
    assert client.get(draft.get_absolute_url()).status_code == 200

    response = run_action(admin_client, "withdraw", draft)
    assert "1건을 회수했습니다." in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.WITHDRAWN
    assert revisions(draft) == ["create", "publish", "withdraw"]
    assert client.get(draft.get_absolute_url()).status_code == 410


def test_withdraw_action_on_a_draft_shows_the_service_error(admin_client, draft):
    response = run_action(admin_client, "withdraw", draft)
    assert f"{draft.headline}: {services.CANNOT_WITHDRAW}" in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert revisions(draft) == ["create"]


@pytest.fixture
def desk_user(db):
    """Return a staff user who may view and change articles, but not publish them."""
    user = get_user_model().objects.create_user(username="reporter", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="newsroom", codename__in=["view_article", "change_article"]
        )
    )
    return user


def test_a_staff_user_who_is_not_a_superuser_is_kept_out(client, desk_user, draft):
    """Even with every article permission, only superusers use Django's admin."""
    desk_user.user_permissions.add(Permission.objects.get(codename="publish_article"))
    client.force_login(desk_user)
    assert client.get(CHANGELIST_URL).status_code == 302  # to the admin's login
    response = run_action(client, "publish", draft)
    assert response.redirect_chain and response.redirect_chain[0][0].startswith(LOGIN_URL)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.first_published_at is None
    assert revisions(draft) == ["create"]


# --- Bad input through the form --------------------------------------------------------------


def field_errors(response, name: str) -> list[str]:
    return list(response.context["adminform"].form.errors.get(name, []))


def test_seven_subheadline_lines_are_refused(admin_client, newsroom):
    lines = "\n".join(f"부제 {n}번째 줄" for n in range(1, 8))
    response = admin_client.post(ADD_URL, form_data(newsroom, subheadlines_text=lines))
    assert response.status_code == 200
    assert field_errors(response, "subheadlines_text") == [services.SUBHEADLINES_TOO_MANY]
    assert services.SUBHEADLINES_TOO_MANY in response.content.decode()
    assert Article.objects.count() == 0
    assert ArticleRevision.objects.count() == 0


def test_six_subheadline_lines_are_accepted(admin_client, newsroom):
    lines = [f"부제 {n}번째 줄" for n in range(1, 7)]
    response = admin_client.post(ADD_URL, form_data(newsroom, subheadlines_text="\n".join(lines)))
    assert response.status_code == 302
    assert Article.objects.get().subheadlines == lines


def test_a_keyword_over_fifty_characters_is_refused(admin_client, newsroom):
    response = admin_client.post(ADD_URL, form_data(newsroom, keywords_text="반도체, " + "가" * 51))
    assert response.status_code == 200
    assert field_errors(response, "keywords_text") == [services.KEYWORD_INVALID]
    assert services.KEYWORD_INVALID in response.content.decode()
    assert Article.objects.count() == 0
    assert Keyword.objects.count() == 0


def test_a_keyword_of_fifty_characters_is_accepted(admin_client, newsroom):
    response = admin_client.post(ADD_URL, form_data(newsroom, keywords_text="가" * 50))
    assert response.status_code == 302
    assert list(Article.objects.get().keywords.values_list("name", flat=True)) == ["가" * 50]


def test_a_bad_edit_changes_nothing(admin_client, newsroom, draft):
    lines = "\n".join(f"부제 {n}번째 줄" for n in range(1, 8))
    response = admin_client.post(
        change_url(draft),
        form_data(newsroom, headline="바뀌면 안 되는 제목", subheadlines_text=lines),
    )
    assert response.status_code == 200
    assert field_errors(response, "subheadlines_text") == [services.SUBHEADLINES_TOO_MANY]
    draft.refresh_from_db()
    assert draft.headline == "한결전자 새 공장 초안"
    assert revisions(draft) == ["create"]


# --- The audit trail is read-only ------------------------------------------------------------


def test_revision_admin_refuses_add_change_and_delete(admin_client, draft):
    revision = draft.revisions.get()
    base = "/admin/newsroom/articlerevision/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}add/", {"action": "publish"}).status_code == 403
    assert admin_client.post(
        f"{base}{revision.pk}/change/", {"action": "withdraw"}
    ).status_code == (403)
    assert admin_client.get(f"{base}{revision.pk}/delete/").status_code == 403
    assert admin_client.post(f"{base}{revision.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(base, {"action": "delete_selected", "_selected_action": [str(revision.pk)]})
    revision.refresh_from_db()
    assert revision.action == ArticleRevision.Action.CREATE
    assert ArticleRevision.objects.count() == 1
