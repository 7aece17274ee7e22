"""SQL and full-text-search injection through the search box and every filter, on SQLite FTS5
and PostgreSQL alike (the suite runs on both).

Each input is answered with a page or a JSON answer (a sensible result or a Korean reason),
never a 500, and the database is exactly as it was. The article written for the test is still
found afterwards, so an injected ``DELETE`` or a dropped index would show.
"""

import pytest
from django.db import connection

from sinmun.newsroom.models import Article, Keyword, Reporter, Section
from sinmun.search.models import SearchDocument
from sinmun.search.query import MAX_QUERY_CHARS

from . import checks
from .vectors import SEARCH_INPUTS

# The inputs most unlike each other, for the many filters (every input costs a search).
FILTER_INPUTS = SEARCH_INPUTS[::3]
READER_LISTS = ["/", "/section/bigtech/", "/reporter/kim-minjun/", "/series/column/",
                "/corrections/", "/keyword/반도체/"]  # fmt: skip


def _state() -> tuple:
    tables = len(connection.introspection.table_names())
    return (
        tables,
        Article.objects.count(),
        Section.objects.count(),
        Reporter.objects.count(),
        Keyword.objects.count(),
        SearchDocument.objects.count(),
        tuple(Article.objects.values_list("headline", flat=True).order_by("pk")),
    )


@pytest.fixture
def indexed(newsroom, committed):
    with committed():
        article = newsroom.article(
            headline="한결전자 반도체 공장 평택에 착공", series=newsroom.column
        )
    return article


def _found(client, article) -> bool:
    html = client.get("/search/", {"q": "반도체"}).content
    return article.get_absolute_url() in html.decode()


def test_search_inputs_are_text_on_the_page_and_change_nothing(client, indexed):
    assert _found(client, indexed)
    before = _state()
    for text in SEARCH_INPUTS:
        response = client.get("/search/", {"q": text})
        # Longer than the box allows: refused with the reason (test_bugs_found.py).
        long = len(" ".join(text.split())) > MAX_QUERY_CHARS
        assert response.status_code == (400 if long else 200), text
        assert checks.page_problems(response.content) == [], text
    assert _state() == before
    assert _found(client, indexed)


def test_search_inputs_through_every_filter_of_the_search_page(client, indexed):
    before = _state()
    for text in FILTER_INPUTS:
        for name in ("section", "reporter", "from", "to", "sort", "page"):
            response = client.get("/search/", {"q": "반도체", name: text})
            assert response.status_code == 200, (name, text)
            assert checks.page_problems(response.content) == [], (name, text)
    assert _state() == before
    assert _found(client, indexed)


def test_search_inputs_through_the_page_number_of_every_list(client, indexed):
    before = _state()
    for url in [*READER_LISTS, f"{indexed.get_absolute_url()}related/"]:
        for text in FILTER_INPUTS:
            response = client.get(url, {"page": text})
            assert response.status_code == 200, (url, text)
    assert _state() == before


def test_search_inputs_through_the_api_are_answered_in_its_shape(client, indexed, settings):
    settings.API_ANONYMOUS_RATE = 10_000  # this is not a test of the rate limit
    before = _state()
    asks = [("/api/v1/search", {"q": text}) for text in SEARCH_INPUTS]
    for text in FILTER_INPUTS:
        asks += [
            ("/api/v1/search", {"q": "반도체", "section": text}),
            ("/api/v1/search", {"q": "반도체", "reporter": text}),
            ("/api/v1/articles", {"section": text}),
            ("/api/v1/articles", {"series": text}),
            ("/api/v1/articles", {"reporter": text}),
            ("/api/v1/articles", {"keyword": text}),
            ("/api/v1/articles", {"since": text}),
            ("/api/v1/articles", {"page": text}),
            ("/api/v1/reporters", {"per_page": text}),
        ]
    for url, params in asks:
        response = client.get(url, params)
        assert response.status_code in (200, 404, 422), (url, params, response.status_code)
        body = response.json()
        assert ("data" in body) if response.status_code == 200 else ("error" in body)
    assert _state() == before
    assert _found(client, indexed)


def test_the_article_and_keyword_addresses_take_injection_as_a_name(client, indexed):
    before = _state()
    for text in ["' OR '1'='1", "1; DROP TABLE newsroom_article", "%", "_", "\\", "*"]:
        assert client.get(f"/article/{text}/").status_code == 404
        assert client.get(f"/api/v1/articles/{text}").status_code == 404
        assert client.get("/keyword/%25/").status_code == 404
    assert _state() == before
