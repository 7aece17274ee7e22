"""Check the taxonomy services and the desk screens that call them.

Sections nest two levels; a renamed reporter or keyword is found and shown by its new name
only; each write needs its own permission. Taxonomy keeps no revisions, so the proof that the
desk went through the services is what the services' follow-ups did: the search index and the
pages show the new name once the change commits.
"""

from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from sinmun.newsroom import actors, services
from sinmun.newsroom.models import Keyword, Reporter, Section, Series
from sinmun.search import backends
from sinmun.search.query import parse


def found(text: str) -> list[int]:
    hits = backends.search(
        parse(text), filters=backends.Filters(), newest=False, limit=50, offset=0
    )
    return hits.ids


def sections() -> list[tuple]:
    return list(Section.objects.order_by("pk").values_list("pk", "name", "slug", "parent", "order"))


# Sections nest two levels -----------------------------------------------------------------------


def test_a_section_moves_under_another_top_section(newsroom):
    services.section_update(by=actors.DEMO, section=newsroom.assembly, parent=newsroom.tech)
    assert Section.objects.get(pk=newsroom.assembly.pk).parent == newsroom.tech
    # And back to the top.
    services.section_update(by=actors.DEMO, section=newsroom.assembly, parent=None)
    assert Section.objects.get(pk=newsroom.assembly.pk).parent is None


@pytest.mark.parametrize(
    ("section", "parent", "message"),
    [
        # 빅테크 under 국회 (itself under 정치) would be a third level.
        ("bigtech", "assembly", services.SECTION_TOO_DEEP),
        # A top section without children under a child: also a third level.
        ("politics_leaf", "assembly", services.SECTION_TOO_DEEP),
        ("politics", "politics", services.SECTION_OWN_PARENT),
        ("assembly", "assembly", services.SECTION_OWN_PARENT),
        # 정치 has 국회 under it: moving 정치 under IT·과학 would push 국회 to a third level.
        ("politics", "tech", services.SECTION_HAS_CHILDREN),
    ],
)
def test_section_update_keeps_two_levels(newsroom, section, parent, message):
    newsroom.politics_leaf = services.section_create(by=actors.DEMO, name="사회", slug="society")
    target = getattr(newsroom, section)
    before = sections()
    with pytest.raises(ValidationError) as excinfo:
        services.section_update(
            by=actors.DEMO, section=target, parent=getattr(newsroom, parent), name="옮긴 섹션"
        )
    assert excinfo.value.messages == [message]
    assert sections() == before


def test_section_create_refuses_a_third_level(newsroom):
    before = sections()
    with pytest.raises(ValidationError) as excinfo:
        services.section_create(
            by=actors.DEMO, name="상임위", slug="committee", parent=newsroom.assembly
        )
    assert excinfo.value.messages == [services.SECTION_TOO_DEEP]
    assert sections() == before


# Renaming a reporter reaches search -------------------------------------------------------------


def test_a_renamed_reporter_is_found_by_the_new_name_only(newsroom, committed):
    with committed():
        article = newsroom.article(
            headline="누리호 발사 성공", keywords=[], reporters=[newsroom.lee]
        )
        other = newsroom.article(
            headline="누리호 발사 연기", keywords=[], reporters=[newsroom.park]
        )
    assert found("이서연") == [article.pk]
    with committed():
        services.reporter_update(by=actors.DEMO, reporter=newsroom.lee, name="최서윤")
    assert found("최서윤") == [article.pk]
    assert found("이서연") == []
    # The other article kept its reporter.
    assert found("박하준") == [other.pk]


def test_a_rename_without_commit_leaves_the_index(newsroom, committed):
    """The re-index is queued after commit: a rolled-back rename must not reach search."""
    with committed():
        article = newsroom.article(
            headline="누리호 발사 성공", keywords=[], reporters=[newsroom.lee]
        )
    services.reporter_update(by=actors.DEMO, reporter=newsroom.lee, name="최서윤")
    assert found("이서연") == [article.pk]
    assert found("최서윤") == []


