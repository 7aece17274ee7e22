"""Check every editorial action: validation, state, permissions and the audit trail."""

import io
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from sinmun.newsroom import actors, photos, services
from sinmun.newsroom.models import (
    Article,
    ArticleRevision,
    Keyword,
    Reporter,
    Section,
)

HEADLINE = "한결전자, 평택에 반도체 새 공장 짓는다"
BODY = "<p>한결전자가 새 공장을 짓기로 했다.</p><p>회사는 12일 이렇게 밝혔다.</p>"


@pytest.fixture
def fields(newsroom):
    """Return valid ``article_create`` fields; failure tests change exactly one of them."""
    return {
        "headline": HEADLINE,
        "subheadlines": ["총 4조 원 투입해 2028년 가동"],
        "body": BODY,
        "section": newsroom.bigtech,
        "reporters": [newsroom.kim],
        "keywords": ["반도체", "한결전자"],
    }


def counts():
    return (
        Article.objects.count(),
        ArticleRevision.objects.count(),
        Keyword.objects.count(),
        Reporter.objects.count(),
        Section.objects.count(),
    )


def reporters_of(article):
    return [b.reporter for b in article.bylines.order_by("order")]


def revisions_of(article):
    return list(article.revisions.order_by("id"))


# article_create ---------------------------------------------------------------------------------


def test_create_makes_a_draft_with_a_default_uri_and_one_revision(fields):
    article = services.article_create(by=actors.DEMO, **fields)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.uri == f"urn:sinmun:article:{article.public_id}"
    assert article.headline == HEADLINE
    assert article.subheadlines == ["총 4조 원 투입해 2028년 가동"]
    assert article.body == BODY
    assert article.body_text == "한결전자가 새 공장을 짓기로 했다.\n회사는 12일 이렇게 밝혔다."
    assert article.first_published_at is None
    assert article.updated_at is None
    [revision] = revisions_of(article)
    assert revision.action == ArticleRevision.Action.CREATE
    assert revision.by is None
    assert revision.snapshot == {
        "headline": HEADLINE,
        "subheadlines": ["총 4조 원 투입해 2028년 가동"],
        "body": BODY,
        "section": "bigtech",
        "section_id": fields["section"].pk,
        "series": None,
        "series_id": None,
        "reporters": ["김민준"],
        "reporter_ids": [r.pk for r in fields["reporters"]],
        "keywords": ["반도체", "한결전자"],
        "status": "draft",
        "lead_photo": None,
        "lead_photo_caption": "",
        "lead_photo_credit": "",
        "first_published_at": None,
        "updated_at": None,
    }


def test_create_keeps_a_given_uri(fields):
    article = services.article_create(by=actors.DEMO, uri="urn:newsml:saenaru:2026:1", **fields)
    assert Article.objects.get(pk=article.pk).uri == "urn:newsml:saenaru:2026:1"


def test_create_sanitises_the_body_and_derives_its_text(fields):
    fields["body"] = (
        '<p onclick="steal()">본문 <a href="https://example.com/a">원문</a></p>'
        "<script>alert(1)</script><div>끝</div>"
    )
    article = services.article_create(by=actors.DEMO, **fields)
    article.refresh_from_db()
    assert article.body == (
        '<p>본문 <a href="https://example.com/a" rel="noopener noreferrer">원문</a></p>끝'
    )
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert article.body_text == "본문 원문\n끝"


def test_create_normalises_the_headline_to_nfc(fields):
    fields["headline"] = unicodedata.normalize("NFD", HEADLINE)
    assert fields["headline"] != HEADLINE
    article = services.article_create(by=actors.DEMO, **fields)
    article.refresh_from_db()
    assert article.headline == HEADLINE


def test_create_normalises_the_body_to_nfc(fields):
    fields["body"] = unicodedata.normalize("NFD", "<p>반도체 공장</p>")
    article = services.article_create(by=actors.DEMO, **fields)
    assert article.body == "<p>반도체 공장</p>"
    assert article.body_text == "반도체 공장"


def test_create_removes_c0_control_characters_and_collapses_spaces(fields):
    fields["headline"] = "  국회\x00 본회의\x07\x1b 통과\x7f  "
    fields["subheadlines"] = ["여야\x0b 합의", "표결\x1f 결과"]
    article = services.article_create(by=actors.DEMO, **fields)
    article.refresh_from_db()
    assert article.headline == "국회 본회의 통과"
    assert article.subheadlines == ["여야 합의", "표결 결과"]


