"""How well Korean search finds what readers want: a judged query set, Sinmun and two baselines.

``fixtures/judged_queries.json`` holds queries over the demo newsroom (``sinmun demo``), each
with the articles a reader typing it wants, judged by reading the articles (never by running
the search): two-syllable nouns, nouns with particles, invented proper nouns, Latin and mixed
script, quoted phrases, verb stems in another inflection than the text, -exclusions, compounds
written together or apart, reporter names, section names and long sentence-like queries.
Hand-written because no public Korean test collection covers an invented newsroom, and because
what matters here is exactly what generic collections skip: particles and endings glued to
words, short words, names the analyzer has never seen.

Three systems run over the same published articles of the database in use:

- ``sinmun``: ``selectors.search_articles`` — what the reader's search page shows.
- ``fts5-trigram``: SQLite FTS5 with the trigram tokenizer over the raw headline and
  부제 + body text, the usual "Korean without an analyzer" answer. It always runs in an
  in-memory database of the stdlib ``sqlite3`` module filled from the same rows, so it is the
  same baseline on PostgreSQL. The query is one quoted FTS5 string (trigrams cannot match
  anything shorter than three characters — 추경, VR, 5G find nothing); ranked by bm25 with
  Sinmun's headline weight, so only the tokenizing differs.
- ``like``: articles whose headline or body text contains the query (``icontains``), newest
  first — what a site without a search engine does.

The baselines get the query as typed, except that phrase quotes are dropped (``"별빛 세탁소"``
becomes ``별빛 세탁소``, which is a phrase search for them anyway); they know nothing of
-exclusions, bylines, keywords or sections, and that is part of what is measured.

Metrics, over the top ``K`` = 10 results: recall@10 (the fraction of a query's relevant
articles found, averaged over queries; every judged set has at most 10 articles, so 1.0 is
reachable) and MRR (1 / the rank of the first relevant result, 0 when none is in the top 10).
"""

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from sinmun.newsroom.models import Article

from . import selectors
from .backends import BODY_WEIGHT, HEADLINE_WEIGHT

K = 10
JUDGED_QUERIES = Path(__file__).parent / "fixtures" / "judged_queries.json"
KINDS = (
    "two-syllable", "particle", "proper-noun", "latin", "phrase", "stem", "multi-word",
    "exclusion", "compound", "reporter", "section", "typo-free-long",
)  # fmt: skip
SYSTEMS = ("sinmun", "fts5-trigram", "like")


@dataclass(frozen=True)
class JudgedQuery:
    query: str
    kind: str
    relevant: tuple[str, ...]
    note: str = ""


def load_judged(path: Path = JUDGED_QUERIES) -> list[JudgedQuery]:
    """Return the judged queries; raise ValueError on a malformed entry."""
    queries = []
    for n, entry in enumerate(json.loads(Path(path).read_text(encoding="utf-8"))):
        query, kind, relevant = entry.get("query"), entry.get("kind"), entry.get("relevant")
        if not isinstance(query, str) or not query.strip():
            raise ValueError(f"query {n}: empty query")
        if kind not in KINDS:
            raise ValueError(f"query {n} ({query}): unknown kind {kind!r}")
        if not relevant or len(relevant) > K or len(set(relevant)) != len(relevant):
            raise ValueError(f"query {n} ({query}): needs 1–{K} distinct relevant uris")
        queries.append(JudgedQuery(query, kind, tuple(relevant), entry.get("note", "")))
    return queries


def _published():
    return Article.objects.filter(
        status=Article.Status.PUBLISHED, first_published_at__lte=timezone.now()
    )


def _baseline_text(query: str) -> str:
    return " ".join(query.replace('"', " ").split())


def sinmun_search(query: str) -> list[str]:
    """Return the uris of Sinmun's first K results, best first."""
    return [r.article.uri for r in selectors.search_articles(text=query).results[:K]]


def like_search(query: str) -> list[str]:
    """Return the uris of the newest K articles whose headline or body contains the query."""
    text = _baseline_text(query)
    if not text:
        return []
    matches = _published().filter(Q(headline__icontains=text) | Q(body_text__icontains=text))
    return list(matches.order_by("-first_published_at", "-id").values_list("uri", flat=True)[:K])


