"""``search_articles``, what the search page and any other interface call: filters by section
(with its children), reporter and KST days, sorting, paging, and bad input reported in Korean."""

from datetime import UTC, datetime

import pytest

from sinmun.newsroom import actors, services
from sinmun.search import selectors
from sinmun.search.selectors import BAD_DATE, UNKNOWN_REPORTER, UNKNOWN_SECTION, search_articles


@pytest.fixture
def write(newsroom, django_capture_on_commit_callbacks):
    """Return ``write(headline, at=None, **fields)``: a published, indexed article."""

    def make(headline: str, *, at: datetime | None = None, **fields):
        fields.setdefault("keywords", [])
        fields.setdefault("body", f"<p>{headline} 관련 소식입니다.</p>")
        with django_capture_on_commit_callbacks(execute=True):
            if at is None:
                return newsroom.article(headline=headline, **fields)
            article = newsroom.article(headline=headline, publish=False, **fields)
            return services.article_publish(article=article, by=actors.DEMO, at=at)

    return make


def ids(outcome) -> list[int]:
    return [result.article.pk for result in outcome.results]


# --- Section and reporter -------------------------------------------------------------------


def test_section_filter_includes_its_child_sections(write, newsroom):
    parent = write("반도체 정책 토론", section=newsroom.politics)
    child = write("반도체 특별법 통과", section=newsroom.assembly)
    write("반도체 공장 착공", section=newsroom.bigtech)
    outcome = search_articles(text="반도체", section="politics")
    assert set(ids(outcome)) == {parent.pk, child.pk}
    assert outcome.errors == []
    assert ids(search_articles(text="반도체", section="assembly")) == [child.pk]


def test_unknown_section_is_reported_and_not_applied(write):
    article = write("반도체 공장 착공")
    outcome = search_articles(text="반도체", section="nope")
    assert outcome.errors == [UNKNOWN_SECTION]
    assert ids(outcome) == [article.pk]


def test_reporter_filter(write, newsroom):
    by_lee = write("반도체 특별법 통과", reporters=[newsroom.lee])
    write("반도체 공장 착공", reporters=[newsroom.kim])
    assert ids(search_articles(text="반도체", reporter="lee-seoyeon")) == [by_lee.pk]


def test_unknown_reporter_is_reported(write):
    write("반도체 공장 착공")
    outcome = search_articles(text="반도체", reporter="nope")
    assert outcome.errors == [UNKNOWN_REPORTER]
    assert outcome.total == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        pytest.param("section", "\x00", UNKNOWN_SECTION, id="section-nul"),
        pytest.param("section", "politics\x00", UNKNOWN_SECTION, id="section-trailing-nul"),
        pytest.param("section", "' OR 1=1 --", UNKNOWN_SECTION, id="section-sql"),
        pytest.param("reporter", "\x00", UNKNOWN_REPORTER, id="reporter-nul"),
        pytest.param("reporter", "lee-seoyeon\x00", UNKNOWN_REPORTER, id="reporter-trailing-nul"),
    ],
)
def test_hostile_filter_values_are_reported_not_raised(write, field, value, error):
    # Scanners send NUL bytes; PostgreSQL refuses them in a text comparison.
    article = write("반도체 공장 착공")
    outcome = search_articles(text="반도체", **{field: value})
    assert outcome.errors == [error]
    assert ids(outcome) == [article.pk]


# --- Dates are KST days, `until` inclusive --------------------------------------------------


@pytest.fixture
def around_midnight(write):
    """Four articles either side of the KST midnights that start and end 2025-06-13."""
    return {
        # 2025-06-12 23:30 KST
        "12th late": write("반도체 소식 하나", at=datetime(2025, 6, 12, 14, 30, tzinfo=UTC)),
        # 2025-06-13 00:30 KST, still the 12th in UTC
        "13th early": write("반도체 소식 둘", at=datetime(2025, 6, 12, 15, 30, tzinfo=UTC)),
        # 2025-06-13 23:50 KST
        "13th late": write("반도체 소식 셋", at=datetime(2025, 6, 13, 14, 50, tzinfo=UTC)),
        # 2025-06-14 00:10 KST, still the 13th in UTC
        "14th early": write("반도체 소식 넷", at=datetime(2025, 6, 13, 15, 10, tzinfo=UTC)),
    }


def found_between(since: str | None, until: str | None, articles) -> set[str]:
    outcome = search_articles(text="반도체", since=since, until=until)
    assert outcome.errors == []
    by_pk = {article.pk: name for name, article in articles.items()}
    return {by_pk[pk] for pk in ids(outcome)}


def test_one_kst_day(around_midnight):
    assert found_between("2025-06-13", "2025-06-13", around_midnight) == {
        "13th early",
        "13th late",
    }


