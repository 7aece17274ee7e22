"""Data checks on the demo corpus: plain Python, no Django, no database."""

import re
from collections import Counter

import pytest

from sinmun.demo import corpus

DENYLIST = [
    "삼성",
    "LG",
    "현대",
    "네이버",
    "카카오",
    "SK",
    "롯데",
    "쿠팡",
    "연합뉴스",
    "조선일보",
    "중앙일보",
    "동아일보",
    "한겨레",
    "경향",
]
REPORTER_TITLES = {"기자", "선임기자", "특파원", "객원기자"}


@pytest.fixture(scope="module")
def articles():
    return corpus.articles()


def _body_chars(article):
    return sum(len(p) for p in article["paragraphs"])


def _all_text(articles):
    """Every human-readable string the corpus can put on a page."""
    yield from (str(v) for v in corpus.OUTLET.values())
    for section in corpus.SECTIONS:
        yield section["name"]
    for series in corpus.SERIES:
        yield series["name"]
        yield series["description"]
    for reporter in corpus.REPORTERS:
        yield reporter["name"]
        yield reporter["bio"]
    for article in articles:
        yield article["headline"]
        yield from article["subheadlines"]
        yield from article["paragraphs"]
        yield from article["keywords"]
        if article["photo"]:
            yield article["photo"]["caption"]
            yield article["photo"]["credit"]


def test_enough_articles(articles):
    assert len(articles) >= 160


def test_deterministic():
    assert corpus.articles() == corpus.articles()


def test_uris_are_unique_and_well_formed(articles):
    uris = [a["uri"] for a in articles]
    assert len(set(uris)) == len(uris)
    assert all(re.fullmatch(r"urn:saenaru:article:\d{4}", u) for u in uris)


def test_headlines_are_unique_and_sized(articles):
    headlines = [a["headline"] for a in articles]
    assert len(set(headlines)) == len(headlines)
    assert all(15 <= len(h) <= 45 for h in headlines), [
        h for h in headlines if not 15 <= len(h) <= 45
    ]


def test_bodies_and_first_paragraphs_are_unique(articles):
    bodies = ["\n".join(a["paragraphs"]) for a in articles]
    assert len(set(bodies)) == len(bodies)
    firsts = [a["paragraphs"][0] for a in articles]
    assert len(set(firsts)) == len(firsts)


