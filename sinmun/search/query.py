"""Parse what a reader types into the search box.

Supported: words (all must match, particles and endings ignored), "quoted phrases" (the words
in that order), and -exclusions (-word or -"phrase"). Anything else — FTS operators, brackets,
stars, control characters, a 10 KB paste — is just text: it goes through the analyzer, and only
the analyzer's morphemes ever reach the database, as bound parameters.
"""

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from sinmun.korean import analyzer

from .dictionary import ensure_user_dictionary
from .query_terms import pieces, word_terms

MAX_QUERY_CHARS = 200
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
# Control characters, and lone surrogates (no URL or form can carry one, but a caller of
# ``parse`` can, and the analyzer cannot read them: kiwipiepy raises UnicodeDecodeError).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass
class ParsedQuery:
    text: str = ""
    words: list[list[str]] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)
    # Typed words that match when any one of their readings does (each all of its terms).
    either: list[list[list[str]]] = field(default_factory=list)
    # Those words as typed, when that is one term: documents holding them rank first where the
    # ranking cannot tell a rare term from a common one (PostgreSQL's ts_rank_cd).
    as_typed: list[str] = field(default_factory=list)
    highlight: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when nothing positive is left to search for (empty, only particles, only -)."""
        return not self.words and not self.phrases and not self.either


def typed_length(raw: str) -> int:
    """Return how many characters ``raw`` has once normalised as ``clean`` does, before the cut."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", raw or ""))
    return len(" ".join(text.split()))


def clean(raw: str) -> str:
    """Return the query NFKC-normalised, without control characters, at most 200 characters."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def _tokens(morphemes: list[str]) -> list[str]:
    """Return the tokens of a quoted phrase or an excluded word: a lone number whole
    (3.5 → 3p5), several morphemes as their pieces in order (the index keeps those adjacent)."""
    if len(morphemes) == 1:
        return word_terms(morphemes[0])
    return [p for term in morphemes for p in pieces(term)]


def _in_context(text: str, matches: list[re.Match]) -> str:
    """Return ``text`` with the parser's syntax (quotes, the minus of an exclusion) blanked out,
    so that the analyzer reads the query as the running text it was typed from; offsets keep."""
    chars = list(text)
    for match in matches:
        for group in (1, 3):
            if match.group(group):
                chars[match.start(group)] = " "
        if match.group(2) is not None:
            chars[match.start(2) - 1] = " "
            if match.end(2) < match.end():
                chars[match.end(2)] = " "
    return "".join(chars)


# Particles a reader may put on a name the analyzer does not know (나델라는 → 나델라).
PARTICLES = (
    "에서", "에게", "으로", "까지", "부터", "처럼", "보다", "이나",
    "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "만",
)  # fmt: skip


def _as_written(core: list, text: str) -> list[list[str]]:
    """Return the word as typed (and without a particle) as search alternatives.

    Where kiwipiepy reads a word alone otherwise than in running text (나델라 → 나 + 델 +
    ㄹ라, 쿡 → an adverb), the index holds the name as the text's analysis gave it (나델라,
    쿡) or, where the text's reading was itself a guess, as written (sinmun.korean.analyzer's
    ``guessed``); the written form finds either.
    """
    written = analyzer.surface(core, text)
    forms = [written]
    for particle in PARTICLES:
        if written.endswith(particle) and len(written) - len(particle) >= 1:
            forms.append(written[: -len(particle)])
            break
    return [terms for form in forms if (terms := pieces(form)) and len(terms) == 1]


def parse(raw: str) -> ParsedQuery:
    """Return the parsed query; never raises on any input.

    The whole query is analysed once, as running text, and each typed word or phrase takes
    the terms of its own span: a word reads as it reads in an article (사티아 나델라 →
    사티아, 나델라; typed alone, 나델라 is 나 + 델 + ㄹ라).
    """
    ensure_user_dictionary()
    text = clean(raw)
    query = ParsedQuery(text=text)
    matches = list(_TOKEN.finditer(text))
    spans: list[list] = [[] for _ in matches]
    starts = [match.start() for match in matches]
    for token in analyzer.tokens(_in_context(text, matches)):
        spans[bisect.bisect_right(starts, token.start) - 1].append(token)
    for match, tokens in zip(matches, spans, strict=True):
        negated_phrase, phrase, negated_word, word = match.groups()
        morphemes = analyzer.terms_of(tokens, text)
        if phrase is not None:
            terms = _tokens(morphemes)
            if not terms:
                continue
            if negated_phrase:
                query.excluded.append(terms)
            elif len(terms) == 1:
                query.words.append(terms)
            else:
                query.phrases.append(terms)
            if not negated_phrase:
                query.highlight.extend(phrase.split())
            continue
        core = analyzer.core(tokens)
        # A word read as one noun reads so in text too; a word read in pieces may be one name
        # there (글램핑 alone: 글램 + 핑; in text: 글램핑). A verb or adjective typed alone reads
        # as in text (만났다 → 만나).
        unsure = (
            core
            and (len(core) > 1 or not analyzer.plain_nouns(core))
            and not analyzer.reads_as_verb(core)
        )
        written = _as_written(core, text) if unsure else []
        typed = pieces(word.lower())
        if not unsure and len(core) == 1 and [analyzer.surface(core, text)] == typed:
            # A name may swallow the particle typed on it (마태인의 read as one noun); the
            # word without it is tried too.
            written = _as_written(core, text)[1:]
        terms = _tokens(morphemes)
        if not terms and not written:
            continue
        if negated_word:
            # -나델라 excludes the articles that say 나델라 (as written), not only those the
            # lone reading (델) matches; a sure reading stays alone (-경기도 must not exclude 경기).
            for form in ([terms] if terms else []) + (written if unsure else []):
                if form not in query.excluded:
                    query.excluded.append(form)
            continue
        # A morpheme the databases split (R&D → r, d) must keep its pieces together; a number
        # is searched whole (3.5 → 3p5, see query_terms.number_token).
        single = []
        for term in morphemes:
            split = word_terms(term)
            if len(split) > 1:
                query.phrases.append(split)
            elif split:
                single.extend(split)
        alternatives = [single] if single else []
        if single and not analyzer.reads_as_verb(core):
            # The word as written without the particles split off it, where the reading
            # changed it (조지안의 → 조지아 + ㄴ + 의: 조지안).
            written.append(pieces(analyzer.surface(core, text)))
            # A name may end in what reads as a particle (경기도: 경기 + 도 "also", 대학로:
            # 대학 + 로 "to") where the text read it whole.
            written.append(typed)
        for form in written:
            # One term each (R&D stays r + d), and never a number written with its counter
            # (35명): numbers match whole only.
            if (
                len(form) == 1
                and form not in alternatives
                and not any(c.isdigit() for c in form[0])
            ):
                alternatives.append(form)
        if len(alternatives) == 1:
            query.words.append(alternatives[0])
        elif alternatives:
            query.either.append(alternatives)
            if len(typed) == 1:
                query.as_typed.append(typed[0])
        if unsure:
            # A guessed reading's pieces (델 of 나델라) would mark unrelated words in snippets.
            query.highlight.extend(t for form in written for t in form)
        else:
            query.highlight.extend(morphemes)
        query.highlight.append(word)
    return query
