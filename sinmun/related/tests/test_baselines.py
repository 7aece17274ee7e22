"""The two baselines ``related_eval`` measures against: today's tiered box (moved here from the
newsroom's selectors with its tests) and same-section-newest."""

import pytest

from sinmun.newsroom import actors, services
from sinmun.related import baselines


def _tiered(target, limit):
    everything = list(baselines.tiered(target))
    return everything[:limit], len(everything)


@pytest.fixture
def related(newsroom):
    """Return an article and, by name, articles related to it in each way (and some that aren't).

    The target is in 빅테크, keyword 반도체, series 기자수첩.
    """
    n = newsroom
    target = n.article(headline="대상", keywords=["반도체"], series=n.column, minutes_ago=60)
    made = {
        # Share the keyword only (other section, no series): first, newest first.
        "keyword_new": n.article(keywords=["반도체"], section=n.assembly, minutes_ago=20),
        "keyword_old": n.article(keywords=["반도체", "국회"], section=n.politics, minutes_ago=50),
        # Same series only (other section, other keyword): after every keyword match.
        "series": n.article(keywords=["국회"], section=n.assembly, series=n.column, minutes_ago=1),
        # Same section only: last, newest first.
        "section_new": n.article(keywords=["AI"], minutes_ago=2),
        "section_old": n.article(keywords=[], minutes_ago=40),
        # Unrelated: other section, no shared keyword, no series.
        "unrelated": n.article(keywords=["국회"], section=n.assembly, minutes_ago=3),
        "unrelated_tech": n.article(keywords=["AI"], section=n.tech, minutes_ago=4),
    }
    # Related in every way but not visible to readers.
    n.article(keywords=["반도체"], series=n.column, publish=False)
    hidden = n.article(keywords=["반도체"], series=n.column, minutes_ago=5)
    services.article_withdraw(article=hidden, by=actors.DEMO)
    return target, made


def test_related_articles_rank_keyword_then_series_then_section(related):
    target, made = related
    articles, total = _tiered(target, 10)
    assert articles == [
        made["keyword_new"],
        made["keyword_old"],
        made["series"],
        made["section_new"],
        made["section_old"],
    ]
    assert total == 5


def test_related_articles_limit_cuts_the_list_but_not_the_total(related):
    target, made = related
    articles, total = _tiered(target, 3)
    assert articles == [made["keyword_new"], made["keyword_old"], made["series"]]
    assert total == 5


def test_related_articles_never_include_the_article_itself(related):
    target, _ = related
    articles, _ = _tiered(target, 10)
    assert target not in articles


def test_an_article_without_keywords_or_series_relates_by_section_only(newsroom):
    target = newsroom.article(keywords=[], minutes_ago=60)
    same = newsroom.article(keywords=["반도체"], minutes_ago=10)
    newsroom.article(keywords=[], section=newsroom.assembly, minutes_ago=5)
    assert _tiered(target, 5) == ([same], 1)


def test_same_section_newest_is_the_sections_newest_but_the_article(newsroom):
    target = newsroom.article(minutes_ago=60)
    older = newsroom.article(minutes_ago=90)
    newer = newsroom.article(minutes_ago=5)
    newsroom.article(section=newsroom.assembly, minutes_ago=1)
    newsroom.article(publish=False)
    assert list(baselines.same_section_newest(target)) == [newer, older]
