"""Search semantics, identical on SQLite FTS5 and PostgreSQL tsvector.

Every test runs on whichever database the run uses (``SINMUN_DATABASE_URL``); the suite is run on
both. Articles go through the services and the index is written by their on-commit follow-up, as
in production. Which article each query finds is worked out by hand from the rules in
``sinmun/search/query.py`` and ``backends.py`` (words AND, phrases adjacent and in order,
exclusions, prefixes of two and three syllables, headline > body).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sinmun.newsroom import actors, services
from sinmun.newsroom.models import Article
from sinmun.search import backends, recent
from sinmun.search.models import ANALYZER_VERSION, SearchDocument
from sinmun.search.query import parse


@pytest.fixture
def write(newsroom, django_capture_on_commit_callbacks):
    """Return ``write(headline=…, body=…, **fields)``: a published, indexed article.

    Keywords and 부제 default to none so only the given text can match.
    """

    def make(*, headline: str, body: str = "본문 없음", **fields) -> Article:
        fields.setdefault("keywords", [])
        fields.setdefault("subheadlines", [])
        with django_capture_on_commit_callbacks(execute=True):
            return newsroom.article(headline=headline, body=f"<p>{body}</p>", **fields)

    return make


def found(text: str, *, newest: bool = False, limit: int = 50, offset: int = 0, **filters):
    hits = search(text, newest=newest, limit=limit, offset=offset, **filters)
    return hits.ids


def search(text: str, *, newest: bool = False, limit: int = 50, offset: int = 0, **filters):
    return backends.search(
        parse(text),
        filters=backends.Filters(**filters),
        newest=newest,
        limit=limit,
        offset=offset,
    )


# --- Words, particles, AND ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["삼성전자", "삼성전자는", "삼성전자의", "삼성전자가"])
def test_a_word_with_a_particle_finds_the_article(write, query):
    article = write(headline="반도체 공장 소식", body="삼성전자가 새 공장을 짓는다")
    write(headline="배터리 공장 소식", body="정부가 새 공장을 짓는다")
    assert found(query) == [article.pk]


def test_verb_forms_find_each_other(write):
    article = write(headline="장관 회동", body="두 장관이 어제 만났다")
    assert found("만나다") == [article.pk]
    assert found("만난") == [article.pk]


def test_two_words_must_both_match(write):
    exports = write(headline="반도체 수출 증가", body="업계 소식")
    write(headline="반도체 수입 감소", body="업계 소식")
    write(headline="자동차 수출 증가", body="업계 소식")
    assert found("반도체 수출") == [exports.pk]


def test_nothing_matches_an_unknown_word(write):
    write(headline="반도체 수출 증가", body="업계 소식")
    assert found("배터리") == []


# --- Phrases --------------------------------------------------------------------------------


def test_quoted_phrase_needs_the_words_adjacent_and_in_order(write):
    together = write(headline="반도체 협력 강화", body="양국 발표")
    apart = write(headline="반도체 분야의 협력", body="양국 발표")
    reversed_ = write(headline="협력 반도체 발표", body="양국 발표")
    assert found('"반도체 협력"') == [together.pk]
    # Without quotes the same words match all three.
    assert set(found("반도체 협력")) == {together.pk, apart.pk, reversed_.pk}


def test_quoted_phrase_ignores_particles_between_words(write):
    article = write(headline="정부와 국회가 합의", body="예산안 처리")
    assert found('"정부와 국회"') == [article.pk]
    assert found('"정부 국회"') == [article.pk]


def test_quoted_phrase_does_not_join_the_end_of_one_field_to_the_start_of_the_next(write):
    # The headline ends in 반도체 and the 부제 starts with 협력: two lines, not adjacent words.
    write(headline="정부 반도체", subheadlines=["협력 강화 방안"], body="발표 내용")
    assert found("반도체 협력") != []
    assert found('"반도체 협력"') == []


def test_phrase_of_a_compound_matches_its_split_parts(write):
    # 빅테크 기업 is indexed 빅 테크 기업 … 빅테크, so the parts stay adjacent.
    article = write(headline="빅테크 기업 실적 발표", body="업계 소식")
    assert found('"빅테크 기업"') == [article.pk]


# --- Exclusions -----------------------------------------------------------------------------


def test_minus_word_excludes_articles_with_it(write):
    exports = write(headline="반도체 수출 호조", body="업계 소식")
    write(headline="반도체 국회 논의", body="업계 소식")
    assert found("반도체 -국회") == [exports.pk]


def test_minus_phrase_excludes_only_the_phrase(write):
    write(headline="반도체 수출 감소 우려", body="업계 소식")
    apart = write(headline="반도체 감소 속 수출 호조", body="업계 소식")
    assert found('반도체 -"수출 감소"') == [apart.pk]
    # Excluding the single word instead removes both.
    assert found("반도체 -수출") == []


def test_exclusion_alone_finds_nothing(write):
    write(headline="반도체 수출 호조", body="업계 소식")
    assert found("-국회") == []


# --- Prefixes -------------------------------------------------------------------------------


def test_one_syllable_term_is_not_a_prefix(write):
    bank = write(headline="은행 금리 인상", body="시장 반응")
    silver = write(headline="금과 은 가격 상승", body="시장 반응")
    assert found("은") == [silver.pk]
    assert found("은행") == [bank.pk]


def test_two_syllable_term_is_a_prefix(write):
    # 반도체 is one morpheme; 반도 finds it only as a prefix.
    chips = write(headline="반도체 공장 착공", body="지역 소식")
    assert found("반도") == [chips.pk]


def test_prefixes_are_two_or_three_syllables_long_on_both_databases(db):
    # FTS5 keeps prefix indexes for exactly these lengths (search migration 0006).
    query = parse("은 국회 반도체 Samsung")
    assert [t for word in query.words for t in word] == ["은", "국회", "반도체", "samsung"]
    assert backends.fts5_expression(query) == (
        '("은") AND ("국회"*) AND ("반도체"*) AND ("samsung")'
    )
    assert backends.tsquery_expression(query) == (
        "('은') & ('국회':*) & ('반도체':*) & ('samsung')"
    )


def test_short_word_finds_the_longer_compound(write):
    members = write(headline="국회의원들이 모였다", body="지역 소식")
    assert found("국회") == [members.pk]


def test_excluded_two_syllable_term_excludes_longer_words_too(write):
    write(headline="반도체 국회의원 간담회", body="지역 소식")
    plain = write(headline="반도체 공장 착공", body="지역 소식")
    assert found("반도체 -국회") == [plain.pk]


# --- Ranking --------------------------------------------------------------------------------


def test_word_in_the_headline_ranks_above_the_word_only_in_the_body(write):
    in_headline = write(headline="반도체 공장 소식", body="지역 경제 기대", minutes_ago=120)
    # Newer, so a ranking that ignored fields would put it first by the tie-break.
    in_body = write(headline="지역 공장 소식", body="반도체 경제 기대", minutes_ago=10)
    assert found("반도체") == [in_headline.pk, in_body.pk]
    assert found("반도체", newest=True) == [in_body.pk, in_headline.pk]


def test_word_in_a_subheadline_ranks_above_the_word_only_in_the_body(write):
    in_sub = write(
        headline="지역 공장 소식", subheadlines=["반도체 경제"], body="투자 기대", minutes_ago=120
    )
    in_body = write(
        headline="지역 공장 소식", subheadlines=["투자 경제"], body="반도체 기대", minutes_ago=10
    )
    assert found("반도체") == [in_sub.pk, in_body.pk]


# --- Mixed Korean and Latin -----------------------------------------------------------------


def test_latin_and_hangul_written_together_find_both_spellings(write):
    spaced = write(headline="AI 반도체 시장 전망", body="업계 소식")
    joined = write(headline="AI반도체 시장 전망", body="업계 소식")
    write(headline="반도체 시장 전망", body="업계 소식")
    assert set(found("AI반도체")) == {spaced.pk, joined.pk}
    assert set(found("AI 반도체")) == {spaced.pk, joined.pk}


def test_latin_with_a_particle_finds_the_bare_word(write):
    meeting = write(headline="CEO 간담회 열려", body="업계 소식")
    assert found("CEO들") == [meeting.pk]
    assert found("ceo") == [meeting.pk]


def test_decimal_number_finds_the_article(write):
    # Interest rates and growth figures: 3.5 is one morpheme (SN) in the index and the query.
    rate = write(headline="한국은행 기준금리 3.5% 동결", body="시장 예상대로였다")
    write(headline="기준금리 5% 시대", body="3년 만의 최고")
    prices = write(headline="기준금리 동결, 물가 3.5% 상승", body="시장 소식")
    assert set(found("3.5%")) == {rate.pk, prices.pk}
    assert set(found("기준금리 3.5")) == {rate.pk, prices.pk}
    # Quoted, the number must follow the word: its pieces stay in place in the index.
    assert found('"기준금리 3.5"') == [rate.pk]


def test_number_with_thousands_separator_finds_the_article(write):
    jobs = write(headline="일자리 1,200개 생긴다", body="지역 소식")
    assert found("1,200개") == [jobs.pk]
    # Written with or without the separator, it is the same number.
    assert found("1200개") == [jobs.pk]


def test_numbers_match_whole_not_as_prefixes(write):
    rate = write(headline="성장률 3.5% 전망", body="연구원 발표")
    write(headline="성장률 3.55% 전망", body="연구원 발표")
    crowd = write(headline="시민 35명 참석", body="행사 소식")
    write(headline="시민 350명 참석", body="행사 소식")
    assert found("3.5%") == [rate.pk]
    assert found("35명") == [crowd.pk]


# --- Filters, order and paging at the backend -----------------------------------------------


def test_section_filter_takes_a_list_of_section_ids(write, newsroom):
    politics = write(headline="반도체 특별법 논의", body="소식", section=newsroom.assembly)
    tech = write(headline="반도체 공장 착공", body="소식", section=newsroom.bigtech)
    assert found("반도체", section_ids=[newsroom.assembly.pk]) == [politics.pk]
    assert found("반도체", section_ids=[newsroom.bigtech.pk]) == [tech.pk]


def test_reporter_filter_keeps_articles_with_that_byline(write, newsroom):
    both = write(headline="반도체 특별법 논의", body="소식", reporters=[newsroom.kim, newsroom.lee])
    write(headline="반도체 공장 착공", body="소식", reporters=[newsroom.kim])
    assert found("반도체", reporter_id=newsroom.lee.pk) == [both.pk]


def test_since_and_until_bound_the_publication_time(write):
    old = write(headline="반도체 특별법 논의", body="소식", minutes_ago=60 * 24 * 3)
    new = write(headline="반도체 공장 착공", body="소식", minutes_ago=60)
    now = timezone.now()
    assert found("반도체", since=now - timedelta(days=1)) == [new.pk]
    assert found("반도체", until=now - timedelta(days=1)) == [old.pk]


def test_date_range_finds_articles_whatever_their_id_order(write):
    # Ids follow creation, not release: a feature drafted first may be released last, and a
    # short date range bounds the walk by the ids of the articles released in it.
    day = 60 * 24
    released_today = write(headline="반도체 기획 연재", body="소식", minutes_ago=60)
    in_between = write(headline="반도체 수출 동향", body="소식", minutes_ago=5 * day)
    released_long_ago = write(headline="반도체 공장 착공", body="소식", minutes_ago=10 * day)
    now = timezone.now()
    last_week = {"since": now - timedelta(days=7), "until": now}
    assert found("반도체", newest=True, **last_week) == [released_today.pk, in_between.pk]
    ten_days_ago = {"since": now - timedelta(days=11), "until": now - timedelta(days=9)}
    assert found("반도체", **ten_days_ago) == [released_long_ago.pk]
    # The bounds span ids released_today..in_between: released_long_ago lies outside them in
    # the newest-first order, and the dates keep it out, not the ids.
    both_ends = {"since": now - timedelta(days=11), "until": now - timedelta(hours=2)}
    assert set(found("반도체", **both_ends)) == {in_between.pk, released_long_ago.pk}
    nothing_released = {"since": now - timedelta(days=30), "until": now - timedelta(days=20)}
    assert search("반도체", **nothing_released).total == 0


def test_long_date_range_is_not_bounded_by_ids(write, monkeypatch):
    old = write(headline="반도체 특별법 논의", body="소식", minutes_ago=60 * 24 * 200)
    new = write(headline="반도체 공장 착공", body="소식", minutes_ago=60)
    now = timezone.now()
    bounds = []
    real = backends._id_bounds
    monkeypatch.setattr(backends, "_id_bounds", lambda *a: bounds.append(real(*a)) or bounds[-1])
    assert set(found("반도체", since=now - timedelta(days=365))) == {old.pk, new.pk}
    assert set(found("반도체", since=now - timedelta(days=30))) == {new.pk}
    assert bounds == [(None, None), (new.pk, new.pk)]


def test_newest_sort_and_pagination_total(write):
    articles = [
        write(headline=f"반도체 소식 {n}호", body="업계", minutes_ago=10 * (n + 1))
        for n in range(5)
    ]
    newest_first = [a.pk for a in articles]
    hits = backends.search(
        parse("반도체"), filters=backends.Filters(), newest=True, limit=2, offset=2
    )
    assert hits.total == 5
    assert hits.ids == newest_first[2:4]
    last = backends.search(
        parse("반도체"), filters=backends.Filters(), newest=True, limit=2, offset=4
    )
    assert (last.ids, last.total) == (newest_first[4:], 5)
    past = backends.search(
        parse("반도체"), filters=backends.Filters(), newest=True, limit=2, offset=6
    )
    assert (past.ids, past.total) == ([], 5)


def test_query_with_nothing_positive_does_not_ask_the_database(write, django_assert_num_queries):
    write(headline="반도체 소식", body="업계")
    query = parse("-반도체")
    with django_assert_num_queries(0):
        hits = backends.search(query, filters=backends.Filters(), newest=False, limit=10, offset=0)
    assert (hits.ids, hits.total) == ([], 0)


# --- Nothing unpublished --------------------------------------------------------------------


def test_draft_is_not_found(write, newsroom, django_capture_on_commit_callbacks):
    published = write(headline="엠바고 해제 기사", body="소식")
    with django_capture_on_commit_callbacks(execute=True):
        draft = newsroom.article(headline="엠바고 초안 기사", keywords=[], publish=False)
        services.article_submit(article=draft, by=actors.DEMO)
    assert found("엠바고") == [published.pk]


def test_withdrawn_article_is_not_found(write):
    article = write(headline="엠바고 해제 기사", body="소식")
    assert found("엠바고") == [article.pk]
    services.article_withdraw(article=article, by=actors.DEMO)
    # No on-commit follow-up is run here: the row goes with the status change itself.
    assert not SearchDocument.objects.filter(article=article).exists()
    hits = search("엠바고")
    assert (hits.ids, hits.total) == ([], 0)


def test_embargoed_article_appears_once_its_time_has_come(
    newsroom, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = newsroom.article(headline="엠바고 걸린 기사", keywords=[], publish=False)
        services.article_publish(
            article=article, by=actors.DEMO, at=timezone.now() + timedelta(hours=1)
        )
    # Indexed already, but its 입력 time is still ahead.
    assert SearchDocument.objects.filter(article=article).exists()
    hits = search("엠바고")
    assert (hits.ids, hits.total) == ([], 0)
    Article.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(minutes=1)
    )
    assert found("엠바고") == [article.pk]


def test_index_row_of_an_unpublished_article_is_never_returned(write, newsroom):
    # However a row got there (a crash between commit and index update), status decides.
    published = write(headline="엠바고 해제 기사", body="소식")
    draft = newsroom.article(headline="엠바고 초안", keywords=[], publish=False)
    SearchDocument.objects.create(
        article=draft,
        headline="엠바고 초안",
        indexed_at=timezone.now(),
        analyzer_version=ANALYZER_VERSION,
    )
    hits = search("엠바고")
    assert (hits.ids, hits.total) == ([published.pk], 1)


# --- Many matches: the rank window and the count limit --------------------------------------


@pytest.fixture
def five_matches(write):
    """Five published articles about 반도체, newest first, and one about something else."""
    write(headline="조선 수주 소식", body="업계", minutes_ago=1)
    return [
        write(headline=f"반도체 소식 {n}호", body="업계", minutes_ago=10 * (n + 1)).pk
        for n in range(5)
    ]


@pytest.mark.parametrize("filters", [{}, {"since": timezone.now() - timedelta(days=1)}])
def test_count_stops_at_the_limit_and_says_so(five_matches, monkeypatch, filters):
    # Unfiltered searches count in the index alone, filtered ones through the article table.
    monkeypatch.setattr(backends, "COUNT_LIMIT", 3)
    hits = search("반도체", newest=True, limit=10, **filters)
    assert (hits.total, hits.capped) == (3, True)
    # The page still lists every match the rank window holds.
    assert hits.ids == five_matches


@pytest.mark.parametrize("filters", [{}, {"since": timezone.now() - timedelta(days=1)}])
def test_count_under_the_limit_is_exact(five_matches, monkeypatch, filters):
    monkeypatch.setattr(backends, "COUNT_LIMIT", 5)
    hits = search("반도체", limit=10, **filters)
    assert (hits.total, hits.capped) == (5, False)


@pytest.mark.parametrize("newest", [False, True])
def test_ranking_looks_only_at_the_newest_matches_past_the_window(
    five_matches, monkeypatch, newest
):
    monkeypatch.setattr(backends, "RANK_WINDOW", 3)
    hits = search("반도체", newest=newest, limit=10)
    # The window goes by id, which grows with creation: the last three written.
    assert sorted(hits.ids) == sorted(five_matches[2:])
    assert (hits.total, hits.capped) == (5, False)


def test_embargoed_match_is_left_out_of_the_window_and_the_count(
    five_matches, newsroom, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(backends, "RANK_WINDOW", 3)
    with django_capture_on_commit_callbacks(execute=True):
        ahead = newsroom.article(headline="반도체 엠바고 기사", keywords=[], publish=False)
        services.article_publish(
            article=ahead, by=actors.DEMO, at=timezone.now() + timedelta(hours=1)
        )
    hits = search("반도체", newest=True, limit=10)
    assert ahead.pk not in hits.ids
    assert hits.total == 5


def _tier_bound() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_match_recent'")
        return cursor.fetchone()[0].rsplit("WHERE", 1)[1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's tier is an index")
def test_postgres_reads_the_recent_tier_then_older_ids(write, monkeypatch):
    matches = [write(headline=f"반도체 소식 {n}호", body="업계") for n in range(7)]
    others = [write(headline=f"조선 소식 {n}호", body="업계") for n in range(5)]
    assert max(a.pk for a in others) > max(a.pk for a in matches)
    everything = set(found("반도체"))
    assert everything == {a.pk for a in matches}
    # Three matches in the tier, four below it.
    with connection.cursor() as cursor:
        recent.move_postgres_tier(cursor, matches[4].pk)
    assert recent.floor() == matches[4].pk
    assert _tier_bound() == f" (article_id >= {matches[4].pk})"
    # Below it, the block of ids the test's articles are in has its own index.
    block = matches[0].pk // recent.BLOCK_IDS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"search_match_block_{block}"]
        )
        assert cursor.fetchone()[0].endswith(
            f"WHERE ((article_id >= {block * recent.BLOCK_IDS})"
            f" AND (article_id < {(block + 1) * recent.BLOCK_IDS}))"
        )
    assert set(found("반도체")) == everything
    monkeypatch.setattr(backends, "RANK_WINDOW", 5)
    monkeypatch.setattr(backends, "COUNT_LIMIT", 5)
    # Blocks of two ids below the tier: read one after another until the window is full.
    for block_ids in (recent.BLOCK_IDS, 2):
        monkeypatch.setattr(backends.postgresql, "BLOCK_IDS", block_ids)
        hits = search("반도체", newest=True)
        assert hits.ids == [a.pk for a in reversed(matches)][:5]
        assert (hits.total, hits.capped) == (5, True)
    # A date range below the tier, and one across it.
    assert found("반도체", since=timezone.now() - timedelta(days=3650)) == found("반도체")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's tier is an index")
def test_postgres_tier_moves_whole_once_it_spans_twice_its_size(write, monkeypatch):
    monkeypatch.setattr(recent, "RECENT_IDS", 2)
    articles = [write(headline=f"반도체 소식 {n}호", body="업계") for n in range(7)]
    # The indexer moves it after a write once the newest id is 4 past the floor: to 2 below.
    newest = articles[-1].pk
    assert newest - 4 < recent.floor() <= newest - 2
    assert _tier_bound() == f" (article_id >= {recent.floor()})"
    assert set(found("반도체")) == {a.pk for a in articles}


def _match_terms(article_id: int) -> set[str] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(terms) FROM search_match WHERE article_id = %s", [article_id]
        )
        row = cursor.fetchone()
    return set(row[0]) if row else None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search_match is PostgreSQL's")
def test_postgres_match_row_follows_its_document_with_prefix_terms(write):
    article = write(headline="정부청사 35", body="본문")
    document = SearchDocument.objects.get(article=article)
    document.headline, document.body = "정부청사 35 ab3", ""
    document.subheadlines = document.keywords = ""
    document.save()
    # Lexemes, plus their prefixes of two and three characters that hold no digit.
    assert _match_terms(article.pk) == {"정부청사", "정부>", "정부청>", "35", "ab3", "ab>"}
    assert found("정부") == [article.pk]
    document.headline = "국회 소식"
    document.save()
    assert _match_terms(article.pk) == {"국회", "국회>", "소식", "소식>"}
    assert found("정부") == []
    document.delete()
    assert _match_terms(article.pk) is None
    SearchDocument.objects.create(
        article=article, headline="국회", indexed_at=timezone.now(), analyzer_version=1
    )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
        cursor.execute("TRUNCATE search_searchdocument")
    assert _match_terms(article.pk) is None


# --- Names typed several ways (issue 17) ----------------------------------------------------


def test_an_article_holding_the_word_as_typed_ranks_first(write):
    # 경기도 may also read as 경기 + 도 ("also"), so articles saying 경기 match too; the one
    # that says 경기도 as typed comes first on both databases (bm25 weighs the rarer term;
    # ts_rank_cd is ordered by the typed words first).
    commons = [
        write(headline=f"경기 침체 속 경기 회복 기대 {n}", body="경기 경기 경기") for n in range(3)
    ]
    province = write(headline="주민 설명회 열려", body="경기도 주민들이 모였다")
    ids = found("경기도")
    assert ids[0] == province.pk
    assert set(ids) <= {province.pk, *(a.pk for a in commons)}


def test_a_name_typed_alone_finds_it_in_running_text(write):
    article = write(headline="항만 회의 열려", body="회장이 아누 라히리 장관을 예방했다.")
    write(headline="다른 회의 열려", body="장관이 회장을 예방했다.")
    for query in ("라히리", "라히리는", "아누 라히리", "아누"):
        assert found(query) == [article.pk], query