# Keywords ---------------------------------------------------------------------------------------


def test_keyword_rename_refuses_an_existing_name(newsroom):
    article = newsroom.article(keywords=["반도체", "한결전자"])
    chips = Keyword.objects.get(name="반도체")
    with pytest.raises(ValidationError) as excinfo:
        services.keyword_rename(by=actors.DEMO, keyword=chips, name="한결전자")
    assert excinfo.value.messages == [services.KEYWORD_EXISTS]
    assert sorted(Keyword.objects.values_list("name", flat=True)) == ["반도체", "한결전자"]
    assert sorted(article.keywords.values_list("name", flat=True)) == ["반도체", "한결전자"]


def test_keyword_create_refuses_an_existing_name(newsroom):
    newsroom.article(keywords=["반도체"])
    with pytest.raises(ValidationError) as excinfo:
        services.keyword_create(by=actors.DEMO, name=" 반도체 ")
    assert excinfo.value.messages == [services.KEYWORD_EXISTS]
    assert list(Keyword.objects.values_list("name", flat=True)) == ["반도체"]


def test_keyword_rename_moves_its_page(client, newsroom, committed):
    with committed():
        article = newsroom.article(headline="반도체 새 공장", keywords=["반도체"])
    assert article.headline in client.get("/keyword/반도체/").content.decode()
    keyword = Keyword.objects.get(name="반도체")
    with committed():
        services.keyword_rename(by=actors.DEMO, keyword=keyword, name="시스템반도체")
    assert client.get("/keyword/반도체/").status_code == 404
    response = client.get("/keyword/시스템반도체/")
    assert response.status_code == 200
    assert article.headline in response.content.decode()
    assert (
        unquote(Keyword.objects.get(pk=keyword.pk).get_absolute_url()) == "/keyword/시스템반도체/"
    )


def test_keyword_rename_to_the_same_name_changes_nothing(newsroom):
    newsroom.article(keywords=["반도체"])
    keyword = Keyword.objects.get(name="반도체")
    assert services.keyword_rename(by=actors.DEMO, keyword=keyword, name="반도체") == keyword
    assert list(Keyword.objects.values_list("pk", "name")) == [(keyword.pk, "반도체")]


# Permissions ------------------------------------------------------------------------------------


def user_with(django_user_model, *codenames):
    user = django_user_model.objects.create_user(username="taxonomist", password=None)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="newsroom", codename__in=codenames)
    )
    assert user.user_permissions.count() == len(codenames)
    return django_user_model.objects.get(pk=user.pk)  # a fresh object: permissions are cached


def rows():
    return (
        list(Section.objects.order_by("pk").values()),
        list(Series.objects.order_by("pk").values()),
        list(Reporter.objects.order_by("pk").values()),
        list(Keyword.objects.order_by("pk").values()),
    )


UPDATES = {
    "section": lambda n, by: services.section_update(by=by, section=n.politics, name="바꾼 이름"),
    "series": lambda n, by: services.series_update(by=by, series=n.column, name="바꾼 이름"),
    "reporter": lambda n, by: services.reporter_update(by=by, reporter=n.kim, name="바꾼 이름"),
    "keyword": lambda n, by: services.keyword_rename(by=by, keyword=n.keyword, name="바꾼 이름"),
}
CREATES = {
    "section": lambda n, by: services.section_create(by=by, name="경제", slug="economy"),
    "series": lambda n, by: services.series_create(by=by, name="사설", slug="editorial"),
    "reporter": lambda n, by: services.reporter_create(by=by, name="최서윤"),
    "keyword": lambda n, by: services.keyword_create(by=by, name="새 키워드"),
}


@pytest.fixture
def tagged(newsroom):
    newsroom.article(keywords=["반도체"])
    newsroom.keyword = Keyword.objects.get(name="반도체")
    return newsroom