def test_create_removes_c1_control_characters(fields):
    # U+0080–U+009F are control characters too (Unicode category Cc); U+009B is the C1 CSI.
    fields["headline"] = "국회 본회의\x9b 통과\x80"
    article = services.article_create(by=actors.DEMO, **fields)
    article.refresh_from_db()
    assert article.headline == "국회 본회의 통과"
    assert not [c for c in article.headline if unicodedata.category(c) == "Cc"]


def test_create_cleans_subheadlines_and_drops_empty_lines(fields):
    fields["subheadlines"] = ["  총 4조 원   투입 ", "", "   ", "지역\t일자리 1200개"]
    article = services.article_create(by=actors.DEMO, **fields)
    article.refresh_from_db()
    assert article.subheadlines == ["총 4조 원 투입", "지역 일자리 1200개"]


def test_create_takes_subheadlines_as_lines_of_text(fields):
    fields["subheadlines"] = "첫째 줄\n\n둘째 줄\n"
    article = services.article_create(by=actors.DEMO, **fields)
    assert article.subheadlines == ["첫째 줄", "둘째 줄"]


def test_six_subheadlines_are_allowed_even_with_blank_lines_between(fields):
    fields["subheadlines"] = ["하나", "둘", "", "셋", "넷", " ", "다섯", "여섯"]
    article = services.article_create(by=actors.DEMO, **fields)
    assert article.subheadlines == ["하나", "둘", "셋", "넷", "다섯", "여섯"]


def assert_create_refused(fields, message):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        services.article_create(by=actors.DEMO, **fields)
    assert excinfo.value.messages == [message]
    assert counts() == before


def test_seven_subheadlines_are_refused(fields):
    fields["subheadlines"] = ["하나", "둘", "셋", "넷", "다섯", "여섯", "일곱"]
    assert_create_refused(fields, services.SUBHEADLINES_TOO_MANY)


def test_subheadlines_must_be_a_list_of_text(fields):
    fields["subheadlines"] = ["하나", 2]
    assert_create_refused(fields, services.SUBHEADLINES_NOT_LIST)


def test_a_subheadline_over_200_characters_is_refused(fields):
    fields["subheadlines"] = ["가" * 201]
    assert_create_refused(fields, services.SUBHEADLINE_TOO_LONG)


@pytest.mark.parametrize("headline", ["", "   ", "\x00\x07", None, 42])
def test_an_empty_headline_is_refused(fields, headline):
    fields["headline"] = headline
    assert_create_refused(fields, services.HEADLINE_REQUIRED)


def test_a_missing_headline_is_refused(fields):
    del fields["headline"]
    assert_create_refused(fields, services.HEADLINE_REQUIRED)


def test_a_headline_over_300_characters_is_refused(fields):
    fields["headline"] = "가" * 301
    assert_create_refused(fields, services.HEADLINE_TOO_LONG)


def test_a_headline_of_300_characters_is_allowed(fields):
    fields["headline"] = "가" * 300
    assert services.article_create(by=actors.DEMO, **fields).headline == "가" * 300


@pytest.mark.parametrize(
    "body",
    ["", "   ", "<p></p>", "<p> </p><br>", "<script>alert('본문')</script>", "<!-- 메모 -->", None],
)
def test_an_empty_body_is_refused(fields, body):
    fields["body"] = body
    assert_create_refused(fields, services.BODY_REQUIRED)


def test_a_missing_body_is_refused(fields):
    del fields["body"]
    assert_create_refused(fields, services.BODY_REQUIRED)


def test_a_failed_create_leaves_no_keyword_behind(fields, newsroom):
    # The keywords are created before the uri's uniqueness is checked; the failure must undo them.
    taken = newsroom.article(uri="urn:sinmun:taken")
    fields["keywords"] = ["전고체 배터리"]
    before = counts()
    with pytest.raises(ValidationError):
        services.article_create(by=actors.DEMO, uri=taken.uri, **fields)
    assert counts() == before
    assert not Keyword.objects.filter(name="전고체 배터리").exists()


def test_a_bad_keyword_undoes_the_keywords_created_before_it(fields):
    fields["keywords"] = ["전고체 배터리", "a/b"]
    assert_create_refused(fields, services.KEYWORD_SLASH)
    assert not Keyword.objects.filter(name="전고체 배터리").exists()


def test_unknown_fields_are_a_programming_error(fields):
    before = counts()
    with pytest.raises(TypeError):
        services.article_create(by=actors.DEMO, colour="red", **fields)
    assert counts() == before


