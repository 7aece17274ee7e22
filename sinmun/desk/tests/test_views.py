"""The desk through the test client, as a newsroom uses it: each action, each refusal.

Every refusal is checked to change nothing: the article's row and its revisions are compared
before and after.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sinmun.newsroom import actors, presence, services
from sinmun.newsroom.models import Article, ArticleRevision, Autosave, Correction, PendingChange

from ..permissions import NO_ROLE

pytestmark = pytest.mark.django_db


def state(article: Article) -> tuple:
    row = Article.objects.values_list("status", "headline", "version", "first_published_at").get(
        pk=article.pk
    )
    return row, ArticleRevision.objects.filter(article=article).count()


def edit_url(article, action=None):
    if action:
        return reverse("desk:act", kwargs={"pk": article.pk, "action": action})
    return reverse("desk:edit", kwargs={"pk": article.pk})


def form_data(newsroom, **overrides):
    data = {
        "headline": "새나루시 버스 노선 개편",
        "subheadlines": "다음 달부터 12개 노선 바뀐다\n출퇴근 배차 늘린다",
        "body": "<p>첫째 문단이다.</p><p>둘째 문단이다.</p><p>셋째 문단이다.</p>",
        "section": str(newsroom.assembly.pk),
        "series": "",
        "reporters": [str(newsroom.lee.pk), str(newsroom.kim.pk)],
        "keywords": "버스, 교통",
        "lead_photo_caption": "",
        "lead_photo_credit": "",
        "intent": "save",
    }
    data.update(overrides)
    return data


def test_anonymous_goes_to_the_korean_login_and_a_user_without_role_gets_403(client, clients):
    response = client.get(reverse("desk:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("desk:login"))
    login = client.get(reverse("desk:login"))
    assert "데스크 로그인" in login.content.decode()
    refused = clients["reader"].get(reverse("desk:dashboard"))
    assert refused.status_code == 403


def test_login_form_signs_in_and_a_wrong_password_is_refused_in_korean(client, people):
    wrong = client.post(reverse("desk:login"), {"username": "kim", "password": "nope"})
    assert wrong.status_code == 200
    assert "아이디 또는 비밀번호가 맞지 않습니다." in wrong.content.decode()
    right = client.post(reverse("desk:login"), {"username": "kim", "password": "x-Passw0rd!"})
    assert right.status_code == 302
    assert client.get(reverse("desk:dashboard")).status_code == 200


def test_django_admin_is_only_for_superusers(clients, django_user_model):
    assert clients["admin"].get("/admin/").status_code == 302  # to the admin's own login
    root = django_user_model.objects.create_superuser("root", password="x-Passw0rd!")
    from django.test import Client

    superuser = Client()
    superuser.force_login(root)
    assert superuser.get("/admin/").status_code == 200


def test_reporter_writes_and_submits_with_byline_order_and_paragraphs_kept(
    newsroom, clients, people
):
    response = clients["reporter"].post(reverse("desk:new"), form_data(newsroom, intent="submit"))
    assert response.status_code == 302
    article = Article.objects.get(headline="새나루시 버스 노선 개편")
    assert article.status == Article.Status.SUBMITTED
    assert article.owner == people["reporter"]
    assert [b.reporter for b in article.bylines.order_by("order")] == [newsroom.lee, newsroom.kim]
    assert article.body.count("<p>") == 3
    assert article.subheadlines == ["다음 달부터 12개 노선 바뀐다", "출퇴근 배차 늘린다"]
    assert [r.action for r in article.revisions.order_by("id")] == ["create", "submit"]
    page = clients["reporter"].get(response["Location"])
    assert "송고했습니다." in page.content.decode()


def test_invalid_input_is_refused_in_korean_and_creates_nothing(newsroom, clients):
    before = Article.objects.count()
    response = clients["reporter"].post(reverse("desk:new"), form_data(newsroom, headline=" "))
    assert response.status_code == 400
    assert services.HEADLINE_REQUIRED in response.content.decode()
    # What was typed is still in the form.
    assert "첫째 문단이다." in response.content.decode()
    assert Article.objects.count() == before


def test_hostile_body_html_is_cleaned_on_save(newsroom, clients, draft):
    body = (
        '<p onclick="steal()">본문<script>alert(1)</script></p>'
        '<p><a href="javascript:alert(1)">링크</a><img src="x" onerror="alert(1)"></p>'
        '<p style="position:fixed">스타일</p>'
    )
    clients["reporter"].post(
        edit_url(draft), form_data(newsroom, body=body, base_version=draft.version)
    )
    stored = Article.objects.get(pk=draft.pk).body
    for bad in ("<script", "onclick", "onerror", "javascript:", "style="):
        assert bad not in stored
    assert "본문" in stored and "스타일" in stored


@pytest.mark.parametrize("who", ["other", "reader"])
def test_someone_elses_draft_is_403_and_unchanged(newsroom, clients, draft, who):
    before = state(draft)
    assert clients[who].get(edit_url(draft)).status_code == 403
    response = clients[who].post(
        edit_url(draft), form_data(newsroom, headline="남이 고친 제목", base_version=draft.version)
    )
    assert response.status_code == 403
    assert state(draft) == before


@pytest.mark.parametrize("action", ["publish", "return", "withdraw", "schedule", "unschedule"])
def test_a_reporter_cannot_release_return_or_schedule(clients, draft, action, people):
    services.article_submit(article=draft, by=people["reporter"])
    draft.refresh_from_db()
    before = state(draft)
    at = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = clients["reporter"].post(edit_url(draft, action), {"memo": "이유", "at": at})
    assert response.status_code == 403
    assert state(draft) == before


def test_a_desk_of_another_section_cannot_open_or_release(newsroom, clients, draft, people):
    newsroom.bigtech.desk_editors.add(people["desk"])  # assigned elsewhere only
    services.article_submit(article=draft, by=people["reporter"])
    draft.refresh_from_db()
    before = state(draft)
    assert clients["desk"].get(edit_url(draft)).status_code == 403
    assert clients["desk"].post(edit_url(draft, "publish")).status_code == 403
    assert state(draft) == before
    # Assigned to the parent section (정치), the 국회 article is theirs.
    newsroom.politics.desk_editors.add(people["desk"])
    assert clients["desk"].get(edit_url(draft)).status_code == 200


def test_desk_returns_with_a_memo_and_the_reporter_sees_it(clients, draft, people):
    services.article_submit(article=draft, by=people["reporter"])
    draft.refresh_from_db()
    empty = clients["desk"].post(edit_url(draft, "return"), {"memo": " "}, follow=True)
    assert services.MEMO_REQUIRED in empty.content.decode()
    assert Article.objects.get(pk=draft.pk).status == Article.Status.SUBMITTED
    clients["desk"].post(
        edit_url(draft, "return"), {"memo": "취재원 확인 필요", "base_version": draft.version}
    )
    assert Article.objects.get(pk=draft.pk).status == Article.Status.RETURNED
    dashboard = clients["reporter"].get(reverse("desk:dashboard")).content.decode()
    assert "반려된 내 기사" in dashboard and draft.headline in dashboard
    editor = clients["reporter"].get(edit_url(draft)).content.decode()
    assert "취재원 확인 필요" in editor


def test_desk_releases_and_the_reader_sees_it(client, clients, draft, people):
    services.article_submit(article=draft, by=people["reporter"])
    draft.refresh_from_db()
    assert client.get(draft.get_absolute_url()).status_code == 404
    clients["desk"].post(edit_url(draft, "publish"), {"base_version": draft.version})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.approved_at is not None
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("embargo", [False, True])
def test_desk_schedules_and_nobody_sees_it_before_its_time(client, clients, draft, embargo):
    at = timezone.localtime() + timedelta(minutes=30)
    data = {"at": at.strftime("%Y-%m-%dT%H:%M"), "base_version": draft.version}
    if embargo:
        data["embargo"] = "on"
    clients["desk"].post(edit_url(draft, "schedule"), data)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.embargoed is embargo
    assert draft.first_published_at == at.replace(second=0, microsecond=0)
    assert client.get(draft.get_absolute_url()).status_code == 404
    dashboard = clients["desk"].get(reverse("desk:dashboard")).content.decode()
    section = "엠바고" if embargo else "예약 출고"
    assert dashboard.index(draft.headline) > dashboard.index(section)


def test_a_schedule_in_the_past_is_refused_and_changes_nothing(clients, draft):
    before = state(draft)
    past = (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    response = clients["desk"].post(edit_url(draft, "schedule"), {"at": past}, follow=True)
    assert "예약 시각은 지금보다 뒤여야 합니다." in response.content.decode()
    assert state(draft) == before


def test_withdraw_needs_a_reason_and_the_reader_gets_410_with_it(client, clients, draft):
    services.article_publish(article=draft, by=actors.DEMO)
    draft.refresh_from_db()
    before = state(draft)
    refused = clients["desk"].post(edit_url(draft, "withdraw"), {"memo": ""}, follow=True)
    assert services.REASON_REQUIRED in refused.content.decode()
    assert state(draft) == before
    clients["desk"].post(edit_url(draft, "withdraw"), {"memo": "사실관계 오류 확인"})
    gone = client.get(draft.get_absolute_url())
    assert gone.status_code == 410
    assert "회수 사유: 사실관계 오류 확인" in gone.content.decode()


def test_a_reporters_change_to_a_live_article_waits_for_the_desk(newsroom, client, clients, draft):
    services.article_publish(article=draft, by=actors.DEMO)
    draft.refresh_from_db()
    response = clients["reporter"].post(
        edit_url(draft),
        form_data(newsroom, headline="기자가 고친 제목", base_version=draft.version),
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).headline == "새나루시 버스 노선 개편"
    assert "새나루시 버스 노선 개편" in client.get(draft.get_absolute_url()).content.decode()
    assert PendingChange.objects.filter(article=draft).exists()
    # The preview of the proposal shows it; readers still see the live text.
    preview = clients["desk"].get(reverse("desk:preview", args=[draft.pk]) + "?pending=1")
    assert "기자가 고친 제목" in preview.content.decode()
    clients["desk"].post(edit_url(draft, "pending_release"))
    assert Article.objects.get(pk=draft.pk).headline == "기자가 고친 제목"
    assert not PendingChange.objects.filter(article=draft).exists()
    assert "기자가 고친 제목" in client.get(draft.get_absolute_url()).content.decode()


def test_a_stale_save_is_refused_with_both_versions_and_the_text_kept(newsroom, clients, draft):
    base = draft.version
    services.article_update(article=draft, by=actors.DEMO, headline="먼저 저장된 제목")
    before = state(draft)
    response = clients["reporter"].post(
        edit_url(draft), form_data(newsroom, headline="나중에 쓴 내 제목", base_version=base)
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "다른 사람이 먼저 이 기사를 저장했습니다" in page
    assert "먼저 저장된 제목" in page  # theirs, in the comparison
    assert 'value="나중에 쓴 내 제목"' in page  # mine, still in the form
    assert state(draft) == before
    # Saved again from the refusal page (now based on the current version), it goes through.
    retry = clients["reporter"].post(
        edit_url(draft),
        form_data(newsroom, headline="나중에 쓴 내 제목", base_version=before[0][2]),
    )
    assert retry.status_code == 302
    assert Article.objects.get(pk=draft.pk).headline == "나중에 쓴 내 제목"


def test_autosave_keeps_unsaved_text_until_the_next_real_save(newsroom, clients, draft, people):
    url = reverse("desk:autosave", args=[draft.pk])
    answer = clients["reporter"].post(url, {"headline": "쓰던 제목", "body": "<p>쓰던 글</p>"})
    assert answer.status_code == 200 and "at" in answer.json()
    saved = Autosave.objects.get(article=draft, user=people["reporter"])
    assert saved.fields["headline"] == "쓰던 제목"
    assert ArticleRevision.objects.filter(article=draft).count() == 1  # not a revision
    assert clients["other"].post(url, {"headline": "남의 기사"}).status_code == 403
    editor = clients["reporter"].get(edit_url(draft) + "?autosave=1").content.decode()
    assert 'value="쓰던 제목"' in editor
    clients["reporter"].post(edit_url(draft), form_data(newsroom, base_version=draft.version))
    assert not Autosave.objects.filter(article=draft).exists()


def test_presence_names_the_other_editor(clients, draft, people):
    presence.touch(article_id=draft.pk, user_id=people["desk"].pk, name="데스크 정하늘")
    answer = clients["reporter"].post(reverse("desk:presence", args=[draft.pk])).json()
    assert answer["others"] == ["데스크 정하늘"]
    assert answer["version"] == draft.version


def test_history_compares_two_versions_by_word_and_restores_one(newsroom, clients, draft):
    services.article_update(article=draft, by=actors.DEMO, headline="새나루시 버스 노선 전면 개편")
    revisions = list(draft.revisions.order_by("id"))
    page = (
        clients["reporter"]
        .get(reverse("desk:diff", args=[draft.pk]) + f"?a={revisions[0].pk}&b={revisions[1].pk}")
        .content.decode()
    )
    assert "<ins>전면</ins>" in page
    history = clients["reporter"].get(reverse("desk:history", args=[draft.pk])).content.decode()
    assert "작성" in history and "수정" in history
    clients["reporter"].post(
        reverse("desk:restore", args=[draft.pk, revisions[0].pk]),
        {"base_version": Article.objects.get(pk=draft.pk).version},
    )
    restored = Article.objects.get(pk=draft.pk)
    assert restored.headline == "새나루시 버스 노선 개편"
    last = restored.revisions.order_by("-id").first()
    assert last.action == ArticleRevision.Action.RESTORE
    assert last.memo == f"{revisions[0].version}판 복원"


def test_correction_notice_sits_above_the_headline_and_in_the_list(client, clients, draft):
    services.article_publish(article=draft, by=actors.DEMO)
    url = reverse("desk:correction", args=[draft.pk])
    refused = clients["reporter"].post(url, {"kind": "correction", "text": "바로잡습니다."})
    assert refused.status_code == 403
    clients["desk"].post(
        url,
        {"kind": "correction", "text": "노선 수를 12개로 바로잡습니다.", "decision": "자체 정정"},
    )
    assert Correction.objects.filter(article=draft).count() == 1
    page = client.get(draft.get_absolute_url()).content.decode()
    assert page.index("[정정보도]") < page.index('id="headline"')
    assert "노선 수를 12개로 바로잡습니다." in page
    assert "수정 <time" in page
    listing = client.get(reverse("public:corrections")).content.decode()
    assert draft.headline in listing and "정정보도" in listing


def test_preview_renders_the_public_page_for_a_draft(clients, draft):
    page = clients["reporter"].get(reverse("desk:preview", args=[draft.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "미리보기" in html and 'id="headline"' in html and draft.headline in html


def test_the_audit_log_lists_actions_with_who(clients, draft, people):
    services.article_submit(article=draft, by=people["reporter"])
    page = clients["admin"].get(reverse("desk:audit")).content.decode()
    assert "송고" in page and draft.headline in page and "김민준" in page


def test_no_role_message_is_korean():
    assert "권한" in NO_ROLE


def _jpeg(width=64, height=48) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_inline_photo_upload_takes_a_real_image_and_refuses_a_fake(clients):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sinmun.newsroom import photos

    url = reverse("desk:photo")
    fake = SimpleUploadedFile("사진.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    refused = clients["reporter"].post(url, {"photo": fake})
    assert refused.status_code == 400
    assert refused.json()["error"] == photos.PHOTO_NOT_IMAGE
    real = SimpleUploadedFile("현장.jpg", _jpeg(), "image/jpeg")
    answer = clients["reporter"].post(url, {"photo": real}).json()
    assert answer["url"].startswith("/media/photos/") and answer["url"].endswith(".jpg")
    assert photos.rendition(answer["name"], "card") is not None
    assert clients["reader"].post(url, {"photo": real}).status_code == 403


def test_a_fake_lead_photo_is_refused_and_nothing_is_saved(newsroom, clients, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sinmun.newsroom import photos

    before = state(draft)
    fake = SimpleUploadedFile("lead.png", b"GIF89a<script>alert(1)</script>", "image/png")
    response = clients["reporter"].post(
        edit_url(draft),
        {
            **form_data(newsroom, headline="사진만 바꿈", base_version=draft.version),
            "lead_photo": fake,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert any(
        message in page
        for message in (photos.PHOTO_NOT_IMAGE, photos.PHOTO_CORRUPT, photos.PHOTO_POLYGLOT)
    )
    assert state(draft) == before


def test_hostile_text_in_a_correction_is_shown_as_text(client, clients, draft):
    services.article_publish(article=draft, by=actors.DEMO)
    clients["desk"].post(
        reverse("desk:correction", args=[draft.pk]),
        {
            "kind": "reply",
            "text": '<script>alert(1)</script><img src=x onerror="alert(2)">',
            "decision": '<a href="javascript:alert(3)">중재</a>',
        },
    )
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and 'href="javascript:' not in page


def test_a_new_articles_autosave_comes_back_in_the_editor(clients, people):
    url = reverse("desk:autosave-new")
    clients["reporter"].post(url, {"headline": "아직 저장 안 한 새 기사", "body": "<p>초고</p>"})
    editor = clients["reporter"].get(reverse("desk:new")).content.decode()
    assert "자동 저장본 불러오기" in editor
    restored = clients["reporter"].get(reverse("desk:new") + "?autosave=1").content.decode()
    assert 'value="아직 저장 안 한 새 기사"' in restored
    assert clients["reader"].post(url, {"headline": "몰래"}).status_code == 403
