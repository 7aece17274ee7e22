"""Check what readers may see and how section and home lists are built."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.newsroom import actors, selectors, services
from sinmun.newsroom.models import Article, OutletSettings


@pytest.fixture
def states(newsroom):
    """Return one visible article and one of each kind a reader must not see."""
    visible = newsroom.article(headline="출고된 기사", minutes_ago=30)
    draft = newsroom.article(headline="작성 중인 기사", publish=False)
    submitted = newsroom.article(headline="송고된 기사", publish=False)
    services.article_submit(article=submitted, by=actors.DEMO)
    withdrawn = newsroom.article(headline="출고 취소된 기사", minutes_ago=60)
    services.article_withdraw(article=withdrawn, by=actors.DEMO)
    scheduled = newsroom.article(headline="예약 출고 기사", minutes_ago=-60)
    return {
        "visible": visible,
        "hidden": {
            "draft": draft,
            "submitted": submitted,
            "withdrawn": withdrawn,
            "scheduled": scheduled,
        },
    }


def test_published_articles_hides_drafts_submitted_withdrawn_and_scheduled(states):
    assert list(selectors.published_articles()) == [states["visible"]]


def test_article_for_reader_returns_a_published_article(states):
    article = selectors.article_for_reader(public_id=states["visible"].public_id)
    assert article == states["visible"]


@pytest.mark.parametrize("kind", ["draft", "submitted", "withdrawn", "scheduled"])
def test_article_for_reader_refuses_what_readers_may_not_see(states, kind):
    with pytest.raises(Article.DoesNotExist):
        selectors.article_for_reader(public_id=states["hidden"][kind].public_id)


def test_article_for_reader_refuses_an_unknown_id(states):
    with pytest.raises(Article.DoesNotExist):
        selectors.article_for_reader(public_id="zzzzzzzz")


def test_a_scheduled_article_appears_once_its_time_has_come(newsroom):
    article = newsroom.article(minutes_ago=-60)
    assert not selectors.published_articles().filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(seconds=1)
    )
    assert selectors.published_articles().filter(pk=article.pk).exists()


def test_article_status_tells_withdrawn_from_unknown(states):
    withdrawn = states["hidden"]["withdrawn"]
    assert selectors.article_status(public_id=withdrawn.public_id) == Article.Status.WITHDRAWN
    assert selectors.article_status(public_id="zzzzzzzz") is None


# home page --------------------------------------------------------------------------------------


@pytest.fixture
def home(newsroom):
    n = newsroom
    economy = services.section_create(by=actors.DEMO, name="경제", slug="economy", order=0)
    made = {
        "assembly_new": n.article(section=n.assembly, minutes_ago=10),
        "politics_mid": n.article(section=n.politics, minutes_ago=20),
        "assembly_old": n.article(section=n.assembly, minutes_ago=30),
        "bigtech_new": n.article(section=n.bigtech, minutes_ago=5),
        "tech_old": n.article(section=n.tech, minutes_ago=15),
        "economy": n.article(section=economy, minutes_ago=50),
    }
    n.article(section=n.politics, publish=False)
    n.article(section=n.politics, minutes_ago=-10)
    return economy, made


def test_latest_by_section_groups_children_under_parents_in_navigation_order(newsroom, home):
    economy, made = home
    assert selectors.latest_by_section(per_section=2) == [
        (economy, [made["economy"]]),
        (newsroom.politics, [made["assembly_new"], made["politics_mid"]]),
        (newsroom.tech, [made["bigtech_new"], made["tech_old"]]),
    ]


def test_latest_by_section_respects_per_section(newsroom, home):
    economy, made = home
    assert selectors.latest_by_section(per_section=1) == [
        (economy, [made["economy"]]),
        (newsroom.politics, [made["assembly_new"]]),
        (newsroom.tech, [made["bigtech_new"]]),
    ]


def test_latest_by_section_excludes_the_given_article_and_fills_its_place(newsroom, home):
    economy, made = home
    assert selectors.latest_by_section(per_section=2, exclude=made["assembly_new"]) == [
        (economy, [made["economy"]]),
        (newsroom.politics, [made["politics_mid"], made["assembly_old"]]),
        (newsroom.tech, [made["bigtech_new"], made["tech_old"]]),
    ]


def test_latest_articles_excludes_the_given_article(newsroom, home):
    _, made = home
    assert selectors.latest_articles(limit=3, exclude=made["bigtech_new"]) == [
        made["assembly_new"],
        made["tech_old"],
        made["politics_mid"],
    ]


# lists ------------------------------------------------------------------------------------------


def test_articles_for_section_include_child_sections(newsroom, home):
    _, made = home
    page = selectors.articles_for_section(section=newsroom.politics, page=1)
    assert list(page.object_list) == [
        made["assembly_new"],
        made["politics_mid"],
        made["assembly_old"],
    ]
    child = selectors.articles_for_section(section=newsroom.assembly, page=1)
    assert list(child.object_list) == [made["assembly_new"], made["assembly_old"]]


def test_articles_for_section_paginate(newsroom):
    made = [newsroom.article(minutes_ago=m) for m in range(1, selectors.PAGE_SIZE + 2)]
    second = selectors.articles_for_section(section=newsroom.tech, page=2)
    assert list(second.object_list) == made[selectors.PAGE_SIZE :]
    assert second.paginator.count == selectors.PAGE_SIZE + 1


def test_pages_read_from_the_oldest_end_are_the_same_pages(newsroom, monkeypatch):
    # Pages past the middle are read oldest first and turned around; with 입력 times shared,
    # the id decides the order both ways.
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    made = [newsroom.article(minutes_ago=n % 3, publish=n != 4) for n in range(8)]
    same_time = timezone.now() - timedelta(hours=1)
    Article.objects.filter(pk__in=[a.pk for a in made[2:6]]).update(first_published_at=same_time)
    newest_first = list(selectors.published_articles().filter(section=newsroom.bigtech))
    pages = [
        list(selectors.articles_for_section(section=newsroom.bigtech, page=n).object_list)
        for n in range(1, 4)
    ]
    assert [a for page in pages for a in page] == newest_first
    assert [len(page) for page in pages] == [3, 3, 1]


def test_articles_for_reporter_include_shared_bylines(newsroom):
    n = newsroom
    lead = n.article(reporters=[n.lee], minutes_ago=30)
    second = n.article(reporters=[n.kim, n.lee], minutes_ago=10)
    n.article(reporters=[n.kim], minutes_ago=5)
    n.article(reporters=[n.lee], publish=False)
    page = selectors.articles_for_reporter(reporter=n.lee, page=1)
    assert list(page.object_list) == [second, lead]


def test_articles_for_keyword(newsroom):
    n = newsroom
    old = n.article(keywords=["반도체", "평택"], minutes_ago=30)
    new = n.article(keywords=["평택"], minutes_ago=10)
    n.article(keywords=["반도체"], minutes_ago=5)
    n.article(keywords=["평택"], publish=False)
    keyword = selectors.keyword_by_name(name="평택")
    assert list(selectors.articles_for_keyword(keyword=keyword, page=1).object_list) == [new, old]


def test_articles_for_series(newsroom):
    n = newsroom
    old = n.article(series=n.column, minutes_ago=30)
    new = n.article(series=n.column, section=n.assembly, minutes_ago=10)
    n.article(minutes_ago=5)
    n.article(series=n.column, publish=False)
    series = selectors.series_by_slug(slug="column")
    assert list(selectors.articles_for_series(series=series, page=1).object_list) == [new, old]


# top story --------------------------------------------------------------------------------------


def test_top_story_prefers_the_newest_visible_top_article(newsroom):
    n = newsroom
    n.article(is_top=True, minutes_ago=60)
    top = n.article(is_top=True, minutes_ago=30)
    n.article(minutes_ago=5)
    n.article(is_top=True, publish=False)
    n.article(is_top=True, minutes_ago=-5)
    assert selectors.top_story() == top


def test_top_story_without_a_top_article_is_the_newest(newsroom):
    n = newsroom
    n.article(minutes_ago=60)
    newest = n.article(minutes_ago=5)
    n.article(is_top=True, publish=False)
    assert selectors.top_story() == newest


def test_top_story_of_an_empty_site_is_none(newsroom):
    assert selectors.top_story() is None


# outlet and byline ------------------------------------------------------------------------------


def test_outlet_without_a_row_is_an_unsaved_placeholder(db):
    value = selectors.outlet()
    assert isinstance(value, OutletSettings)
    assert value.pk is None
    assert value.name
    assert OutletSettings.objects.count() == 0


def test_outlet_is_cached(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = selectors.outlet()
    with django_assert_num_queries(0):
        second = selectors.outlet()
    assert second.name == first.name


def test_outlet_update_clears_the_cache_on_commit(db, django_capture_on_commit_callbacks):
    selectors.outlet()
    with django_capture_on_commit_callbacks(execute=True):
        services.outlet_update(by=actors.DEMO, name="새나루일보", title="새나루일보")
    assert selectors.outlet().name == "새나루일보"


def test_byline_of_one_reporter(newsroom):
    article = newsroom.article(reporters=[newsroom.kim])
    assert selectors.article_byline(article) == "[새나루일보=김민준 기자]"


def test_byline_of_two_reporters_with_one_title(newsroom):
    article = newsroom.article(reporters=[newsroom.lee, newsroom.kim])
    assert selectors.article_byline(article) == "[새나루일보=이서연·김민준 기자]"


def test_byline_of_mixed_titles(newsroom):
    article = newsroom.article(reporters=[newsroom.kim, newsroom.park])
    assert selectors.article_byline(article) == "[새나루일보=김민준 기자·박하준 특파원]"


def test_byline_without_reporters_is_the_outlet(newsroom):
    article = newsroom.article(reporters=[])
    assert selectors.article_byline(article) == "[새나루일보]"


def test_article_body_html_opens_with_the_byline(newsroom):
    article = newsroom.article(body="<p>가</p><p>나</p>", reporters=[newsroom.kim])
    assert (
        selectors.article_body_html(article)
        == '<p><span class="byline">[새나루일보=김민준 기자]</span> 가</p><p>나</p>'
    )


def test_teaser_text_opens_with_the_byline(newsroom):
    article = newsroom.article(body="<p>가</p><p>나</p>", reporters=[newsroom.kim])
    assert selectors.article_teaser_text(article) == "[새나루일보=김민준 기자] 가\n나"


def test_navigation_lists_top_sections_with_their_children(newsroom):
    nav = selectors.navigation()
    assert [(item.section, item.children) for item in nav] == [
        (newsroom.politics, (newsroom.assembly,)),
        (newsroom.tech, (newsroom.bigtech,)),
    ]


def test_article_for_editing_opens_a_draft_only_for_who_may_edit_it(newsroom, django_user_model):
    from django.contrib.auth.models import Permission
    from django.core.exceptions import PermissionDenied

    reporter = django_user_model.objects.create_user("reporter", password="x")
    reporter.user_permissions.add(Permission.objects.get(codename="change_article"))
    draft = newsroom.article(publish=False)
    draft.owner = reporter
    draft.save(update_fields=["owner"])
    others = newsroom.article(publish=False, headline="남의 초안")
    live = newsroom.article(headline="출고된 기사")
    reader = django_user_model.objects.create_user("reader", password="x")

    assert selectors.article_for_editing(actor=reporter, pk=draft.pk) == draft
    with pytest.raises(PermissionDenied):
        selectors.article_for_editing(actor=reporter, pk=others.pk)  # not theirs
    with pytest.raises(PermissionDenied):
        selectors.article_for_editing(actor=reporter, pk=live.pk)  # live: release rights too
    with pytest.raises(PermissionDenied):
        selectors.article_for_editing(actor=reader, pk=draft.pk)
    with pytest.raises(Article.DoesNotExist):
        selectors.article_for_editing(actor=actors.DEMO, pk=draft.pk + 1000)
    with pytest.raises(TypeError):
        selectors.article_for_editing(actor=None, pk=draft.pk)
