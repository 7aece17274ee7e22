"""The SQLite recent tier: which documents it holds as the newsroom grows, that triggers keep
it in step with the index, and that search finds the same articles with or without it."""

import pytest
from django.db import connection

from sinmun.newsroom import actors, services
from sinmun.search import backends, recent
from sinmun.search.query import parse

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the recent tier exists on SQLite only"
)


@pytest.fixture
def write(newsroom, django_capture_on_commit_callbacks):
    def make(headline: str, **fields):
        fields.setdefault("keywords", [])
        fields.setdefault("body", "<p>업계 소식</p>")
        with django_capture_on_commit_callbacks(execute=True):
            return newsroom.article(headline=headline, **fields)

    return make


def in_tier(term: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM search_recent WHERE search_recent MATCH %s ORDER BY rowid",
            [f'"{term}"'],
        )
        return [row[0] for row in cursor.fetchall()]


def test_tier_holds_everything_while_the_archive_is_small(write):
    articles = [write(f"반도체 소식 {n}호") for n in range(3)]
    assert recent.floor() == 0
    assert in_tier("반도체") == [a.pk for a in articles]


def test_floor_rises_a_step_at_a_time_once_the_tier_spans_twice_its_size(write, monkeypatch):
    monkeypatch.setattr(recent, "RECENT_IDS", 2)
    monkeypatch.setattr(recent, "STEP", 1)
    articles = [write(f"반도체 소식 {n}호") for n in range(6)]
    ids = [a.pk for a in articles]
    # Each publish after the tier spans 4 ids moves one document out.
    assert recent.floor() > ids[0]
    assert in_tier("반도체") == [i for i in ids if i >= recent.floor()]
    assert ids[-1] in in_tier("반도체")


def test_advance_without_a_step_moves_all_the_way(write, monkeypatch):
    articles = [write(f"반도체 소식 {n}호") for n in range(7)]
    monkeypatch.setattr(recent, "RECENT_IDS", 2)
    newest = articles[-1].pk
    assert recent.advance(step=None) == len([a for a in articles if a.pk < newest - 2])
    assert recent.floor() == newest - 2
    assert in_tier("반도체") == [a.pk for a in articles if a.pk >= newest - 2]
    assert recent.advance(step=None) == 0


def test_refill_when_most_of_the_tier_leaves(write, monkeypatch):
    articles = [write(f"반도체 소식 {n}호") for n in range(8)]
    monkeypatch.setattr(recent, "RECENT_IDS", 1)
    recent.advance(step=None)  # 6 of 8 leave: more than RECENT_IDS, so the tier is refilled
    newest = articles[-1].pk
    assert in_tier("반도체") == [newest - 1, newest]
    assert in_tier("업계") == [newest - 1, newest]


def test_changes_and_withdrawals_in_the_tier_follow_the_index(write):
    article = write("반도체 공장 착공")
    services.article_update(article=article, by=actors.DEMO, headline="배터리 공장 착공")
    from sinmun.search import indexing

    indexing.article_changed(article.pk)
    assert in_tier("반도체") == []
    assert in_tier("배터리") == [article.pk]
    services.article_withdraw(article=article, by=actors.DEMO)
    assert in_tier("배터리") == []


def test_changes_below_the_floor_leave_the_tier_alone(write, monkeypatch):
    old = write("조선 수주 소식")
    monkeypatch.setattr(recent, "RECENT_IDS", 1)
    for n in range(4):
        write(f"반도체 소식 {n}호")
    recent.advance(step=None)
    assert old.pk < recent.floor()
    services.article_withdraw(article=old, by=actors.DEMO)
    # Nothing of the old article was in the tier; nothing is taken out of it.
    assert in_tier("소식") == [pk for pk in in_tier("반도체")]


@pytest.mark.parametrize("newest", [False, True])
def test_search_finds_the_same_with_a_small_tier(write, monkeypatch, newest):
    old = write("조선 수주 소식", body="<p>반도체 업계</p>")
    recent_ones = [write(f"반도체 소식 {n}호") for n in range(5)]
    before = backends.search(
        parse("반도체"), filters=backends.Filters(), newest=newest, limit=10, offset=0
    )
    rare_before = backends.search(
        parse("조선"), filters=backends.Filters(), newest=newest, limit=10, offset=0
    )
    monkeypatch.setattr(recent, "RECENT_IDS", 2)
    recent.advance(step=None)
    assert recent.floor() > old.pk
    # Rare word: not in the tier at all, found in the whole index.
    rare = backends.search(
        parse("조선"), filters=backends.Filters(), newest=newest, limit=10, offset=0
    )
    assert rare.ids == rare_before.ids == [old.pk]
    # Common word with a small window: ranked in the tier.
    monkeypatch.setattr(backends, "RANK_WINDOW", 2)
    monkeypatch.setattr(backends, "COUNT_LIMIT", 2)
    hits = backends.search(
        parse("반도체"), filters=backends.Filters(), newest=newest, limit=10, offset=0
    )
    assert set(hits.ids) == {a.pk for a in recent_ones[-2:]}
    assert (hits.total, hits.capped) == (2, True)
    assert before.total == 6


