"""The search page through the test client: results, filters that keep their values, bad input
reported in Korean, zero results, escaping, the header search box and the query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinmun.search import indexing
from sinmun.search.selectors import BAD_DATE, UNKNOWN_REPORTER, UNKNOWN_SECTION

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ATTR_BREAK = '"><img src=x onerror=alert(1)>'
HELP = "찾을 기사의 낱말을 입력하세요"
NO_RESULTS = "검색 결과가 없습니다"
# Query budget of the search page, cold caches: outlet, navigation, search and counting, the
# page of results with bylines and keywords, the weather ticker.
MAX_QUERIES = 12
# PostgreSQL also reads the recent tier's floor (search_match_floor) on every search
# (docs/decisions/0019).
if connection.vendor == "postgresql":
    MAX_QUERIES += 1


@pytest.fixture
def write(newsroom, django_capture_on_commit_callbacks):
    """Return ``write(headline, body, **fields)``: a published, indexed article."""

    def make(headline: str, body: str = "", **fields):
        fields.setdefault("keywords", [])
        fields.setdefault("body", f"<p>{body or headline + ' 관련 소식입니다.'}</p>")
        with django_capture_on_commit_callbacks(execute=True):
            return newsroom.article(headline=headline, **fields)

    return make


def result_titles(page) -> list[str]:
    return [a.text for a in page.root.find_all("a", cls="teaser-title")]


def errors(page) -> list[str]:
    return [p.text for p in page.root.find_all("p", cls="form-error")]


def selected(page, name: str) -> list[str]:
    select = page.root.find("select", name=name)
    return [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs]


# --- Results --------------------------------------------------------------------------------


def test_results_with_count_and_highlighted_snippet(get, write, newsroom):
    write("반도체 공장 착공", body="평택에서 반도체 공장 착공식이 열렸다.", minutes_ago=30)
    write("지역 경제 소식", body="올해 반도체 투자가 늘었다.", minutes_ago=90)
    write("배터리 공장 착공", body="배터리 소식", minutes_ago=60)
    page = get("/search/?q=반도체가")
    heading = page.root.find("h1")
    assert heading.text == "‘반도체가’ 검색 결과 2건"
    assert heading.find("span", cls="count").text == "2건"
    assert result_titles(page) == ["[빅테크] 반도체 공장 착공", "[빅테크] 지역 경제 소식"]
    snippets = page.root.find_all("p", cls="teaser-text")
    assert "<mark>반도체</mark> 투자가 늘었다." in page.html
    assert [s.find("mark").text for s in snippets] == ["반도체", "반도체"]
    assert page.root.find("title").text == "‘반도체가’ 검색 결과 - 새나루일보"
    assert '<meta name="robots" content="noindex">' in page.html


def test_count_past_the_limit_says_or_more_with_thousands_separators(get, write, monkeypatch):
    from sinmun.search import backends

    for n in range(3):
        write(f"반도체 소식 {n}호", minutes_ago=n + 1)
    monkeypatch.setattr(backends, "COUNT_LIMIT", 2)
    assert get("/search/?q=반도체").root.find("span", cls="count").text == "2건 이상"
    # A count in the tens of thousands, as a large archive gives.
    monkeypatch.setattr(backends, "search", lambda *a, **k: backends.Hits([], 12_345, True))
    assert get("/search/?q=반도체").root.find("span", cls="count").text == "12,345건 이상"


def test_filters_keep_their_values(get, write, newsroom):
    write("반도체 특별법 통과", section=newsroom.assembly)
    page = get("/search/?q=반도체&section=assembly&from=2025-06-01&to=2030-06-30&sort=newest")
    assert result_titles(page) == ["[국회] 반도체 특별법 통과"]
    assert selected(page, "section") == ["assembly"]
    assert selected(page, "sort") == ["newest"]
    form = page.root.find("form", cls="search-filters")
    assert form.find("input", name="from").attrs["value"] == "2025-06-01"
    assert form.find("input", name="to").attrs["value"] == "2030-06-30"
    assert form.find("input", name="q").attrs["value"] == "반도체"


def test_reporter_filter_is_kept_as_a_hidden_field(get, write, newsroom):
    write("반도체 특별법 통과", reporters=[newsroom.lee])
    write("반도체 공장 착공", reporters=[newsroom.kim])
    page = get("/search/?q=반도체&reporter=lee-seoyeon")
    assert result_titles(page) == ["[빅테크] 반도체 특별법 통과"]
    hidden = page.root.find("input", name="reporter")
    assert (hidden.attrs["type"], hidden.attrs["value"]) == ("hidden", "lee-seoyeon")


def test_default_sort_is_relevance(get, write):
    write("반도체 공장 착공")
    assert selected(get("/search/?q=반도체"), "sort") == ["relevance"]


def test_bad_filters_are_reported_in_korean_and_the_page_still_answers(get, write):
    write("반도체 공장 착공")
    page = get("/search/?q=반도체&from=garbage&section=nope&reporter=nope")
    assert errors(page) == [UNKNOWN_SECTION, UNKNOWN_REPORTER, BAD_DATE]
    assert [p.attrs.get("role") for p in page.root.find_all("p", cls="form-error")] == ["alert"] * 3
    assert result_titles(page) == ["[빅테크] 반도체 공장 착공"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("section=%00", [UNKNOWN_SECTION], id="section-nul"),
        pytest.param("reporter=%00", [UNKNOWN_REPORTER], id="reporter-nul"),
        pytest.param("to=9999-12-31", None, id="last-day"),
        pytest.param("from=%00", [BAD_DATE], id="date-nul"),
    ],
)
def test_hostile_filters_still_answer(get, write, query, expected):
    write("반도체 공장 착공")
    page = get(f"/search/?q=반도체&{query}")
    if expected is not None:
        assert errors(page) == expected
    assert result_titles(page) == ["[빅테크] 반도체 공장 착공"]


def test_control_characters_in_the_query_are_dropped(get, write):
    write("반도체 공장 착공")
    page = get("/search/?q=%00%1B%7F반도체%0A")
    assert page.root.find("h1").text == "‘반도체’ 검색 결과 1건"


@pytest.mark.parametrize("page_number", ["abc", "-5", "0", "99999", "1e9", "２"])
def test_any_page_number_answers(get, write, page_number):
    write("반도체 공장 착공")
    page = get(f"/search/?q=반도체&page={page_number}")
    assert result_titles(page) == ["[빅테크] 반도체 공장 착공"]


def test_pagination_links_keep_the_query(get, write, monkeypatch):
    from sinmun.search import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for n in range(5):
        write(f"반도체 소식 {n}호", minutes_ago=10 * (n + 1))
    page = get("/search/?q=반도체&sort=newest&page=2")
    nav = page.root.find("nav", cls="pagination")
    assert nav.find("span", **{"aria-current": "page"}).text == "2 / 3"
    prev = nav.find("a", rel="prev").attrs["href"]
    following = nav.find("a", rel="next").attrs["href"]
    assert "sort=newest" in prev and "page=1" in prev and "q=" in prev
    assert "sort=newest" in following and "page=3" in following
    assert result_titles(page) == ["[빅테크] 반도체 소식 2호", "[빅테크] 반도체 소식 3호"]


# --- Empty and zero-result searches ---------------------------------------------------------


@pytest.mark.parametrize("url", ["/search/", "/search/?q=", "/search/?q=+++"])
def test_empty_query_shows_the_help_text(get, write, url):
    write("반도체 공장 착공")
    page = get(url)
    assert page.root.find("h1").text == "기사 검색"
    assert HELP in page.html
    assert page.root.find("title").text == "기사 검색 - 새나루일보"


def test_zero_results_show_the_message_the_suggestion_and_the_latest(get, write):
    write("국회, 예산안 통과", minutes_ago=10)
    write("반도체 공장 착공", minutes_ago=20)
    page = get("/search/?q=국휘")
    assert page.root.find("h1").text == "‘국휘’ 검색 결과 0건"
    assert f"‘국휘’에 대한 {NO_RESULTS}" in page.root.find("section", cls="no-results").text
    link = page.root.find("p", cls="suggestion").find("a")
    assert page.root.find("p", cls="suggestion").text == "혹시 국회를 찾으셨나요?"
    assert link.text == "국회"
    assert link.attrs["href"] == "/search/?q=%EA%B5%AD%ED%9A%8C"
    assert page.root.find("h2", cls="box-title").text == "최신 기사"
    assert result_titles(page) == ["[빅테크] 국회, 예산안 통과", "[빅테크] 반도체 공장 착공"]


def test_zero_results_without_a_suggestion(get, write):
    write("반도체 공장 착공")
    page = get("/search/?q=Samsnug")
    assert NO_RESULTS in page.html
    assert page.root.find_all("p", cls="suggestion") == []


# --- Escaping -------------------------------------------------------------------------------


def test_hostile_query_is_escaped_in_title_heading_and_inputs(get, write):
    write("반도체 공장 착공")
    page = get("/search/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert SCRIPT not in page.html
    assert page.root.find("title").text == f"‘{SCRIPT}’ 검색 결과 - 새나루일보"
    assert f"<title>‘{SCRIPT_ESCAPED}’ 검색 결과" in page.html
    assert page.root.find("h1").text == f"‘{SCRIPT}’ 검색 결과 0건"
    assert page.root.find("input", id="search-q").attrs["value"] == SCRIPT
    assert (
        page.root.find("form", cls="search-filters").find("input", name="q").attrs["value"]
        == SCRIPT
    )


def test_attribute_breaking_query_stays_inside_the_value(get, write):
    write("반도체 공장 착공")
    page = get("/search/?q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E")
    assert page.root.find_all("img", src="x") == []
    assert page.root.find("input", id="search-q").attrs["value"] == ATTR_BREAK


def test_script_in_an_article_body_is_escaped_in_the_snippet(get, write):
    # The body cleaner keeps it as text; the snippet must print it as text again.
    write("반도체 공장 착공", body="&lt;script&gt;alert(1)&lt;/script&gt; 반도체 공장")
    page = get("/search/?q=반도체")
    assert SCRIPT not in page.html
    assert page.root.find("p", cls="teaser-text").text == f"{SCRIPT} 반도체 공장"


# --- The header search box ------------------------------------------------------------------


def header_search_box(page):
    form = page.root.find("form", role="search")
    assert form.attrs["action"] == "/search/"
    assert form.attrs["method"] == "get"
    return form.find("input", name="q")


def test_header_search_box_is_on_every_page(get, write):
    article = write("반도체 공장 착공")
    for url in ["/", f"/article/{article.public_id}/", "/section/bigtech/", "/search/"]:
        assert header_search_box(get(url)).attrs["value"] == "", url


def test_header_search_box_shows_the_query_on_the_search_page(get, write):
    write("반도체 공장 착공")
    assert header_search_box(get("/search/?q=반도체")).attrs["value"] == "반도체"


# --- Query budget ---------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    # `sinmun serve` loads the user dictionary before forking the web workers.
    indexing.ensure_user_dictionary()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # Reads only: PostgreSQL search wraps its match query in a savepoint that turns sequential
    # scans off and on again (docs/decisions/0019), four statements that read nothing.
    plumbing = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT set_config(")
    return sum(not q["sql"].startswith(plumbing) for q in queries.captured_queries)


def test_query_budget_of_a_full_page_of_results(client, write, newsroom):
    for n in range(20):
        write(
            f"반도체 소식 {n}호",
            keywords=["반도체", f"키워드{n}"],
            reporters=[newsroom.kim, newsroom.lee],
            series=newsroom.column,
            minutes_ago=n + 1,
        )
    assert count_queries(client, "/search/?q=반도체") <= MAX_QUERIES


def test_query_budget_of_zero_results_with_a_suggestion(client, write):
    for n in range(10):
        write(f"국회 소식 {n}호", keywords=["국회"], minutes_ago=n + 1)
    assert count_queries(client, "/search/?q=국휘") <= MAX_QUERIES
