"""The read endpoints through the test client: shapes, filters, pages, ninjs, Cache-Control,
and nothing readers may not see — embargoed, scheduled, unreleased or withdrawn — anywhere."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sinmun.api import selectors
from sinmun.api import services as api_services
from sinmun.api.endpoints import NINJS_TYPE, NOT_FOUND
from sinmun.korean.dates import KST
from sinmun.newsroom import actors, services
from sinmun.newsroom.models import Article

ARTICLES = "/api/v1/articles"


@pytest.fixture
def paper(newsroom, committed):
    """Return the newsroom with three public articles and one of each hidden kind."""
    n = newsroom
    with committed():  # the search index jobs run after commit
        n.old = n.article(headline="국회 본회의 통과", section=n.assembly, reporters=[n.park],
                          keywords=["국회"], minutes_ago=60 * 24 * 3)  # fmt: skip
        n.middle = n.article(headline="반도체 수출 늘어", series=n.column, minutes_ago=120)
        n.new = n.article(headline="반도체 공장 착공", reporters=[n.kim, n.lee], minutes_ago=10)
        now = timezone.now()
        n.embargoed = n.article(headline="반도체 엠바고 기사", publish=False)
        services.article_publish(article=n.embargoed, by=actors.DEMO, at=now + timedelta(hours=1))
        n.draft = n.article(headline="반도체 작성 중 기사", publish=False)
        n.submitted = n.article(headline="반도체 송고 기사", publish=False)
        services.article_submit(article=n.submitted, by=actors.DEMO)
        n.withdrawn = n.article(headline="반도체 회수 기사", minutes_ago=30)
        services.article_withdraw(article=n.withdrawn, by=actors.DEMO)
    n.hidden = [n.embargoed, n.draft, n.submitted, n.withdrawn]
    return n


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["id"] for a in response.json()["data"]]


def test_the_list_is_newest_first_with_pagination_meta(anonymous, paper):
    response = anonymous.get(ARTICLES)
    body = response.json()
    assert ids(response) == [paper.new.public_id, paper.middle.public_id, paper.old.public_id]
    assert body["meta"] == {"page": 1, "per_page": 20, "total": 3, "next": None}


def test_next_links_the_following_page_with_the_same_filters(anonymous, paper, settings):
    response = anonymous.get(ARTICLES, {"per_page": 2, "section": "it-science"})
    assert ids(response) == [paper.new.public_id, paper.middle.public_id]
    meta = response.json()["meta"]
    assert meta == {
        "page": 1,
        "per_page": 2,
        "total": 2,
        "next": None,
    }
    response = anonymous.get(ARTICLES, {"per_page": 2})
    assert response.json()["meta"]["next"] == f"{settings.SITE_URL}{ARTICLES}?page=2&per_page=2"
    assert ids(anonymous.get(ARTICLES, {"per_page": 2, "page": 2})) == [paper.old.public_id]
    assert ids(anonymous.get(ARTICLES, {"per_page": 2, "page": 99})) == []


def test_an_article_in_the_list_has_the_documented_fields(anonymous, paper, settings):
    [item] = [a for a in anonymous.get(ARTICLES).json()["data"] if a["id"] == paper.new.public_id]
    assert item == {
        "id": paper.new.public_id,
        "uri": paper.new.uri,
        "url": f"{settings.SITE_URL}/article/{paper.new.public_id}/",
        "headline": "반도체 공장 착공",
        "subheadlines": ["총 4조 원 투입해 2028년 가동", "지역 일자리 1200개 예상"],
        "label": "빅테크",
        "section": {"slug": "bigtech", "name": "빅테크"},
        "series": None,
        "reporters": [
            {"slug": "kim-minjun", "name": "김민준", "title": "기자",
             "url": f"{settings.SITE_URL}/reporter/kim-minjun/"},
            {"slug": "lee-seoyeon", "name": "이서연", "title": "기자",
             "url": f"{settings.SITE_URL}/reporter/lee-seoyeon/"},
        ],
        "byline": "[새나루일보=김민준·이서연 기자]",
        "excerpt": "한결전자가 새 공장을 짓기로 했다. 회사는 12일 이렇게 밝혔다.",
        "first_published_at": timezone.localtime(paper.new.first_published_at)
        .replace(microsecond=0)
        .isoformat(),
        "updated_at": None,
        "lead_photo": None,
    }  # fmt: skip
    assert item["first_published_at"].endswith("+09:00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"section": "politics"}, ["old"]),  # a parent section includes its children
        ({"section": "bigtech"}, ["new", "middle"]),
        ({"series": "column"}, ["middle"]),
        ({"reporter": "lee-seoyeon"}, ["new"]),
        ({"reporter": "park-hajun"}, ["old"]),
        ({"keyword": "국회"}, ["old"]),
        ({"section": "bigtech", "reporter": "kim-minjun"}, ["new", "middle"]),
    ],
)
def test_filters(anonymous, paper, query, expected):
    assert ids(anonymous.get(ARTICLES, query)) == [getattr(paper, e).public_id for e in expected]


def test_a_date_range_is_in_korean_days(anonymous, newsroom):
    """An article at 00:30 KST on 3 March belongs to 3 March, though it is 2 March in UTC."""
    early = newsroom.article(headline="새벽 기사", publish=False)
    services.article_publish(
        article=early, by=actors.DEMO, at=datetime(2026, 3, 3, 0, 30, tzinfo=KST)
    )
    assert ids(anonymous.get(ARTICLES, {"since": "2026-03-03", "until": "2026-03-03"})) == [
        early.public_id
    ]
    assert ids(anonymous.get(ARTICLES, {"until": "2026-03-02"})) == []
    assert ids(anonymous.get(ARTICLES, {"since": "0001-01-01", "until": "9999-12-31"})) == [
        early.public_id
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"section": "nope"}, selectors.UNKNOWN_SECTION),
        ({"series": "nope"}, selectors.UNKNOWN_SERIES),
        ({"reporter": "nope"}, selectors.UNKNOWN_REPORTER),
        ({"keyword": "없는 키워드"}, selectors.UNKNOWN_KEYWORD),
        ({"section": "bad\x00slug"}, selectors.UNKNOWN_SECTION),
        ({"since": "2026-03-04", "until": "2026-03-03"}, selectors.BAD_RANGE),
    ],
)
def test_an_unknown_filter_is_422_in_korean(anonymous, paper, query, message):
    response = anonymous.get(ARTICLES, query)
    assert response.status_code == 422
    assert response.json()["error"]["message"] == message
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "query", [{"page": 0}, {"page": "x"}, {"per_page": 101}, {"since": "어제"}]
)
def test_a_malformed_parameter_is_422_with_details(anonymous, paper, query):
    response = anonymous.get(ARTICLES, query)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"]


def test_detail_has_the_body_and_keywords(anonymous, paper):
    response = anonymous.get(f"{ARTICLES}/{paper.old.public_id}")
    data = response.json()["data"]
    assert data["body"] == paper.old.body
    assert data["keywords"] == ["국회"]
    assert data["reporters"][0]["title"] == "특파원"


@pytest.mark.parametrize("how", ["query", "accept"])
def test_detail_as_ninjs(anonymous, paper, how):
    if how == "query":
        response = anonymous.get(f"{ARTICLES}/{paper.old.public_id}", {"format": "ninjs"})
    else:
        response = anonymous.get(f"{ARTICLES}/{paper.old.public_id}", HTTP_ACCEPT=NINJS_TYPE)
    assert response["Content-Type"].startswith(NINJS_TYPE)
    item = response.json()
    assert (item["uri"], item["pubstatus"]) == (paper.old.uri, "usable")
    assert item["headlines"][0] == {"role": "main", "value": "국회 본회의 통과"}
    assert "Accept" in response["Vary"]


def test_sections_in_menu_order_with_their_parent(anonymous, paper, settings):
    response = anonymous.get("/api/v1/sections")
    data = response.json()["data"]
    assert [(s["slug"], s["parent"]) for s in data] == [
        ("politics", None),
        ("assembly", "politics"),
        ("it-science", None),
        ("bigtech", "it-science"),
    ]
    assert data[1]["url"] == f"{settings.SITE_URL}/section/assembly/"
    assert response.json()["meta"]["total"] == 4


def test_reporters_by_name_without_those_who_left(anonymous, paper):
    services.reporter_update(by=actors.DEMO, reporter=paper.lee, active=False)
    response = anonymous.get("/api/v1/reporters", {"per_page": 1})
    assert [r["slug"] for r in response.json()["data"]] == ["kim-minjun"]
    assert response.json()["meta"]["total"] == 2
    assert response.json()["meta"]["next"].endswith("/api/v1/reporters?page=2&per_page=1")


def test_search_gives_the_sites_results_with_snippets(anonymous, paper):
    response = anonymous.get("/api/v1/search", {"q": "반도체", "sort": "newest"})
    body = response.json()
    assert [a["id"] for a in body["data"]] == [paper.new.public_id, paper.middle.public_id]
    assert all(isinstance(a["snippet"], str) and a["snippet"] for a in body["data"])
    assert body["meta"]["total"] == 2
    assert body["meta"]["per_page"] == 20
    assert body["meta"]["capped"] is False


def test_search_with_an_unknown_section_is_422(anonymous, paper):
    response = anonymous.get("/api/v1/search", {"q": "반도체", "section": "nope"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_filter"


def test_no_hidden_article_appears_in_any_output(anonymous, paper):
    """Embargoed, unreleased and withdrawn articles: absent from lists, filters, search and
    detail (404, the same answer as an id that never existed)."""
    hidden = {a.public_id for a in paper.hidden}
    outputs = [
        anonymous.get(ARTICLES, {"per_page": 100}),
        anonymous.get(ARTICLES, {"section": "bigtech", "per_page": 100}),
        anonymous.get(ARTICLES, {"reporter": "kim-minjun", "per_page": 100}),
        anonymous.get(ARTICLES, {"keyword": "반도체", "per_page": 100}),
        anonymous.get(ARTICLES, {"since": "2000-01-01", "per_page": 100}),
        anonymous.get("/api/v1/search", {"q": "반도체"}),
        anonymous.get("/api/v1/search", {"q": "기사", "sort": "newest"}),
    ]
    for response in outputs:
        assert response.status_code == 200
        assert not hidden & {a["id"] for a in response.json()["data"]}
        assert "엠바고" not in response.content.decode()
    for article in paper.hidden:
        for query in ({}, {"format": "ninjs"}):
            response = anonymous.get(f"{ARTICLES}/{article.public_id}", query)
            assert response.status_code == 404
            assert response.json()["error"]["message"] == NOT_FOUND


def test_an_embargoed_article_appears_when_its_time_comes(anonymous, paper, monkeypatch):
    due = paper.embargoed.first_published_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)
    assert paper.embargoed.public_id in ids(anonymous.get(ARTICLES))
    assert anonymous.get(f"{ARTICLES}/{paper.embargoed.public_id}").status_code == 200


@pytest.mark.parametrize("public_id", ["nope", "x" * 40, "a\x00b", "../etc"])
def test_an_unknown_id_is_404(anonymous, paper, public_id):
    response = anonymous.get(f"{ARTICLES}/{public_id}")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [ARTICLES, f"{ARTICLES}?section=politics", "/api/v1/sections", "/api/v1/reporters",
     "/api/v1/search?q=반도체", "/api/openapi.json", "/api/docs"],
)  # fmt: skip
def test_a_successful_read_is_public_for_a_minute(anonymous, paper, path):
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_detail_read_is_public_too(anonymous, paper):
    response = anonymous.get(f"{ARTICLES}/{paper.old.public_id}")
    assert response["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/articles/a%0Ab"])
def test_an_unknown_api_path_is_an_api_error(anonymous, db, path):
    response = anonymous.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "no-store"


def test_a_reader_with_a_token_reads_the_same(make_caller, anonymous, paper):
    caller = make_caller("partner", "read")
    assert ids(caller.get(ARTICLES)) == ids(anonymous.get(ARTICLES))


def test_a_write_token_may_read(make_caller, paper):
    assert len(ids(make_caller("wire", "write").get(ARTICLES))) == 3


def test_a_dead_token_is_401_even_where_none_is_needed(make_caller, paper):
    """A client must learn its token was revoked rather than silently read as anonymous."""
    caller = make_caller("partner", "read")
    api_services.api_client_revoke(by=actors.DEMO, client=caller.api_client)
    response = caller.get(ARTICLES)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"
    assert response["Cache-Control"] == "no-store"


def test_reads_without_a_token_can_be_turned_off(anonymous, paper, settings):
    settings.API_ANONYMOUS_RATE = 0
    response = anonymous.get(ARTICLES)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_required"


def test_every_article_kind_stays_out_until_published(anonymous, paper):
    """The list's total counts only what readers may see."""
    visible = Article.objects.filter(status=Article.Status.PUBLISHED).count() - 1  # embargoed
    assert anonymous.get(ARTICLES).json()["meta"]["total"] == visible == 3