def test_outlet():
    outlet = corpus.OUTLET
    for key in (
        "name",
        "title",
        "company",
        "address",
        "phone",
        "registration_number",
        "registration_date",
        "publisher",
        "editor",
        "publication_date",
        "youth_officer",
        "email",
    ):
        assert outlet[key], key
    assert re.fullmatch(r"서울 아\d{5}", outlet["registration_number"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", outlet["registration_date"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", outlet["publication_date"])
    assert re.fullmatch(r"0\d{1,2}-0000-0000", outlet["phone"])
    assert outlet["email"].endswith(".example")


def test_sections_form_a_two_level_tree():
    slugs = [s["slug"] for s in corpus.SECTIONS]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", s) for s in slugs)
    parent_of = {s["slug"]: s["parent"] for s in corpus.SECTIONS}
    for slug, parent in parent_of.items():
        if parent is not None:
            assert parent in parent_of, slug
            assert parent_of[parent] is None, f"{slug} is nested deeper than two levels"
    top = [s for s, p in parent_of.items() if p is None]
    assert len(top) >= 8
    children = Counter(p for p in parent_of.values() if p is not None)
    assert sum(1 for n in children.values() if 2 <= n <= 4) >= 3
    assert all(n <= 4 for n in children.values())
    by_name = {s["name"]: s["slug"] for s in corpus.SECTIONS}
    assert parent_of[by_name["빅테크"]] == by_name["IT·과학"]


def test_every_section_has_four_articles(articles):
    counts = Counter(a["section"] for a in articles)
    for section in corpus.SECTIONS:
        assert counts[section["slug"]] >= 4, section["slug"]


def test_references_resolve(articles):
    sections = {s["slug"] for s in corpus.SECTIONS}
    series = {s["slug"] for s in corpus.SERIES}
    reporters = {r["name"] for r in corpus.REPORTERS}
    for article in articles:
        assert article["section"] in sections
        assert article["series"] is None or article["series"] in series
        assert 1 <= len(article["reporters"]) <= 3
        assert len(set(article["reporters"])) == len(article["reporters"])
        assert set(article["reporters"]) <= reporters


def test_bylines_are_mostly_single(articles):
    counts = Counter(len(a["reporters"]) for a in articles)
    assert counts[1] > len(articles) * 0.7
    assert counts[2] > 0


def test_reporters():
    reporters = corpus.REPORTERS
    assert len(reporters) == 12
    slugs = [r["slug"] for r in reporters]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", s) for s in slugs)
    names = [r["name"] for r in reporters]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[가-힣]{3}", n) for n in names)
    titles = Counter(r["title"] for r in reporters)
    assert set(titles) == REPORTER_TITLES
    assert titles["기자"] > len(reporters) / 2
    sections = {s["slug"] for s in corpus.SECTIONS}
    for reporter in reporters:
        assert reporter["beat"] in sections
        assert re.fullmatch(r"[a-z.]+@saenaru\.example", reporter["email"])
        assert reporter["bio"]


def test_series(articles):
    assert len(corpus.SERIES) == 3
    counts = Counter(a["series"] for a in articles if a["series"])
    for series in corpus.SERIES:
        assert 8 <= counts[series["slug"]] <= 15, series["slug"]


def test_keywords_are_shared(articles):
    counts = Counter()
    for article in articles:
        keywords = article["keywords"]
        assert 2 <= len(keywords) <= 5
        assert len(set(keywords)) == len(keywords)
        counts.update(keywords)
    lonely = [k for k, n in counts.items() if n < 2]
    assert not lonely
    assert sum(1 for n in counts.values() if n >= 5) >= 20


def test_body_lengths_vary(articles):
    lengths = [_body_chars(a) for a in articles]
    assert min(lengths) < 600
    assert max(lengths) > 3000
    paragraph_counts = [len(a["paragraphs"]) for a in articles]
    assert min(paragraph_counts) >= 2
    assert max(paragraph_counts) <= 16
    assert any(n >= 10 for n in paragraph_counts)
    assert all(p.strip() == p and p for a in articles for p in a["paragraphs"])


def test_subheadlines(articles):
    counts = Counter(len(a["subheadlines"]) for a in articles)
    assert all(0 <= n <= 6 for n in counts)
    assert counts[2] > 0
    assert counts[5] + counts[6] > 0
    assert 0 < counts[0] < len(articles) * 0.2
    for article in articles:
        for line in article["subheadlines"]:
            assert 10 <= len(line) <= 40, line


def test_exactly_one_top_story(articles):
    tops = [a for a in articles if a["top"]]
    assert len(tops) == 1
    assert tops[0]["published_minutes_ago"] <= 180


def test_publication_times(articles):
    ago = [a["published_minutes_ago"] for a in articles]
    assert all(isinstance(m, int) and m > 0 for m in ago)
    assert max(ago) <= 46 * 24 * 60
    assert sum(1 for m in ago if m <= 60) >= 3
    assert sum(1 for m in ago if m <= 24 * 60) >= 10
    for article in articles:
        updated = article["updated_minutes_ago"]
        if updated is not None:
            assert isinstance(updated, int)
            assert 0 <= updated < article["published_minutes_ago"]
    assert any(a["updated_minutes_ago"] is not None for a in articles)


def test_photos(articles):
    with_photo = [a for a in articles if a["photo"]]
    assert 0.4 <= len(with_photo) / len(articles) <= 0.8
    for article in with_photo:
        assert article["photo"]["caption"]
        assert article["photo"]["credit"]


def test_no_markup_and_no_byline_in_text(articles):
    for text in _all_text(articles):
        assert "<" not in text and ">" not in text, text
    for article in articles:
        for paragraph in article["paragraphs"]:
            assert not paragraph.startswith("["), paragraph


def test_no_real_brands(articles):
    for text in _all_text(articles):
        for word in DENYLIST:
            assert word not in text, (word, text)
