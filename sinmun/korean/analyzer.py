"""Korean morphemes for search, from kiwipiepy.

Index and query text go through the same rules (``terms`` for a text, ``tokens`` + ``terms_of``
for the words of a query analysed as one running text), so particles and endings never block a
match: 삼성전자가 / 삼성전자는 / 삼성전자의 all give ``삼성전자``, 만났다 gives ``만나`` (the stem
that 만나다 also gives). Kept: common and proper nouns, verb and adjective stems, roots, foreign
words, numbers and hanja. Nouns written together (빅테크 → 빅 + 테크, AI반도체) are indexed
both as their parts and whole.

Names need more, because kiwipiepy reads an unknown name differently from one context to the
next (docs/decisions/0010): a name in two words is also indexed written together (사티아
나델라 → 사티아나델라), and a word the model plainly guessed at (an ending right after a noun:
라히리 → 라 + 히 + 리) is also indexed as written. The query side's counterpart — trying a
typed word as written when it reads otherwise alone — is in ``sinmun.search.query``, which
uses ``core``, ``surface``, ``plain_nouns`` and ``reads_as_verb`` from here.

The kiwipiepy model costs ~500 MB and a few seconds to load, so one ``Kiwi`` is shared by the
whole process (``analyzer()``). ``sinmun serve`` loads it, teaches it the user dictionary and
runs a first analysis (which builds ~250 MB more of state) before the web server forks, so the
workers share all of it copy-on-write.

Words learned after a process's first analysis are not added to the model: ``add_user_word``
then makes kiwipiepy rebuild its state (seconds, and a private copy of those ~250 MB in every
forked worker). Such late words are instead marked on each text as a fixed span
(kiwipiepy's ``pretokenized``), so they stay whole at once in every process, on the index side
and the query side alike (docs/decisions/0018-analyzer-memory.md).
"""

import itertools
import os
import re
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
# Punctuation and symbols around a written word (SL, SN and SH are words, not these).
PUNCTUATION_TAGS = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW", "SB"}
# Glued to a noun inside one written word, these mean the analyzer guessed (아누 → 아 + 누).
GUESS_BEFORE_NOUN = {"IC", "MAG", "MAJ", "NP"}
# What an ending may follow: stems, auxiliaries, copulas, verb-making suffixes, endings.
ENDING_FOLLOWS = ("VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA", "E")
# What a name written as its own word is read as: a proper noun, or a common noun for a
# foreign word the model does not know (포트 of 포트 말리온).
NAME_TAGS = {"NNP", "NNG"}
_WORD = re.compile(r"\S+")

_lock = threading.Lock()
_kiwi = None
_user_words: set[str] = set()
# A user word's parts as the analyzer saw it before the word was added (야간개방 → 야간, 개방),
# indexed along with the whole word so that "야간 개방" finds it too.
_user_parts: dict[str, list[str]] = {}
# The process that loaded the model (a forked web worker is another).
_loaded_in = 0
# Set by this process's first analysis; words learned after it become late words.
_analysed = False
_late_pattern: re.Pattern | None = None
_late_words: set[str] = set()