# reporters and keywords -------------------------------------------------------------------------


def test_reporters_keep_their_order_and_appear_once(fields, newsroom):
    fields["reporters"] = [newsroom.lee, newsroom.kim, newsroom.lee, newsroom.park, newsroom.kim]
    article = services.article_create(by=actors.DEMO, **fields)
    assert reporters_of(article) == [newsroom.lee, newsroom.kim, newsroom.park]
    assert [b.order for b in article.bylines.order_by("order")] == [0, 1, 2]


def test_update_replaces_the_reporters_in_the_new_order(fields, newsroom):
    article = services.article_create(by=actors.DEMO, **fields)
    services.article_update(
        article=article, by=actors.DEMO, reporters=[newsroom.park, newsroom.kim]
    )
    assert reporters_of(article) == [newsroom.park, newsroom.kim]


def test_keywords_are_created_once_and_shared(fields):
    first = services.article_create(by=actors.DEMO, **fields)
    fields["keywords"] = [unicodedata.normalize("NFD", "반도체"), " 평택 ", "평택"]
    second = services.article_create(by=actors.DEMO, **fields)
    assert sorted(Keyword.objects.values_list("name", flat=True)) == ["반도체", "평택", "한결전자"]
    semiconductor = Keyword.objects.get(name="반도체")
    assert set(semiconductor.articles.all()) == {first, second}
    assert sorted(k.name for k in second.keywords.all()) == ["반도체", "평택"]


def test_keyword_objects_are_accepted(fields):
    keyword = services.keyword_for_name(name="반도체")
    fields["keywords"] = [keyword, "반도체"]
    article = services.article_create(by=actors.DEMO, **fields)
    assert list(article.keywords.all()) == [keyword]
    assert Keyword.objects.count() == 1


# article_update ---------------------------------------------------------------------------------


def test_update_of_a_draft_leaves_the_update_time_empty(newsroom):
    article = newsroom.article(publish=False)
    services.article_update(article=article, by=actors.DEMO, headline="고친 제목")
    article.refresh_from_db()
    assert article.headline == "고친 제목"
    assert article.updated_at is None
    assert [r.action for r in revisions_of(article)] == ["create", "update"]
    assert revisions_of(article)[-1].snapshot["headline"] == "고친 제목"


def test_update_of_a_published_article_sets_the_update_time(newsroom):
    article = newsroom.article(minutes_ago=120)
    first_published_at = Article.objects.get(pk=article.pk).first_published_at
    before = timezone.now()
    services.article_update(article=article, by=actors.DEMO, headline="고친 제목")
    after = timezone.now()
    article.refresh_from_db()
    assert article.headline == "고친 제목"
    assert before <= article.updated_at <= after
    assert article.first_published_at == first_published_at
    last = revisions_of(article)[-1]
    assert last.action == ArticleRevision.Action.UPDATE
    assert last.snapshot["updated_at"] == article.updated_at.isoformat()


def test_a_refused_update_changes_nothing(newsroom):
    article = newsroom.article(minutes_ago=120)
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        services.article_update(article=article, by=actors.DEMO, headline=" ")
    assert excinfo.value.messages == [services.HEADLINE_REQUIRED]
    assert counts() == before
    stored = Article.objects.get(pk=article.pk)
    assert stored.headline == HEADLINE
    assert stored.updated_at is None


# article_submit / article_publish / article_withdraw --------------------------------------------


def test_submit_sends_a_draft_to_the_desk(newsroom):
    article = newsroom.article(publish=False)
    services.article_submit(article=article, by=actors.DEMO)
    article.refresh_from_db()
    assert article.status == Article.Status.SUBMITTED
    last = revisions_of(article)[-1]
    assert last.action == ArticleRevision.Action.SUBMIT
    assert last.snapshot["status"] == "submitted"


@pytest.mark.parametrize("steps", [["submit"], ["publish"], ["publish", "withdraw"]])
def test_submit_only_from_a_draft(newsroom, steps):
    article = newsroom.article(publish=False)
    for step in steps:
        getattr(services, f"article_{step}")(article=article, by=actors.DEMO)
    status = Article.objects.get(pk=article.pk).status
    revisions = ArticleRevision.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.article_submit(article=article, by=actors.DEMO)
    assert excinfo.value.messages == [services.CANNOT_SUBMIT]
    assert Article.objects.get(pk=article.pk).status == status
    assert ArticleRevision.objects.count() == revisions


