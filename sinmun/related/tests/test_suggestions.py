"""Keyword suggestions: names and telling words, not the byline, titles or numbers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.related import suggestions, vocabulary

HEADLINE = "다온반도체, 구미에 AI 메모리 공장…요나스 베르크홀름 회장 방한"
BODY = (
    "[새나루일보=김민준 기자] 다온반도체가 경북 구미에 AI 메모리 후공정 공장을 짓는다. "
    "요나스 베르크홀름 아틀란해운 회장은 구미 공장을 찾아 다온반도체 경영진을 만났다. "
    "정부 관계자는 올해 안에 전력 공급 계획을 내겠다고 밝혔다. 공장은 2027년 가동한다."
)


def test_candidates_are_words_as_written_and_names_in_two_words():
    found = dict(suggestions.candidates("요나스 베르크홀름 회장이 다온반도체를 찾았다."))
    assert found["다온반도체"] is True
    assert found["요나스 베르크홀름"] is True
    assert "찾았다" not in found


@pytest.mark.django_db
def test_suggestions_put_names_first_and_leave_the_byline_and_titles_out():
    vocabulary.rebuild()  # an empty index: every word counts as rare
    words = [
        s.word
        for s in suggestions.suggest(
            headline=HEADLINE, subheadlines=[], body=BODY, exclude={"김민준", "새나루일보"}
        )
    ]
    assert len(words) == 5
    # Names come first: the company and the place (as written: 경북 구미), then the person.
    assert "다온반도체" in words[:2]
    assert any(w.endswith("구미") for w in words[:2])
    # The person: by the full name or the surname the article keeps using.
    assert {"요나스 베르크홀름", "베르크홀름"} & set(words)
    for never in ("김민준", "새나루일보", "회장", "관계자", "2027년", "정부"):
        assert never not in words


def test_measurements_are_not_keywords_but_a_name_with_a_number_is():
    found = dict(
        suggestions.candidates("다온반도체 공장은 200MW 전력과 35°C 냉각수, 5G 망을 쓴다.")
    )
    assert "200MW" not in found
    assert "35°C" not in found
    assert "5G" in found


@pytest.mark.django_db
def test_a_keyword_earlier_articles_carry_comes_first_even_of_two_words(newsroom):
    # A name no demo article carries, so what another test left behind cannot make it known.
    vocabulary.rebuild()
    headline = "누리별 3호 첫 영상 공개…관제센터 “해상도 목표 넘었다”"
    body = "누리별 3호가 보낸 첫 영상이 공개됐다. 관제센터는 해상도가 목표를 넘었다고 밝혔다."

    def words(**kw):
        return [
            s.word for s in suggestions.suggest(headline=headline, subheadlines=[], body=body, **kw)
        ]

    assert "누리별 3호" not in words()
    newsroom.article(headline="누리별 3호 발사 성공", keywords=["누리별 3호", "관제센터"])
    assert set(words()[:2]) == {"누리별 3호", "관제센터"}
    # Known as of a day ago, before that article was published: nothing known, as at first.
    a_day_ago = timezone.now() - timedelta(days=1)
    assert "누리별 3호" not in words(
        known=lambda w: suggestions.known_keywords(w, before=a_day_ago)
    )
