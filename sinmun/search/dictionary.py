"""The analyzer's user dictionary: the newsroom's own proper nouns, loaded once per process.

Its own module because both sides of search need it before their first analysis — the indexer
(``indexing``) and the query parser (``query``) — and neither should import the other for it:
``query`` importing ``indexing`` pulled in ``suggestions`` and ``recent`` and made an import
circle with ``suggestions``, which reads parsed queries.
"""

from sinmun.korean import analyzer
from sinmun.newsroom.models import Keyword, Reporter, Section, Series

_dictionary_loaded = False


def load_user_dictionary() -> None:
    """Teach the analyzer the newsroom's proper nouns: reporters, sections, series, keywords."""
    global _dictionary_loaded
    words: list[str] = []
    for model in (Reporter, Section, Series, Keyword):
        words.extend(model.objects.values_list("name", flat=True))
    analyzer.add_user_words(words)
    _dictionary_loaded = True


def ensure_user_dictionary() -> None:
    """Load the user dictionary once per process, in one batch, before the first analysis.

    Every ``add_user_word`` makes kiwipiepy rebuild on its next analysis (~3 s here), so the
    dictionary never changes inside a request: web workers load it while booting
    (sinmun/gunicorn_config.py) and are recycled every few thousand requests, batch commands
    load it when they start. Words added in between are analysed in parts until then, on the
    index side and the query side alike; `sinmun reindex --all` realigns old documents.
    """
    if not _dictionary_loaded:
        load_user_dictionary()