def test_publish_sets_the_first_publication_time(newsroom):
    article = newsroom.article(publish=False)
    at = datetime(2026, 3, 12, 0, 30, tzinfo=UTC)
    services.article_publish(article=article, by=actors.DEMO, at=at)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.first_published_at == at
    assert article.updated_at is None
    last = revisions_of(article)[-1]
    assert last.action == ArticleRevision.Action.PUBLISH
    assert last.snapshot["status"] == "published"
    assert datetime.fromisoformat(last.snapshot["first_published_at"]) == at


def test_publish_without_a_time_uses_now(newsroom):
    article = newsroom.article(publish=False)
    before = timezone.now()
    services.article_publish(article=article, by=actors.DEMO)
    after = timezone.now()
    article.refresh_from_db()
    assert before <= article.first_published_at <= after


def test_republish_after_withdrawal_keeps_the_first_time_and_sets_the_update_time(newsroom):
    article = newsroom.article(publish=False)
    at = timezone.now() - timedelta(days=2)
    services.article_publish(article=article, by=actors.DEMO, at=at)
    services.article_withdraw(article=article, by=actors.DEMO)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert article.first_published_at == at
    before = timezone.now()
    services.article_publish(article=article, by=actors.DEMO, at=timezone.now() + timedelta(days=1))
    after = timezone.now()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.first_published_at == at
    assert before <= article.updated_at <= after
    assert [r.action for r in revisions_of(article)] == [
        "create",
        "publish",
        "withdraw",
        "publish",
    ]


def test_withdraw_takes_a_published_article_off_the_site(newsroom):
    article = newsroom.article()
    services.article_withdraw(article=article, by=actors.DEMO)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    last = revisions_of(article)[-1]
    assert last.action == ArticleRevision.Action.WITHDRAW
    assert last.snapshot["status"] == "withdrawn"


@pytest.mark.parametrize("steps", [[], ["submit"], ["publish", "withdraw"]])
def test_withdraw_only_when_published(newsroom, steps):
    article = newsroom.article(publish=False)
    for step in steps:
        getattr(services, f"article_{step}")(article=article, by=actors.DEMO)
    status = Article.objects.get(pk=article.pk).status
    revisions = ArticleRevision.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.article_withdraw(article=article, by=actors.DEMO)
    assert excinfo.value.messages == [services.CANNOT_WITHDRAW]
    assert Article.objects.get(pk=article.pk).status == status
    assert ArticleRevision.objects.count() == revisions


def test_every_action_writes_a_revision_with_its_snapshot(newsroom):
    article = newsroom.article(publish=False)
    services.article_update(article=article, by=actors.DEMO, headline="둘째 제목")
    services.article_submit(article=article, by=actors.DEMO)
    services.article_publish(article=article, by=actors.DEMO)
    services.article_update(article=article, by=actors.DEMO, headline="셋째 제목")
    services.article_withdraw(article=article, by=actors.DEMO)
    revisions = revisions_of(article)
    assert [(r.action, r.snapshot["status"], r.snapshot["headline"]) for r in revisions] == [
        ("create", "draft", HEADLINE),
        ("update", "draft", "둘째 제목"),
        ("submit", "submitted", "둘째 제목"),
        ("publish", "published", "둘째 제목"),
        ("update", "published", "셋째 제목"),
        ("withdraw", "withdrawn", "셋째 제목"),
    ]
    assert all(r.at is not None for r in revisions)


# permissions ------------------------------------------------------------------------------------


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user(username="intern", password="x-unused-x")


def grant(user_model, user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="newsroom", codename__in=codenames)
    )
    return user_model.objects.get(pk=user.pk)  # a fresh object: permissions are cached


def test_a_plain_user_may_not_create(fields, plain_user):
    before = counts()
    with pytest.raises(PermissionDenied) as excinfo:
        services.article_create(by=plain_user, **fields)
    assert str(excinfo.value) == services.NOT_ALLOWED_TO_EDIT
    assert counts() == before


@pytest.mark.parametrize(
    ("action", "kwargs", "message"),
    [
        ("update", {"headline": "몰래 고친 제목"}, services.NOT_ALLOWED_TO_EDIT),
        ("submit", {}, services.NOT_ALLOWED_TO_EDIT),
        ("publish", {}, services.NOT_ALLOWED_TO_PUBLISH),
    ],
)
def test_a_plain_user_may_not_change_a_draft(newsroom, plain_user, action, kwargs, message):
    article = newsroom.article(publish=False)
    before = counts()
    with pytest.raises(PermissionDenied) as excinfo:
        getattr(services, f"article_{action}")(article=article, by=plain_user, **kwargs)
    assert str(excinfo.value) == message
    assert counts() == before
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.status, stored.first_published_at) == (
        HEADLINE,
        Article.Status.DRAFT,
        None,
    )


