"""A 출고 killed after it changed the article's row, before it committed: the article stays as
it was (송고, no 입력 time, no revision), and a second 출고 goes through."""

import pytest

# The test database is only copied, as each crash site's starting point (conftest).
pytestmark = pytest.mark.django_db


def test_a_killed_publish_leaves_the_article_as_it_was(site, template):
    before = template.report["articles"]["submitted"]
    assert before["status"] == "submitted"
    site.kill_when_paused("publish", pause='sql:^UPDATE "newsroom_article" SET .*"status" = :1')

    after = site.report()
    assert after.get("integrity", [["ok"]]) == [["ok"]]
    assert after["articles"]["submitted"] == before
    assert after["pages"]["/"] == 200
    assert "크래시 점검 기사 submitted" not in after["home"]

    done = site.report("publish")["articles"]["submitted"]
    assert done["status"] == "published"
    assert done["public"] is True
    assert done["revisions"] == [*before["revisions"], "publish"]