def threads() -> int:
    """Return the analyzer's thread count: ``SINMUN_ANALYZER_THREADS`` or every core.

    ``sinmun serve`` sets 1: the model is loaded before the web server forks, and a thread pool does
    not survive ``fork()``; web workers only analyse queries and single articles anyway.
    """
    value = os.environ.get("SINMUN_ANALYZER_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else (os.cpu_count() or 1)


def analyzer():
    """Return the process's one ``Kiwi`` (loading it on first use)."""
    global _kiwi, _loaded_in
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi(num_workers=threads())
                _loaded_in = os.getpid()
    return _kiwi


def add_user_words(words: Iterable[str]) -> int:
    """Teach the analyzer proper nouns (names, sections, keywords) so they stay whole.

    Return how many were new. Words with spaces are added part by part; one-syllable words
    are skipped (they would split other words). Before the process's first analysis they go
    into the model; after it, they are late words (see the module's docstring).
    """
    global _late_pattern
    kiwi = analyzer()
    with _lock:
        new = sorted({p for w in words for p in normalize(w).split() if len(p) >= 2} - _user_words)
        if not new:
            return 0
        for word in new:
            # One text at a time: a batch goes through kiwipiepy's thread pool, which a forked
            # web worker does not have.
            tokens = kiwi.tokenize(word)
            parts = [t.form.lower() for t in tokens if _tag(t) in NOUN_TAGS]
            if len(parts) > 1:
                _user_parts[word.lower()] = parts
        added = 0
        for word in new:
            _user_words.add(word)
            if _analysed:
                _late_words.add(word)
                added += 1
            elif kiwi.add_user_word(word, "NNP", 0):
                added += 1
        if _late_words:
            # Longest first, so that 한바다해운 wins over 한바다; only where a written word starts.
            alternatives = "|".join(
                re.escape(w) for w in sorted(_late_words, key=len, reverse=True)
            )
            _late_pattern = re.compile(rf"(?<!\w)(?:{alternatives})")
    return added


def _late_spans(text: str) -> list[tuple[int, int, str]]:
    pattern = _late_pattern
    if pattern is None:
        return []
    return [(m.start(), m.end(), "NNP") for m in pattern.finditer(text)]


def _tokenize(text):
    """kiwipiepy's ``tokenize`` for a text or a list of texts, with late words held whole."""
    global _analysed
    kiwi = analyzer()
    _analysed = True
    options = {} if _late_pattern is None else {"pretokenized": _late_spans}
    if not isinstance(text, str) and os.getpid() != _loaded_in:
        # A batch goes through kiwipiepy's thread pool, which does not survive fork().
        return [kiwi.tokenize(one, **options) for one in text]
    return kiwi.tokenize(text, **options)


def normalize(text: str) -> str:
    """Return ``text`` NFKC-normalised (full-width Latin, compatibility jamo, ℃ …)."""
    return unicodedata.normalize("NFKC", text)


def _tag(token) -> str:
    return token.tag.split("-", 1)[0]


def _is_noun(token) -> bool:
    return _tag(token) in NOUN_TAGS


def core(tokens: list) -> list:
    """Return a written word's tokens without the punctuation around it and its particles."""
    start, end = 0, len(tokens)
    while start < end and _tag(tokens[start]) in PUNCTUATION_TAGS:
        start += 1
    while end > start and (
        _tag(tokens[end - 1]) in PUNCTUATION_TAGS or _tag(tokens[end - 1]).startswith("J")
    ):
        end -= 1
    return tokens[start:end]


def surface(core: list, text: str) -> str:
    """Return a written word's core as written (lower case)."""
    return text[core[0].start : core[-1].start + core[-1].len].lower()


def guessed(core: list) -> bool:
    """Return whether the analyzer guessed at an unknown word (a name, mostly).

    In Korean an ending follows only a stem, a copula (even elided: 가수다 → 가수 이 다), a
    verb-making suffix or another ending, and an interjection, adverb or pronoun is not glued
    to the noun after it; kiwipiepy reads unknown foreign names that way (라히리 → 라 + 히 +
    리 with two endings, 아누 → 아 + 누, 벨리니 → 벨 + 리니 or 벨리 + 니).
    """
    for before, token in itertools.pairwise(core):
        tag = _tag(token)
        if (
            tag.startswith("E")
            and not _tag(before).startswith(ENDING_FOLLOWS)
            and _tag(before) not in PUNCTUATION_TAGS  # 있다”며: the quote closes a sentence
        ):
            return True
        if _tag(before) in GUESS_BEFORE_NOUN and tag in NOUN_TAGS:
            return True
    return False


def plain_nouns(core: list) -> bool:
    """Return whether a written word reads as nouns only (what a name typed alone should be)."""
    return all(_tag(t) in NOUN_TAGS or _tag(t) in GLUE_TAGS for t in core)


def reads_as_verb(core: list) -> bool:
    """Return whether a written word reads as one verb or adjective and its endings (만났다,
    새로운), not as a stem glued to a noun or another stem (해담은 → 하 + 어 + 담 + 은: a
    name guessed at)."""
    tags = [_tag(t) for t in core]
    return (
        tags[0] in STEM_TAGS
        and sum(tag in STEM_TAGS for tag in tags) == 1
        and not any(tag in NOUN_TAGS for tag in tags)
    )


def written_words(tokens, text: str) -> Iterator[list]:
    """Yield the tokens of each written (space-separated) word of ``text``, in order."""
    ends = [m.end() for m in _WORD.finditer(text)]
    at, word = 0, []
    for token in tokens:
        while at < len(ends) - 1 and token.start >= ends[at]:
            if word:
                yield word
                word = []
            at += 1
        word.append(token)
    if word:
        yield word


def _name_terms(tokens, text: str) -> list[str]:
    """Return the extra index terms that keep names whole, in parts and as written.

    - A name the analyzer returns with a space inside (젠슨 황) is indexed as its parts (by
      ``index_text``) and written together (젠슨황).
    - Two nouns written as two words side by side, one of them a proper noun (사티아 나델라,
      포트 말리온), are indexed written together too (사티아나델라), as readers type them.
    - A word the analyzer guessed at (see ``guessed``) is indexed as written, without its
      particle: the pieces it was read as are not what a reader types.
    """
    out: list[str] = []
    before = None  # the previous written word's only token, when it is a bare noun
    for word in written_words(tokens, text):
        kept = core(word)
        if not kept:
            before = None
            continue
        bare = len(kept) == 1 and _tag(kept[0]) in NAME_TAGS
        if bare and " " in kept[0].form:
            out.append(kept[0].form.replace(" ", "").lower())
        if (
            bare
            and before is not None
            and kept[0].start == before.start + before.len + 1
            and "NNP" in (_tag(before), _tag(kept[0]))
        ):
            out.append((before.form + kept[0].form).replace(" ", "").lower())
        if not bare and guessed(kept):
            out.append(surface(kept, text))
        # A word with a particle ends the name (나델라의 마이크로소프트 is not one name).
        before = kept[0] if bare and kept[-1] is word[-1] else None
    return out


def _terms_of_tokens(tokens, text: str = "", *, compounds: bool = True) -> list[str]:
    """Return kept morphemes in reading order, then (optionally) the compounds and names.

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
    if not compounds:
        return out
    return out + wholes + _name_terms(tokens, text)


def tokens(text: str) -> list:
    """Return kiwipiepy's tokens of ``text`` (already normalised), offsets into ``text``."""
    return _tokenize(text) if text.strip() else []


def terms_of(tokens, text: str) -> list[str]:
    """Return the search terms (no compounds) of some of the tokens of ``text``: the query
    parser analyses a whole query once and reads each typed word's terms from it."""
    return _terms_of_tokens(tokens, text, compounds=False)


def terms(text: str, *, compounds: bool = True) -> list[str]:
    """Return the search terms of ``text`` in reading order (compounds last)."""
    text = normalize(text)
    if not text.strip():
        return []
    return _terms_of_tokens(_tokenize(text), text, compounds=compounds)


def terms_many(texts: Iterable[str]) -> Iterator[list[str]]:
    """Yield the terms of each text; kiwipiepy analyses the batch on all cores."""
    normalized = [normalize(t) for t in texts]
    for text, tokens in zip(normalized, _tokenize(normalized), strict=True):
        yield _terms_of_tokens(tokens, text)