def test_until_includes_the_whole_kst_day(around_midnight):
    assert found_between(None, "2025-06-12", around_midnight) == {"12th late"}


def test_since_starts_at_kst_midnight(around_midnight):
    assert found_between("2025-06-14", None, around_midnight) == {"14th early"}


def test_since_after_until_finds_nothing(around_midnight):
    assert found_between("2025-06-14", "2025-06-13", around_midnight) == set()


@pytest.mark.parametrize("value", ["garbage", "2025-13-01", "2025-02-30", "13/06/2025"])
def test_bad_date_is_reported_and_not_applied(around_midnight, value):
    outcome = search_articles(text="반도체", since=value)
    assert outcome.errors == [BAD_DATE]
    assert outcome.total == 4


@pytest.mark.parametrize(
    ("since", "until"),
    [(None, "9999-12-31"), ("9999-12-31", None), ("0001-01-01", None), (None, "0001-01-01")],
)
def test_extreme_dates_do_not_fail(write, since, until):
    # The last representable day has no next day to end at; it must not become a 500.
    write("반도체 공장 착공")
    outcome = search_articles(text="반도체", since=since, until=until)
    assert outcome.errors in ([], [BAD_DATE])


def test_until_the_last_day_keeps_everything(write):
    article = write("반도체 공장 착공")
    outcome = search_articles(text="반도체", until="9999-12-31")
    assert ids(outcome) == [article.pk]


# --- Sort and pages -------------------------------------------------------------------------


def test_newest_sort_orders_by_publication_time(write):
    in_headline = write("반도체 공장 착공", minutes_ago=120)
    in_body = write("지역 경제 소식", body="<p>반도체 투자가 늘었다</p>", minutes_ago=10)
    assert ids(search_articles(text="반도체")) == [in_headline.pk, in_body.pk]
    newest = search_articles(text="반도체", sort="newest")
    assert (newest.sort, ids(newest)) == ("newest", [in_body.pk, in_headline.pk])


@pytest.mark.parametrize("sort", [None, "", "oldest", "'; DROP TABLE"])
def test_unknown_sort_means_relevance(write, sort):
    write("반도체 공장 착공")
    assert search_articles(text="반도체", sort=sort).sort == "relevance"


@pytest.fixture
def five(write, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    return [write(f"반도체 소식 {n}호", minutes_ago=10 * (n + 1)) for n in range(5)]


def test_pages_split_the_results_and_keep_the_total(five):
    outcome = search_articles(text="반도체", sort="newest", page="2")
    assert (outcome.total, outcome.num_pages, outcome.page) == (5, 3, 2)
    assert ids(outcome) == [five[2].pk, five[3].pk]
    assert outcome.has_previous and outcome.has_next


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("-5", 1), ("0", 1), (None, 1)])
def test_bad_page_numbers_show_the_first_page(five, page, shown):
    outcome = search_articles(text="반도체", sort="newest", page=page)
    assert outcome.page == shown
    assert ids(outcome) == [five[0].pk, five[1].pk]


def test_page_past_the_end_shows_the_last_page(five):
    outcome = search_articles(text="반도체", sort="newest", page="99999")
    assert (outcome.page, outcome.total) == (3, 5)
    assert ids(outcome) == [five[4].pk]
    assert outcome.has_previous and not outcome.has_next


# --- Results, empty and zero-result searches ------------------------------------------------


def test_results_carry_a_highlighted_snippet(write):
    write("지역 경제 소식", body="<p>올해 반도체 투자가 늘었다.</p>")
    [result] = search_articles(text="반도체가").results
    assert result.snippet == "올해 <mark>반도체</mark> 투자가 늘었다."


def test_empty_text_finds_nothing_and_offers_the_latest(write):
    latest = write("반도체 공장 착공")
    outcome = search_articles(text="")
    assert (outcome.results, outcome.total, outcome.suggestion) == ([], 0, None)
    assert [a.pk for a in outcome.fallback] == [latest.pk]


def test_zero_results_offer_a_suggestion_and_the_latest(write):
    write("국회, 예산안 통과")
    outcome = search_articles(text="국휘")
    assert outcome.total == 0
    assert outcome.suggestion == "국회"
    assert len(outcome.fallback) == 1


def test_latest_articles_offered_are_at_most_eight(write):
    for n in range(9):
        write(f"반도체 소식 {n}호", minutes_ago=n + 1)
    assert len(search_articles(text="배터리").fallback) == 8


def test_results_never_include_a_draft(write, newsroom, django_capture_on_commit_callbacks):
    published = write("반도체 공장 착공")
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.article(headline="반도체 초안", keywords=[], publish=False)
    assert ids(search_articles(text="반도체")) == [published.pk]