def test_a_plain_user_may_not_withdraw(newsroom, plain_user):
    article = newsroom.article()
    before = counts()
    with pytest.raises(PermissionDenied) as excinfo:
        services.article_withdraw(article=article, by=plain_user)
    assert str(excinfo.value) == services.NOT_ALLOWED_TO_PUBLISH
    assert counts() == before
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_an_editor_may_write_but_not_publish(fields, django_user_model, plain_user):
    editor = grant(django_user_model, plain_user, "add_article", "change_article")
    article = services.article_create(by=editor, **fields)
    services.article_submit(article=article, by=editor)
    before = counts()
    with pytest.raises(PermissionDenied) as excinfo:
        services.article_publish(article=article, by=editor)
    assert str(excinfo.value) == services.NOT_ALLOWED_TO_PUBLISH
    assert counts() == before
    assert Article.objects.get(pk=article.pk).status == Article.Status.SUBMITTED


def test_a_desk_user_with_every_permission_may_do_everything(fields, django_user_model, plain_user):
    desk = grant(django_user_model, plain_user, "add_article", "change_article", "publish_article")
    article = services.article_create(by=desk, **fields)
    services.article_update(article=article, by=desk, headline="데스크가 고친 제목")
    services.article_submit(article=article, by=desk)
    services.article_publish(article=article, by=desk)
    services.article_withdraw(article=article, by=desk, reason="사실관계 재확인")
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert article.headline == "데스크가 고친 제목"
    assert [(r.action, r.by_id) for r in revisions_of(article)] == [
        ("create", desk.pk),
        ("update", desk.pk),
        ("submit", desk.pk),
        ("publish", desk.pk),
        ("withdraw", desk.pk),
    ]


# sections, keywords, reporters ------------------------------------------------------------------


def test_sections_nest_two_levels(newsroom):
    child = services.section_create(
        by=actors.DEMO, name=" 외교 ", slug="diplomacy", parent=newsroom.politics
    )
    assert child.parent == newsroom.politics
    assert child.name == "외교"
    before = Section.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.section_create(by=actors.DEMO, name="외교부", slug="mofa", parent=child)
    assert excinfo.value.messages == [services.SECTION_TOO_DEEP]
    assert Section.objects.count() == before
    assert not Section.objects.filter(slug="mofa").exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", services.KEYWORD_INVALID),
        ("   ", services.KEYWORD_INVALID),
        ("가" * 51, services.KEYWORD_INVALID),
        (None, services.KEYWORD_INVALID),
        # A slash is refused for what it is, not as a length (issue #15).
        ("a/b", services.KEYWORD_SLASH),
        ("/", services.KEYWORD_SLASH),
    ],
)
def test_keyword_for_name_refuses_bad_names(db, name, reason):
    with pytest.raises(ValidationError) as excinfo:
        services.keyword_for_name(name=name)
    assert excinfo.value.messages == [reason]
    assert Keyword.objects.count() == 0


def test_keyword_for_name_creates_once_and_normalises(db):
    first = services.keyword_for_name(name="  반도체   공장 ")
    assert first.name == "반도체 공장"
    assert services.keyword_for_name(name=unicodedata.normalize("NFD", "반도체 공장")) == first
    assert services.keyword_for_name(name="가" * 50).name == "가" * 50
    assert Keyword.objects.count() == 2


def test_reporter_for_name_creates_once_then_reuses(db):
    created = services.reporter_for_name(by=actors.DEMO, name="최유나")
    assert (created.name, created.title, created.active) == ("최유나", "기자", True)
    assert services.reporter_for_name(by=actors.DEMO, name="  최유나 ") == created
    assert (
        services.reporter_for_name(by=actors.DEMO, name=unicodedata.normalize("NFD", "최유나"))
        == created
    )
    other = services.reporter_for_name(by=actors.DEMO, name="정다온")
    assert other != created
    assert other.slug != created.slug
    assert Reporter.objects.count() == 2


def test_reporter_for_name_finds_an_existing_reporter(newsroom):
    before = Reporter.objects.count()
    assert services.reporter_for_name(by=actors.DEMO, name="이서연") == newsroom.lee
    assert Reporter.objects.count() == before


# article_import ---------------------------------------------------------------------------------