@pytest.mark.parametrize("model", UPDATES)
def test_changing_needs_the_change_permission(tagged, django_user_model, model):
    # Adding is allowed, and changing every other kind: only the one permission is missing.
    others = [f"change_{m}" for m in UPDATES if m != model]
    user = user_with(django_user_model, f"add_{model}", *others)
    before = rows()
    with pytest.raises(PermissionDenied) as excinfo:
        UPDATES[model](tagged, user)
    assert str(excinfo.value) == services.NOT_ALLOWED_TAXONOMY
    assert rows() == before
    # With the permission the same call goes through.
    UPDATES[model](tagged, user_with_more(django_user_model, user, f"change_{model}"))
    assert rows() != before


@pytest.mark.parametrize("model", CREATES)
def test_creating_needs_the_add_permission(tagged, django_user_model, model):
    others = [f"add_{m}" for m in CREATES if m != model]
    user = user_with(django_user_model, f"change_{model}", *others)
    before = rows()
    with pytest.raises(PermissionDenied) as excinfo:
        CREATES[model](tagged, user)
    assert str(excinfo.value) == services.NOT_ALLOWED_TAXONOMY
    assert rows() == before
    CREATES[model](tagged, user_with_more(django_user_model, user, f"add_{model}"))
    assert rows() != before


def user_with_more(django_user_model, user, codename):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="newsroom", codename=codename)
    )
    return django_user_model.objects.get(pk=user.pk)


def test_article_rights_give_no_taxonomy_rights(tagged, django_user_model):
    desk = user_with(django_user_model, "add_article", "change_article", "publish_article")
    before = rows()
    for model, call in {**UPDATES, **CREATES}.items():
        with pytest.raises(PermissionDenied):
            call(tagged, desk)
        assert rows() == before, model


def test_outlet_needs_its_own_permission(newsroom, django_user_model):
    user = user_with(django_user_model, "change_section", "add_section")
    with pytest.raises(PermissionDenied) as excinfo:
        services.outlet_update(by=user, name="바꾼 매체")
    assert str(excinfo.value) == services.NOT_ALLOWED_TO_MANAGE


# The desk ---------------------------------------------------------------------------------------


def reporter_form(reporter, **overrides) -> dict:
    data = {
        "name": reporter.name,
        "slug": reporter.slug,
        "title": reporter.title,
        "email": reporter.email,
        "bio": reporter.bio,
        "active": "on",
        "user": "",
        "_save": "저장",
    }
    data.update(overrides)
    return data


