"""Do readers find an article by the names in it, however they type them? A corpus-wide check.

News search is mostly a search for people, companies and places, and the judged query set
(``evaluation``) holds only a few hand-picked names. This check takes every proper noun and
multi-word name the analyzer finds in each published article and types it the ways a reader
does — as written, without the space (사티아나델라), with a particle on it (나델라의,
나델라는, 나델라에서) and, for a name of several words, its last word alone (the surname of
a foreign name written in Hangul: 나델라) — and asks whether the article is in the top 10.

A name written in more than ``K`` articles cannot put every one of them in a top 10, so such
names (and such surnames) are counted as skipped, not as misses. Names are what the analyzer
tags NNP, so the check measures the analyzer's own reading of the text against what a reader
gets by typing it: "every term the index holds for a passage is what a reader gets when typing
that passage".
"""

from dataclasses import dataclass

from sinmun.korean import analyzer
from sinmun.korean.particles import ends_in_consonant

from . import evaluation, indexing
from .dictionary import ensure_user_dictionary

K = evaluation.K
# Multi-word names longer than this are more likely two names side by side (a person and a
# company) than one name; they are still checked word pair by word pair.
MAX_NAME_WORDS = 3
VARIANTS = ("as-written", "no-space", "particle-topic", "particle-of", "particle-at", "surname")


@dataclass(frozen=True)
class Name:
    parts: tuple[str, ...]

    @property
    def written(self) -> str:
        return " ".join(self.parts)


def _names_in(text: str) -> set[Name]:
    """Return the proper nouns of ``text`` and the runs of them written as one name.

    A run is two or more NNP tokens separated by exactly one space (사티아 나델라, 젠슨 황 as
    the analyzer's one token with a space inside); names inside a written word (한누리전자's
    한누리) count alone.
    """
    text = analyzer.normalize(text)
    names: set[Name] = set()
    run: list[str] = []
    end = None

    def close() -> None:
        parts = tuple(p for word in run for p in word.split())
        if len(parts) > 1:
            for size in range(2, min(len(parts), MAX_NAME_WORDS) + 1):
                for at in range(len(parts) - size + 1):
                    names.add(Name(parts[at : at + size]))
        run.clear()

    for token in analyzer.analyzer().tokenize(text):
        surface = text[token.start : token.start + token.len]
        if token.tag != "NNP":
            close()
            end = None
            continue
        joined_to_word = token.start > 0 and not text[token.start - 1].isspace()
        ends_word = token.start + token.len >= len(text) or text[token.start + token.len] in (
            " \n\t"
        )
        if len(surface.replace(" ", "")) >= 2:
            names.add(Name(tuple(surface.split())))
        # Only whole written words make up a multi-word name (not 한누리 of 한누리전자).
        whole_word = not joined_to_word and ends_word
        if run and (end is None or text[end : token.start] != " " or not whole_word):
            close()
        if whole_word:
            run.append(surface)
            end = token.start + token.len
        else:
            end = None
    close()
    return names


def _topic(word: str) -> str:
    return "은" if ends_in_consonant(word) else "는"


def typings(name: Name) -> list[tuple[str, str]]:
    """Return (variant, query) pairs: how a reader types ``name``."""
    written = name.written
    out = [("as-written", written)]
    if len(name.parts) == 2:
        # Three proper nouns in a row are mostly a person and their company (마르코 벨리니
        # 브라이트웨이브): nobody types those glued together.
        out.append(("no-space", "".join(name.parts)))
    out += [
        ("particle-topic", written + _topic(written)),
        ("particle-of", written + "의"),
        ("particle-at", written + "에서"),
    ]
    if len(name.parts) > 1:
        out.append(("surname", name.parts[-1]))
    return out


def evaluate() -> dict:
    """Type every name of every published article as a reader would; return recall and misses.

    ``{"articles", "names", "checks", "found", "recall", "skipped", "by_variant": {variant:
    {"checks", "found"}}, "misses": [{"query", "variant", "uri"}]}``.
    """
    ensure_user_dictionary()
    articles = list(
        evaluation._published()
        .order_by("id")
        .select_related("section", "series")
        .prefetch_related("keywords", "bylines__reporter")
    )
    # Each field as the indexer analyses it (a word reads differently at the end of a headline
    # than inside a paragraph): headline, 부제, keyword field, body.
    fields = {a.uri: indexing._fields(a) for a in articles}
    # An article holds a name when any of its indexed text does, spaces aside (a name written
    # together elsewhere is still the same name); the keyword field holds the user dictionary.
    squeezed = {uri: "\n".join(texts).replace(" ", "") for uri, texts in fields.items()}
    wanted: dict[str, set[str]] = {}
    variant_of: dict[str, str] = {}
    names = set()
    for uri, (headline, subheadlines, _keywords, body) in fields.items():
        # Names the article writes; the keyword field's names are the newsroom's own.
        found_names = {name for text in (headline, subheadlines, body) for name in _names_in(text)}
        for name in sorted(found_names, key=lambda n: n.parts):
            names.add(name)
            for variant, query in typings(name):
                wanted.setdefault(query, set()).add(uri)
                variant_of.setdefault(query, variant)
    checks = found = skipped = 0
    by_variant = {v: {"checks": 0, "found": 0} for v in VARIANTS}
    misses = []
    for query, uris in sorted(wanted.items()):
        variant = variant_of[query]
        needle = (query if variant == "surname" else _base(query, variant)).replace(" ", "")
        holders = [uri for uri, text in squeezed.items() if needle in text]
        if len(holders) > K:
            skipped += len(uris)
            continue
        top = evaluation.sinmun_search(query)
        for uri in sorted(uris):
            checks += 1
            by_variant[variant]["checks"] += 1
            if uri in top:
                found += 1
                by_variant[variant]["found"] += 1
            else:
                misses.append({"query": query, "variant": variant, "uri": uri})
    return {
        "articles": len(articles),
        "names": len(names),
        "checks": checks,
        "found": found,
        "recall": found / checks if checks else 0.0,
        "skipped": skipped,
        "by_variant": by_variant,
        "misses": misses,
    }


def _base(query: str, variant: str) -> str:
    """Return the name inside a typed query (without the particle a variant added)."""
    for particle in ("에서", "의", "은", "는"):
        if variant.startswith("particle") and query.endswith(particle):
            return query[: -len(particle)]
    return query


def format_table(results: dict, *, misses: int = 20) -> str:
    """Return the name check as markdown: overall recall, by way of typing, first misses."""
    lines = [
        f"Names typed as readers type them: {results['names']} names in "
        f"{results['articles']} articles, {results['checks']} checks "
        f"({results['skipped']} skipped: the name is in more than {K} articles).",
        "",
        f"| typed | checks | recall@{K} |",
        "|---|---:|---:|",
        f"| all | {results['checks']} | {results['recall']:.3f} |",
    ]
    for variant, counts in results["by_variant"].items():
        if counts["checks"]:
            share = counts["found"] / counts["checks"]
            lines.append(f"| {variant} | {counts['checks']} | {share:.3f} |")
    if results["misses"]:
        lines += ["", f"Missed (first {misses} of {len(results['misses'])}):", ""]
        for miss in results["misses"][:misses]:
            lines.append(f"- `{miss['query']}` ({miss['variant']}) → {miss['uri']}")
    return "\n".join(lines)
