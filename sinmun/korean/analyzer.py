"""Korean morphemes for search, from kiwipiepy.

Index and query text go through the same ``terms`` function, so particles and endings never
block a match: 삼성전자가 / 삼성전자는 / 삼성전자의 all give ``삼성전자``, 만났다 gives ``만나``
(the stem that 만나다 also gives). Kept: common and proper nouns, verb and adjective stems, roots,
foreign words, numbers and hanja. Nouns written together (빅테크 → 빅 + 테크, AI반도체) are
indexed both as their parts and whole.

The kiwipiepy model costs ~500 MB and a few seconds to load, so one ``Kiwi`` is shared by the
whole process (``analyzer()``), loaded on first use or by ``warm()`` before the web server forks
(``sinmun serve`` preloads it, so the workers share the pages copy-on-write).
"""

import os
import threading
import unicodedata
from collections.abc import Iterable, Iterator

# Tags of morphemes that carry meaning for search (kiwipiepy's Sejong-based tag set; irregular
# stems come as VV-I, VA-R… and are read by their prefix).
NOUN_TAGS = {"NNG", "NNP", "SL", "SN", "SH", "XR"}
STEM_TAGS = {"VV", "VA"}
KEPT_TAGS = NOUN_TAGS | STEM_TAGS
# Inside one written word these join the nouns around them into the compound (고위험, 경보기,
# 채승민, 한바다해운) though they are not search terms alone: kiwipiepy splits unknown names
# and prefixed words differently from one sentence to the next, and the whole written form is
# what a reader types.
GLUE_TAGS = {"XPN", "XSN", "MM", "NNB"}

_lock = threading.Lock()
_kiwi = None
_user_words: set[str] = set()
# A user word's parts as the analyzer saw it before the word was added (야간개방 → 야간, 개방),
# indexed along with the whole word so that "야간 개방" finds it too.
_user_parts: dict[str, list[str]] = {}


def threads() -> int:
    """Return the analyzer's thread count: ``SINMUN_ANALYZER_THREADS`` or every core.

    ``sinmun serve`` sets 1: the model is loaded before gunicorn forks, and a thread pool does
    not survive ``fork()``; web workers only analyse queries and single articles anyway.
    """
    value = os.environ.get("SINMUN_ANALYZER_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else (os.cpu_count() or 1)


def analyzer():
    """Return the process's one ``Kiwi`` (loading it on first use)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi(num_workers=threads())
    return _kiwi


def warm() -> None:
    """Load the model now, before gunicorn forks its workers, without analysing anything.

    kiwipiepy starts a thread on its first analysis (even single-threaded), and a thread does
    not survive ``fork()``: a worker would then hang in its first ``add_user_word``. So the
    master only loads the model (the ~500 MB the workers share) and each worker's first
    analysis starts that worker's own thread.
    """
    analyzer()


def add_user_words(words: Iterable[str]) -> int:
    """Teach the analyzer proper nouns (names, sections, keywords) so they stay whole.

    Return how many were new. Words with spaces are added part by part; one-syllable words
    are skipped (they would split other words).
    """
    kiwi = analyzer()
    with _lock:
        new = sorted({p for w in words for p in normalize(w).split() if len(p) >= 2} - _user_words)
        if not new:
            return 0
        for word, tokens in zip(new, kiwi.tokenize(new), strict=True):
            parts = [t.form.lower() for t in tokens if _tag(t) in NOUN_TAGS]
            if len(parts) > 1:
                _user_parts[word.lower()] = parts
        added = 0
        for word in new:
            _user_words.add(word)
            if kiwi.add_user_word(word, "NNP", 0):
                added += 1
    return added


def normalize(text: str) -> str:
    """Return ``text`` NFKC-normalised (full-width Latin, compatibility jamo, ℃ …)."""
    return unicodedata.normalize("NFKC", text)


def _tag(token) -> str:
    return token.tag.split("-", 1)[0]


def _terms_of_tokens(tokens, *, compounds: bool = True) -> list[str]:
    """Return kept morphemes in reading order, then (optionally) the compounds.

    Compounds go last so that the parts stay adjacent for phrase search: "빅테크 기업" gives
    빅 테크 기업 … 빅테크, and the phrase "빅테크 기업" (빅 테크 기업) still matches.
    """
    out: list[str] = []
    wholes: list[str] = []
    run: list = []

    def close_run() -> None:
        if len(run) > 1 and any(_tag(t) in NOUN_TAGS for t in run):
            wholes.append("".join(t.form for t in run).lower())
        run.clear()

    for token in tokens:
        tag = _tag(token)
        if tag in NOUN_TAGS or tag in GLUE_TAGS:
            if run and run[-1].start + run[-1].len != token.start:
                close_run()
            run.append(token)
            if tag in NOUN_TAGS:
                form = token.form.lower()
                out.append(form)
                wholes.extend(_user_parts.get(form, ()))
        else:
            close_run()
            if tag in STEM_TAGS:
                out.append(token.form)
    close_run()
    return out + wholes if compounds else out


def terms(text: str, *, compounds: bool = True) -> list[str]:
    """Return the search terms of ``text`` in reading order (compounds last)."""
    text = normalize(text)
    if not text.strip():
        return []
    return _terms_of_tokens(analyzer().tokenize(text), compounds=compounds)


def terms_many(texts: Iterable[str]) -> Iterator[list[str]]:
    """Yield the terms of each text; kiwipiepy analyses the batch on all cores."""
    normalized = [normalize(t) for t in texts]
    for tokens in analyzer().tokenize(normalized):
        yield _terms_of_tokens(tokens)