class TrigramBaseline:
    """SQLite FTS5 (trigram tokenizer) over the raw text of the published articles."""

    def __init__(self, rows: list[tuple[str, str, list[str], str]]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(uri UNINDEXED, headline, body,"
            " tokenize='trigram')"
        )
        self.db.executemany(
            "INSERT INTO docs(uri, headline, body) VALUES (?, ?, ?)",
            [
                (uri, headline, "\n".join([*subheadlines, body_text]))
                for uri, headline, subheadlines, body_text in rows
            ],
        )

    def search(self, query: str) -> list[str]:
        text = _baseline_text(query)
        if not text:
            return []
        try:
            rows = self.db.execute(
                "SELECT uri FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, ?, ?) LIMIT ?",
                ['"' + text.replace('"', '""') + '"', HEADLINE_WEIGHT, BODY_WEIGHT, K],
            ).fetchall()
        except sqlite3.Error:
            return []  # a query FTS5 rejects finds nothing
        return [uri for (uri,) in rows]

    def close(self) -> None:
        self.db.close()


def score(returned: list[str], relevant: tuple[str, ...]) -> tuple[float, float, int | None]:
    """Return (recall@K, reciprocal rank, rank of the first relevant result or None)."""
    top = returned[:K]
    wanted = set(relevant)
    found = sum(1 for uri in top if uri in wanted)
    first = next((rank for rank, uri in enumerate(top, start=1) if uri in wanted), None)
    return found / len(wanted), (1 / first if first else 0.0), first


def _summary(details: list[dict]) -> dict:
    n = len(details)
    return {
        "recall": sum(d["recall"] for d in details) / n if n else 0.0,
        "mrr": sum(d["rr"] for d in details) / n if n else 0.0,
        "queries": n,
    }


def evaluate(queries: list[JudgedQuery] | None = None) -> dict:
    """Run every judged query on Sinmun and both baselines; return metrics and details.

    ``{"k", "articles", "missing", "systems": {name: {"recall", "mrr", "queries", "by_kind",
    "details": [{"query", "kind", "relevant", "returned", "found", "missed", "recall", "rr",
    "first_rank"}]}}}`` — ``missing`` lists judged uris that are not published in this
    database (the demo is not loaded, or an editor withdrew an article).
    """
    queries = load_judged() if queries is None else queries
    rows = list(_published().values_list("uri", "headline", "subheadlines", "body_text"))
    present = {row[0] for row in rows}
    trigram = TrigramBaseline(rows)
    systems: dict[str, Callable[[str], list[str]]] = {
        "sinmun": sinmun_search,
        "fts5-trigram": trigram.search,
        "like": like_search,
    }
    results: dict = {
        "k": K,
        "articles": len(rows),
        "missing": sorted({uri for q in queries for uri in q.relevant} - present),
        "systems": {},
    }
    try:
        for name, run in systems.items():
            details = []
            for q in queries:
                returned = run(q.query)
                recall, rr, first = score(returned, q.relevant)
                details.append(
                    {
                        "query": q.query,
                        "kind": q.kind,
                        "relevant": list(q.relevant),
                        "returned": returned,
                        "found": [uri for uri in returned if uri in q.relevant],
                        "missed": [uri for uri in q.relevant if uri not in returned],
                        "recall": recall,
                        "rr": rr,
                        "first_rank": first,
                    }
                )
            by_kind = {
                kind: _summary([d for d in details if d["kind"] == kind])
                for kind in KINDS
                if any(d["kind"] == kind for d in details)
            }
            results["systems"][name] = {**_summary(details), "by_kind": by_kind, "details": details}
    finally:
        trigram.close()
    return results


def _short(uri: str) -> str:
    return uri.rsplit(":", 1)[-1]


def format_table(results: dict, *, worst: int = 10) -> str:
    """Return the results as markdown: totals, recall@10 by kind, and Sinmun's worst queries."""
    systems = results["systems"]
    k = results["k"]
    lines = [
        f"Judged queries over {results['articles']} published articles (top {k}).",
        "",
        f"| system | recall@{k} | MRR | queries |",
        "|---|---:|---:|---:|",
    ]
    for name, s in systems.items():
        lines.append(f"| {name} | {s['recall']:.3f} | {s['mrr']:.3f} | {s['queries']} |")
    lines += ["", f"recall@{k} by kind:", ""]
    names = list(systems)
    lines.append("| kind | queries | " + " | ".join(names) + " |")
    lines.append("|---|---:|" + "---:|" * len(names))
    kinds = [kind for kind in KINDS if kind in systems[names[0]]["by_kind"]]
    for kind in kinds:
        cells = [f"{systems[n]['by_kind'][kind]['recall']:.2f}" for n in names]
        count = systems[names[0]]["by_kind"][kind]["queries"]
        lines.append(f"| {kind} | {count} | " + " | ".join(cells) + " |")
    if "sinmun" in systems:
        weak = sorted(
            (d for d in systems["sinmun"]["details"] if d["recall"] < 1 or d["rr"] < 1),
            key=lambda d: (d["recall"], d["rr"]),
        )[:worst]
        lines += ["", "Sinmun's worst queries:", ""]
        if not weak:
            lines.append("(none: every relevant article found, the first one ranked first)")
        else:
            lines.append(f"| query | kind | recall@{k} | first relevant at | missed |")
            lines.append("|---|---|---:|---:|---|")
            for d in weak:
                missed = ", ".join(_short(u) for u in d["missed"]) or "–"
                first = d["first_rank"] or "–"
                lines.append(
                    f"| {d['query']} | {d['kind']} | {d['recall']:.2f} | {first} | {missed} |"
                )
    if results["missing"]:
        lines += [
            "",
            f"Not published here ({len(results['missing'])} judged articles): "
            + ", ".join(_short(u) for u in results["missing"][:20]),
        ]
    return "\n".join(lines)