def test_renaming_a_reporter_in_the_desk_goes_through_the_service(
    admin_client, front, newsroom, committed, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    with committed():
        article = newsroom.article(
            headline="누리호 발사 성공", keywords=[], reporters=[newsroom.lee]
        )
    page = front.get(article.get_absolute_url())
    assert "이서연" in page.content.decode()
    assert front.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    url = f"/admin/newsroom/reporter/{newsroom.lee.pk}/change/"
    with committed():
        response = admin_client.post(url, reporter_form(newsroom.lee, name="최서윤"))
    assert response.status_code == 302, response.content.decode()
    assert Reporter.objects.get(pk=newsroom.lee.pk).name == "최서윤"
    # Only the service's RENAMED follow-ups re-index the article and start a new page
    # generation; a plain ``save()`` would leave both showing the old name.
    assert found("최서윤") == [article.pk]
    assert found("이서연") == []
    page = front.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "최서윤" in page.content.decode()
    assert "이서연" not in page.content.decode()


def test_adding_a_third_level_section_in_the_desk_shows_the_error(admin_client, newsroom):
    before = sections()
    response = admin_client.post(
        "/admin/newsroom/section/add/",
        {"name": "상임위", "slug": "committee", "parent": str(newsroom.assembly.pk), "order": "0"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"parent": [services.SECTION_TOO_DEEP]}
    assert services.SECTION_TOO_DEEP in response.content.decode()
    assert sections() == before


def test_adding_a_second_level_section_in_the_desk_works(admin_client, newsroom):
    response = admin_client.post(
        "/admin/newsroom/section/add/",
        {"name": "외교", "slug": "diplomacy", "parent": str(newsroom.politics.pk), "order": "3"},
    )
    assert response.status_code == 302, response.content.decode()
    added = Section.objects.get(slug="diplomacy")
    assert (added.name, added.parent, added.order) == ("외교", newsroom.politics, 3)


def test_moving_a_parent_section_under_another_in_the_desk_shows_the_error(admin_client, newsroom):
    before = sections()
    response = admin_client.post(
        f"/admin/newsroom/section/{newsroom.politics.pk}/change/",
        {"name": "정치", "slug": "politics", "parent": str(newsroom.tech.pk), "order": "1"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"parent": [services.SECTION_HAS_CHILDREN]}
    assert sections() == before


def test_an_invalid_keyword_in_the_desk_shows_the_form_error(admin_client, newsroom):
    """A name the service refuses is an error on the form, as for sections, not a 403 page."""
    response = admin_client.post(
        "/admin/newsroom/keyword/add/", {"name": "AI/반도체", "_save": "저장"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"name": [services.KEYWORD_SLASH]}
    assert not Keyword.objects.exists()


def test_renaming_a_keyword_in_the_desk_to_an_existing_name_shows_the_form_error(
    admin_client, newsroom
):
    """Two spaces typed inside the name: Django's unique check passes it, the service's
    normalised name is taken. The editor must see the form again with the reason."""
    newsroom.article(keywords=["반도체 공장", "한결전자"])
    keyword = Keyword.objects.get(name="한결전자")
    response = admin_client.post(
        f"/admin/newsroom/keyword/{keyword.pk}/change/", {"name": "반도체  공장", "_save": "저장"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"name": [services.KEYWORD_EXISTS]}
    assert sorted(Keyword.objects.values_list("name", flat=True)) == ["반도체 공장", "한결전자"]


def test_renaming_a_keyword_in_the_desk_moves_its_page(admin_client, client, newsroom, committed):
    with committed():
        article = newsroom.article(headline="반도체 새 공장", keywords=["반도체"])
    keyword = Keyword.objects.get(name="반도체")
    with committed():
        response = admin_client.post(
            f"/admin/newsroom/keyword/{keyword.pk}/change/",
            {"name": "시스템반도체", "_save": "저장"},
        )
    assert response.status_code == 302, response.content.decode()
    assert client.get("/keyword/반도체/").status_code == 404
    assert article.headline in client.get("/keyword/시스템반도체/").content.decode()


@pytest.mark.parametrize(
    ("old", "new", "rename"),
    [
        (
            "국회",
            "의회",
            lambda n: services.section_update(by=actors.DEMO, section=n.assembly, name="의회"),
        ),
        (
            "기자수첩",
            "현장수첩",
            lambda n: services.series_update(by=actors.DEMO, series=n.column, name="현장수첩"),
        ),
        (
            "우주",
            "항공우주",
            lambda n: services.keyword_rename(
                by=actors.DEMO, keyword=Keyword.objects.get(name="우주"), name="항공우주"
            ),
        ),
    ],
)
def test_a_renamed_section_series_or_keyword_reaches_search(newsroom, committed, old, new, rename):
    with committed():
        article = newsroom.article(
            headline="누리호 발사 성공",
            keywords=["우주"],
            section=newsroom.assembly,
            series=newsroom.column,
        )
    assert found(old) == [article.pk]
    assert found(new) == []
    with committed():
        rename(newsroom)
    assert found(new) == [article.pk]
    assert found(old) == []


def test_renaming_a_section_in_the_desk_changes_the_cached_menu(
    admin_client, front, newsroom, committed, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    newsroom.article()
    assert "IT·과학" in front.get("/").content.decode()
    assert front.get("/")["X-Page-Cache"] == "hit"
    with committed():
        response = admin_client.post(
            f"/admin/newsroom/section/{newsroom.tech.pk}/change/",
            {"name": "과학기술", "slug": "it-science", "parent": "", "order": "2"},
        )
    assert response.status_code == 302, response.content.decode()
    home = front.get("/")
    assert home["X-Page-Cache"] == "miss"
    assert "과학기술" in home.content.decode()
    assert "IT·과학" not in home.content.decode()
