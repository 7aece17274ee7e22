"""The user dictionary reaches every process: new names are learned within a second."""

import pytest

from sinmun.korean import analyzer
from sinmun.newsroom.models import Keyword
from sinmun.search import dictionary

pytestmark = pytest.mark.django_db


def test_a_new_keyword_is_learned_by_a_process_that_loaded_the_dictionary_before(
    monkeypatch, committed
):
    monkeypatch.setattr(dictionary, "CHECK_SECONDS", 0)
    dictionary.ensure_user_dictionary()
    word = "함께누리"
    assert word not in analyzer.terms(f"{word}에서", compounds=False)
    with committed():
        Keyword.objects.create(name=word)
    dictionary.ensure_user_dictionary()
    assert analyzer.terms(f"{word}에서", compounds=False) == [word]


def test_the_word_list_version_changes_only_after_the_commit(committed):
    from django.core.cache import cache

    before = cache.get(dictionary.VERSION_KEY)
    Keyword.objects.create(name="커밋전단어")
    assert cache.get(dictionary.VERSION_KEY) == before
    with committed():
        Keyword.objects.create(name="커밋후단어")
    assert cache.get(dictionary.VERSION_KEY) != before


def test_the_version_is_read_at_most_once_a_second(monkeypatch):
    dictionary.ensure_user_dictionary()
    reads = []
    monkeypatch.setattr(dictionary.cache, "get", lambda key, default=None: reads.append(key))
    for _ in range(100):
        dictionary.ensure_user_dictionary()
    assert len(reads) <= 1
