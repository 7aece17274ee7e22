"""The article page's 관련기사 box, kept rendered under its list's version: a publish elsewhere
reads nothing of it again; a change to an article it shows is on the page at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinmun.newsroom import actors, services
from sinmun.related.models import RelatedLink
from sinmun.testfront import article_html as page

from .conftest import publish

pytestmark = pytest.mark.usefixtures("fragments_kept")


def test_a_publish_elsewhere_keeps_the_box_and_reads_only_its_version(
    client, stories, newsroom, committed
):
    first, second, _ = stories.ferry
    assert second.headline in page(client, first)
    publish(newsroom, committed, "새나루시 벚꽃 축제 다음 주 개막", "강변 공원에서 열린다.")
    with CaptureQueriesContext(connection) as queries:
        shown = page(client, first)
    assert second.headline in shown
    link_table = RelatedLink._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries if link_table in q["sql"]]
    assert [q["sql"] for q in queries.captured_queries if "related_liststate" in q["sql"]]


def test_an_update_of_a_listed_article_is_in_the_box_at_once(client, stories, committed):
    first, second, _ = stories.ferry
    old_headline = second.headline
    assert old_headline in page(client, first)
    # Still the same story (it stays in the list at its place): only its teaser changed.
    new_headline = "누리호 엔진 고장 나흘째…가람섬 주민들 “병원 가는 길 막혀”"
    with committed():
        services.article_update(article=second, by=actors.DEMO, headline=new_headline)
    shown = page(client, first)
    assert new_headline in shown
    assert old_headline not in shown


def test_a_withdrawn_article_leaves_the_kept_box(client, stories, committed):
    first, second, _ = stories.ferry
    assert second.headline in page(client, first)
    with committed():
        services.article_withdraw(article=second, by=actors.DEMO, reason="사실관계 확인 중")
    assert second.headline not in page(client, first)