FIRST = datetime(2026, 3, 12, 0, 30, tzinfo=UTC)
LATER = datetime(2026, 3, 12, 2, 5, tzinfo=UTC)


def test_import_creates_then_updates_the_same_uri(fields):
    article, created = services.article_import(
        by=actors.DEMO,
        uri="urn:newsml:wire:1",
        status=Article.Status.PUBLISHED,
        first_published_at=FIRST,
        updated_at=None,
        **fields,
    )
    assert created is True
    stored = Article.objects.get(uri="urn:newsml:wire:1")
    assert (stored.status, stored.first_published_at, stored.updated_at) == (
        Article.Status.PUBLISHED,
        FIRST,
        None,
    )
    articles = Article.objects.count()

    fields["headline"] = "고친 제목"
    again, created = services.article_import(
        by=actors.DEMO,
        uri="urn:newsml:wire:1",
        status=Article.Status.WITHDRAWN,
        first_published_at=FIRST,
        updated_at=LATER,
        **fields,
    )
    assert created is False
    assert again.pk == article.pk
    assert Article.objects.count() == articles
    stored = Article.objects.get(uri="urn:newsml:wire:1")
    assert stored.public_id == article.public_id
    assert (stored.headline, stored.status, stored.first_published_at, stored.updated_at) == (
        "고친 제목",
        Article.Status.WITHDRAWN,
        FIRST,
        LATER,
    )
    assert [r.action for r in revisions_of(stored)] == ["import", "import"]


def test_import_takes_a_draft_status_as_given(fields):
    article, _ = services.article_import(
        by=actors.DEMO,
        uri="urn:newsml:wire:2",
        status=Article.Status.DRAFT,
        first_published_at=None,
        updated_at=None,
        **fields,
    )
    article.refresh_from_db()
    assert (article.status, article.first_published_at) == (Article.Status.DRAFT, None)


def test_import_of_a_published_item_needs_the_publish_permission(
    fields, django_user_model, plain_user
):
    editor = grant(django_user_model, plain_user, "add_article", "change_article")
    before = counts()
    with pytest.raises(PermissionDenied) as excinfo:
        services.article_import(
            by=editor,
            uri="urn:newsml:wire:3",
            status=Article.Status.PUBLISHED,
            first_published_at=FIRST,
            updated_at=None,
            **fields,
        )
    assert str(excinfo.value) == services.NOT_ALLOWED_TO_PUBLISH
    assert counts() == before
    desk = grant(django_user_model, editor, "publish_article")
    article, created = services.article_import(
        by=desk,
        uri="urn:newsml:wire:3",
        status=Article.Status.PUBLISHED,
        first_published_at=FIRST,
        updated_at=None,
        **fields,
    )
    assert created
    assert article.status == Article.Status.PUBLISHED


# Photos: the service refuses what is not a modest image, and nothing is written.


def _jpeg(size=(64, 36)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(out, "JPEG")
    return out.getvalue()


def test_create_accepts_a_jpeg_lead_photo(newsroom):
    article = newsroom.article(publish=False, lead_photo=ContentFile(_jpeg(), name="a.jpg"))
    assert article.lead_photo.name.endswith(".jpg")
    assert article.lead_photo.storage.exists(article.lead_photo.name)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not an image at all", services.PHOTO_NOT_IMAGE),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", services.PHOTO_NOT_IMAGE),
        (b"\xff\xd8\xff" + b"0" * 64, services.PHOTO_NOT_IMAGE),
    ],
)
def test_create_refuses_a_file_that_is_not_an_image(newsroom, payload, message):
    before = Article.objects.count()
    with pytest.raises(ValidationError) as error:
        newsroom.article(publish=False, lead_photo=ContentFile(payload, name="x.jpg"))
    assert error.value.messages == [message]
    assert Article.objects.count() == before


def test_create_refuses_a_photo_over_the_size_limit(newsroom, monkeypatch):
    payload = _jpeg()
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", len(payload) - 1)
    before = Article.objects.count()
    with pytest.raises(ValidationError) as error:
        newsroom.article(publish=False, lead_photo=ContentFile(payload, name="big.jpg"))
    assert error.value.messages == [services.PHOTO_TOO_LARGE]
    assert Article.objects.count() == before


def test_create_refuses_a_decompression_bomb(newsroom, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTO_PIXELS", 64 * 36 - 1)
    with pytest.raises(ValidationError) as error:
        newsroom.article(publish=False, lead_photo=ContentFile(_jpeg(), name="bomb.jpg"))
    assert error.value.messages == [services.PHOTO_TOO_LARGE]
