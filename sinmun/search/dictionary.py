"""The analyzer's user dictionary: the newsroom's own proper nouns, in every process.

Its own module because both sides of search need it before their first analysis — the indexer
(``indexing``) and the query parser (``query``) — and neither should import the other for it:
``query`` importing ``indexing`` pulled in ``suggestions`` and ``recent`` and made an import
circle with ``suggestions``, which reads parsed queries.

Every process loads the names once (``sinmun serve`` does it before forking the web workers).
When a reporter, section, series or keyword is added or renamed, ``words_changed`` writes a new
word-list version to the shared cache after the commit; each process reads that version at most
once a second (``CHECK_SECONDS``) and learns the new names as late words
(``sinmun.korean.analyzer``), so a new name stays whole in searches and in the index within a
second, with no worker restarted and no model rebuilt (docs/decisions/0018-analyzer-memory.md).
"""

import time

from django.core.cache import cache

from sinmun.korean import analyzer
from sinmun.newsroom.models import Keyword, Reporter, Section, Series

VERSION_KEY = "sinmun:dictionary-version"
CHECK_SECONDS = 1.0
MODELS = (Reporter, Section, Series, Keyword)

_state = {"loaded": False, "version": None, "checked_at": 0.0}


def load_user_dictionary() -> None:
    """Teach the analyzer the newsroom's proper nouns: reporters, sections, series, keywords."""
    version = cache.get(VERSION_KEY)
    words: list[str] = []
    for model in MODELS:
        words.extend(model.objects.values_list("name", flat=True))
    analyzer.add_user_words(words)
    _state.update(loaded=True, version=version, checked_at=time.monotonic())


def ensure_user_dictionary() -> None:
    """Load the dictionary once per process, then learn added words (checked once a second)."""
    if not _state["loaded"]:
        load_user_dictionary()
        return
    now = time.monotonic()
    if now - _state["checked_at"] < CHECK_SECONDS:
        return
    _state["checked_at"] = now
    if cache.get(VERSION_KEY) != _state["version"]:
        load_user_dictionary()


def words_changed(**_kwargs) -> None:
    """Tell every process that the word list changed (a name was added or renamed)."""
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
