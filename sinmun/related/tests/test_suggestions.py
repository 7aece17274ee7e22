"""Keyword suggestions: names and telling words, not the byline, titles or numbers."""

import pytest

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