def test_window_reaching_below_the_tier_ranks_its_recent_part_then_the_older_newest_first(
    write, monkeypatch
):
    older_in_headline = write("반도체 수출 소식", body="<p>업계</p>", minutes_ago=300)
    older_in_body = write("조선 수주 소식", body="<p>반도체 업계</p>", minutes_ago=200)
    recent_in_body = write("배터리 공장 소식", body="<p>반도체 업계</p>", minutes_ago=100)
    recent_in_headline = write("반도체 공장 착공", body="<p>업계</p>", minutes_ago=50)
    monkeypatch.setattr(recent, "RECENT_IDS", 1)
    recent.advance(step=None)
    assert recent.floor() == recent_in_body.pk
    hits = backends.search(
        parse("반도체"), filters=backends.Filters(), newest=False, limit=10, offset=0
    )
    # Headline above body inside the tier; below it, newest first whatever the field.
    assert hits.ids == [
        recent_in_headline.pk,
        recent_in_body.pk,
        older_in_body.pk,
        older_in_headline.pk,
    ]
    page_two = backends.search(
        parse("반도체"), filters=backends.Filters(), newest=False, limit=2, offset=2
    )
    assert page_two.ids == [older_in_body.pk, older_in_headline.pk]


def test_window_entirely_below_the_tier_is_ranked_in_the_whole_index(write, monkeypatch):
    in_body = write("조선 수주 소식", body="<p>반도체 업계</p>", minutes_ago=300)
    in_headline = write("반도체 수출 소식", body="<p>업계</p>", minutes_ago=200)
    for n in range(4):
        write(f"배터리 소식 {n}호", minutes_ago=100 - n)
    monkeypatch.setattr(recent, "RECENT_IDS", 2)
    recent.advance(step=None)
    assert recent.floor() > in_headline.pk
    hits = backends.search(
        parse("반도체"), filters=backends.Filters(), newest=False, limit=10, offset=0
    )
    assert hits.ids == [in_headline.pk, in_body.pk]


def test_matches_are_checked_through_the_covering_index(write):
    # Status and 입력 time sit after the body in an SQLite row (overflow pages); the covering
    # index keeps checking 2,001 matches cheap.
    write("반도체 공장 착공")
    captured: list[tuple[str, list]] = []

    def record(execute, sql, params, many, context):
        if "newsroom_article" in sql:
            captured.append((sql, list(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        for newest in (False, True):
            backends.search(
                parse("반도체"), filters=backends.Filters(), newest=newest, limit=10, offset=0
            )
    plans = []
    with connection.cursor() as cursor:
        for sql, params in captured:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plans.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    assert plans
    assert all("COVERING INDEX article_visibility" in plan for plan in plans), plans


@pytest.mark.parametrize("scratch_limit", [0, 300])
def test_window_below_the_tier_ranks_alike_in_the_whole_index_and_in_a_scratch_index(
    write, monkeypatch, scratch_limit
):
    in_body = write("조선 수주 소식", body="<p>반도체 수출 업계</p>", minutes_ago=300)
    in_headline = write("반도체 수출 소식", body="<p>업계</p>", minutes_ago=200)
    elsewhere = write("반도체 공장 착공", body="<p>업계</p>", minutes_ago=150)
    for n in range(4):
        write(f"배터리 소식 {n}호", minutes_ago=100 - n)
    monkeypatch.setattr(recent, "RECENT_IDS", 2)
    monkeypatch.setattr(backends.sqlite, "SCRATCH_LIMIT", scratch_limit)
    recent.advance(step=None)
    assert recent.floor() > elsewhere.pk
    for _ in range(2):  # the scratch index is emptied between searches
        hits = backends.search(
            parse("반도체 수출"), filters=backends.Filters(), newest=False, limit=10, offset=0
        )
        assert hits.ids == [in_headline.pk, in_body.pk]
    if scratch_limit:
        # Another search's window replaces the last one's.
        factory = backends.search(
            parse("공장"), filters=backends.Filters(), newest=False, limit=10, offset=0
        )
        assert factory.ids == [elsewhere.pk]
        assert _in_scratch() == {elsewhere.pk}


def _in_scratch() -> set[int]:
    """Return the ids this connection's scratch index holds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM temp.search_scratch")
        return {row[0] for row in cursor.fetchall()}
