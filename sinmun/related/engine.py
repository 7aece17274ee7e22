# ruff: noqa: S608 - SQL is assembled from the table name and constant fragments; input is bound.
"""Compute and store an article's related list (the worker runs this; pages only read).

For an article X with a signature (``terms.signature``: its 20 most distinctive morphemes):

1. Candidates: for each of X's terms, the articles whose own signature holds it most heavily
   (``PER_TERM`` rows through the index on term and weight), scored by the dot product of the
   two signatures. A term is in a signature only where it is telling, so the rows read per
   term stay few at any archive size, on SQLite and PostgreSQL alike.
2. Only released articles (never X itself, a draft or a withdrawn article). An embargoed or
   scheduled one is listed with the rest, and the pages leave it out until its 입력 time
   (``selectors``), so it appears in every box the moment its embargo ends, with no job.
3. Score: likeness, plus a little for the same series and the same section, times a recency
   decay on the time between the two articles (a story's follow-ups come days apart; a
   look-alike from two years back is less likely what the reader wants next).
4. Near-duplicates (the same story re-filed or updated as a new article) collapse to the
   newest one; a copy of X itself is dropped.
5. Above ``THRESHOLD`` only, at most ``MAX_LIST``; the desk's pins first, removals out.

Written here rather than taken from a library: the parts are small, and the point is to read
the search index's existing morphemes and a bounded number of rows per article.

The reads and writes of a refresh are plain SQL (``sql``, and ``_insert`` for many rows), not the
ORM: building its queries cost more than running most of them (docs/decisions/0022).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from sinmun.newsroom.models import Article

from . import sql, terms, vocabulary
from .models import ListState, Override, RelatedLink, Signature

PER_TERM = 200
# Candidates kept after the likeness pass, before the visibility and metadata lookup.
POOL = 300
# Candidates compared pairwise for near-duplicates.
DEDUP_POOL = 60
# Copies: signatures this alike, and headlines sharing this share of their terms (a story's
# follow-ups share most of their words too, but each has a headline of its own).
DUPLICATE_COSINE = 0.8
DUPLICATE_HEADLINE = 0.6
SERIES_BONUS = 0.04
SECTION_BONUS = 0.03
HALF_LIFE_DAYS = 30.0
DECAY_FLOOR = 0.5
THRESHOLD = 0.12
MAX_LIST = 100
# A candidate less alike than this cannot reach THRESHOLD whatever its series, section and
# date (the bonuses are added, the decay is at most 1): it is not even looked up.
MIN_LIKENESS = THRESHOLD - SERIES_BONUS - SECTION_BONUS
# How many of a changed article's best matches have it placed in their own lists.
AFFECTED = 20


@dataclass
class Scored:
    article_id: int
    score: float
    published: datetime


def decay(days_apart: float) -> float:
    """Return the recency factor for two articles ``days_apart`` days apart."""
    return DECAY_FLOOR + (1 - DECAY_FLOOR) * 0.5 ** (abs(days_apart) / HALF_LIFE_DAYS)


def sign(article_id: int) -> dict[str, float] | None:
    """Compute and store the article's signature from its index row; None without one."""
    fields = vocabulary.documents([article_id]).get(article_id)
    if fields is None:
        Signature.objects.filter(article_id=article_id).delete()
        return None
    sample = vocabulary.ensure()
    counts = terms.term_counts(fields, vocabulary.keyword_names([article_id]).get(article_id, ()))
    wanted = terms.distinct_terms(counts)
    weights = terms.signature(counts, vocabulary.frequencies(wanted), max(sample, 1))
    stored = signature_of(article_id)
    # An update that changed none of the article's words (a correction of a caption, an
    # embargo's end) leaves the signature as it is: no write.
    if stored != weights:
        with transaction.atomic(savepoint=False):
            if stored:
                sql.execute("DELETE FROM {signature} WHERE {signature.article} = %s", [article_id])
            _insert(
                Signature,
                ("article", "term", "weight"),
                [(article_id, t, w) for t, w in weights.items()],
            )
    return weights


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (values of ``fields``, in order) into ``model``'s table, a few hundred a
    statement. Not ``bulk_create``: building a model instance and preparing each value of a
    row was a tenth of a refresh's time (profiled at 100k articles), for rows of plain ids and
    numbers that need no preparing."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    one = f"({', '.join(['%s'] * len(fields))})"
    per = 900 // len(fields)  # SQLite's default limit is 999 parameters a statement
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            batch = rows[start : start + per]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns})"
                f" VALUES {', '.join([one] * len(batch))}",
                [value for row in batch for value in row],
            )


def sign_many(article_ids: list[int], *, batch: int = 500) -> int:
    """Compute and store the signatures of many articles, a batch at a time (``sinmun
    related_rebuild``, the benchmark); return how many were signed."""
    sample = max(vocabulary.ensure(), 1)
    signed = 0
    for start in range(0, len(article_ids), batch):
        chunk = article_ids[start : start + batch]
        documents, names = vocabulary.documents(chunk), vocabulary.keyword_names(chunk)
        counts = {pk: terms.term_counts(documents[pk], names.get(pk, ())) for pk in documents}
        wanted = set().union(*(terms.distinct_terms(c) for c in counts.values()))
        frequencies = vocabulary.frequencies(wanted)
        rows = [
            Signature(article_id=pk, term=term, weight=weight)
            for pk, c in counts.items()
            for term, weight in terms.signature(c, frequencies, sample).items()
        ]
        with transaction.atomic():
            Signature.objects.filter(article_id__in=chunk).delete()
            Signature.objects.bulk_create(rows, batch_size=2000)
        signed += len(counts)
    return signed


def signature_of(article_id: int) -> dict[str, float]:
    return dict(
        sql.select(
            "SELECT {signature.term}, {signature.weight} FROM {signature}"
            " WHERE {signature.article} = %s",
            [article_id],
        )
    )


def _signatures(article_ids: list[int]) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = defaultdict(dict)
    if not article_ids:
        return out
    rows = sql.select(
        "SELECT {signature.article}, {signature.term}, {signature.weight} FROM {signature}"
        " WHERE {signature.article} IN ({ids})",
        list(article_ids),
        ids=sql.placeholders(article_ids),
    )
    for article_id, term, weight in rows:
        out[article_id][term] = weight
    return out


def likeness(article_id: int, weights: dict[str, float], *, limit: int = POOL) -> dict[int, float]:
    """Return up to ``limit`` candidate ids with the dot product of their signature and
    ``weights``, best first: one query, each term's heaviest ``PER_TERM`` rows."""
    if not weights:
        return {}
    table = connection.ops.quote_name(Signature._meta.db_table)
    parts, params = [], []
    for n, (term, weight) in enumerate(weights.items()):
        parts.append(
            f"SELECT article_id, weight * %s AS part FROM (SELECT article_id, weight FROM {table}"
            f" WHERE term = %s ORDER BY weight DESC LIMIT %s) AS t{n}"
        )
        params += [weight, term, PER_TERM]
    sql = (
        f"SELECT article_id, SUM(part) AS score FROM ({' UNION ALL '.join(parts)}) AS c"
        " WHERE article_id <> %s GROUP BY article_id HAVING SUM(part) >= %s"
        " ORDER BY score DESC, article_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, article_id, MIN_LIKENESS, limit])
        return dict(cursor.fetchall())


@dataclass
class Subject:
    """The article a computation is for: what the engine reads of it (one row, no model)."""

    pk: int
    status: str
    published: datetime | None
    section_id: int
    parent_id: int | None
    series_id: int | None

    @classmethod
    def of(cls, article: Article) -> "Subject":
        return cls(
            article.pk,
            article.status,
            article.first_published_at,
            article.section_id,
            article.section.parent_id,
            article.series_id,
        )


def _subject(article_id: int) -> Subject | None:
    rows = sql.select(
        "SELECT a.{article.id}, a.{article.status}, a.{article.first_published_at},"
        " a.{article.section}, s.{section.parent}, a.{article.series}"
        " FROM {article} a JOIN {section} s ON s.{section.id} = a.{article.section}"
        " WHERE a.{article.id} = %s",
        [article_id],
    )
    if not rows:
        return None
    pk, status, published, *rest = rows[0]
    return Subject(pk, status, sql.aware(published), *rest)


def scored(article: Article, *, now: datetime | None = None) -> list[Scored]:
    """Return the article's related candidates above the threshold, best first, duplicates
    collapsed (no pins or removals applied)."""
    return _scored(Subject.of(article), now=now)[0]


@dataclass
class Seen:
    """What one computation read about the articles it met, for the placements after it."""

    meta: dict[int, tuple]  # id -> (published, section, parent section, series)
    profiles: dict[int, "Profile"]


def _meta(article_ids: list[int]) -> dict[int, tuple]:
    # No ORDER BY (the model's newest-first) and no test of the 입력 time in SQL: with either,
    # SQLite read the ids through the index on status and 입력 time, walking every published
    # article (22 ms at 100k articles, growing with the archive) instead of the 300 asked for.
    if not article_ids:
        return {}
    rows = sql.select(
        "SELECT a.{article.id}, a.{article.first_published_at}, a.{article.section},"
        " s.{section.parent}, a.{article.series}"
        " FROM {article} a JOIN {section} s ON s.{section.id} = a.{article.section}"
        " WHERE a.{article.id} IN ({ids}) AND a.{article.status} = %s",
        [*article_ids, Article.Status.PUBLISHED.value],
        ids=sql.placeholders(article_ids),
    )
    return {
        pk: (sql.aware(published), *rest) for pk, published, *rest in rows if published is not None
    }


def _scored(
    article: Subject, *, now: datetime | None, weights: dict[str, float] | None = None
) -> tuple[list[Scored], list[Scored], Seen]:
    """Return ``scored``'s list, the visible copies of the article itself, and what was read."""
    now = now or timezone.now()
    weights = weights or signature_of(article.pk) or sign(article.pk) or {}
    here = (article.published or now, article.section_id, article.parent_id, article.series_id)
    seen = Seen({article.pk: here}, {})
    if not weights:
        return [], [], seen
    sims = likeness(article.pk, weights)
    seen.meta.update(_meta(list(sims)))
    out = []
    for pk, score in sims.items():
        there = seen.meta.get(pk)
        if there is None:
            continue
        score = _pair_score(here, there, score)
        if score >= THRESHOLD:
            out.append(Scored(pk, score, there[0]))
    out.sort(key=lambda s: (-s.score, -s.published.timestamp(), -s.article_id))
    kept, copies = collapse(article.pk, weights, out, seen.profiles)
    return kept, copies, seen


def _headlines(article_ids: list[int]) -> dict[int, set[str]]:
    if not article_ids:
        return {}
    rows = sql.select(
        "SELECT {document.article}, {document.headline} FROM {document}"
        " WHERE {document.article} IN ({ids})",
        list(article_ids),
        ids=sql.placeholders(article_ids),
    )
    return {pk: set(terms.field_terms(text)) for pk, text in rows}


@dataclass
class Profile:
    """An article as the collapse of copies compares it: its headline's terms, and its
    signature, read only once a headline alike enough asks for it (most pairs are not)."""

    article_id: int
    headline: set[str]
    signature: dict[str, float] | None = None


def _with_signatures(profiles: Iterable[Profile]) -> None:
    """Read the signatures the profiles lack, in one query."""
    wanted = [p for p in profiles if p.signature is None]
    if wanted:
        found = _signatures([p.article_id for p in wanted])
        for p in wanted:
            p.signature = found.get(p.article_id, {})


def _copies(a: Profile, b: Profile) -> bool:
    """Return whether two articles are one story filed twice."""
    # The headlines first: two small sets, compared in C; the signatures' cosine (a loop in
    # Python) only for the few pairs whose headlines are alike. Collapsing compares each of
    # ``DEDUP_POOL`` candidates with every one kept before it, and the cosine first was the
    # largest part of a refresh's time (profiled at 100k articles).
    shared, either = len(a.headline & b.headline), len(a.headline | b.headline)
    if not either or shared / either < DUPLICATE_HEADLINE:
        return False
    _with_signatures((a, b))
    return terms.cosine(a.signature, b.signature) >= DUPLICATE_COSINE


def _profiles(article_ids: list[int]) -> dict[int, Profile]:
    headlines = _headlines(article_ids)
    return {pk: Profile(pk, headlines.get(pk, set())) for pk in article_ids}


def collapse(
    article_id: int,
    weights: dict[str, float],
    ranked: list[Scored],
    profiles: dict[int, Profile] | None = None,
) -> tuple[list[Scored], list[Scored]]:
    """Keep one (the newest) of each set of copies; set the article's own copies apart.
    ``profiles``: filled with the profiles read (the caller's cache)."""
    head = ranked[:DEDUP_POOL]
    profiles = {} if profiles is None else profiles
    profiles.update(_profiles([article_id, *(s.article_id for s in head)]))
    own = profiles[article_id]
    own.signature = weights
    kept: list[Scored] = []
    copies: list[Scored] = []
    for item in head:
        mine = profiles[item.article_id]
        if _copies(own, mine):
            copies.append(item)
            continue
        twin = next(
            (n for n, k in enumerate(kept) if _copies(profiles[k.article_id], mine)),
            None,
        )
        if twin is None:
            kept.append(item)
        elif item.published > kept[twin].published:
            kept[twin] = Scored(item.article_id, kept[twin].score, item.published)
    return (kept + ranked[DEDUP_POOL:])[:MAX_LIST], copies


def store(article: Article | Subject, ranked: list[Scored], *, now: datetime | None = None) -> None:
    """Write the article's list: the desk's pins first (in the order pinned), then the
    computed ones without the removed; remember when. Only the rows that changed are written,
    and the version rises only if the list did."""
    overrides = sql.select(
        "SELECT {override.other}, {override.action} FROM {override}"
        " WHERE {override.article} = %s ORDER BY {override.at}, {override.id}",
        [article.pk],
    )
    pins = [other for other, action in overrides if action == Override.Action.PIN]
    removed = {other for other, action in overrides if action == Override.Action.REMOVE}
    rows = [(pk, 0.0, True) for pk in pins]
    skip = removed | set(pins) | {article.pk}
    rows += [(item.article_id, item.score, False) for item in ranked if item.article_id not in skip]
    with transaction.atomic(savepoint=False):
        changed = _write({article.pk: rows}, _stored([article.pk]))
        at = now or timezone.now()
        bump = ", {state.version} = {state.version} + 1" if changed else ""
        # The ORM's DateTimeField would adapt ``at`` the same way (UTC text on SQLite).
        value = connection.ops.adapt_datetimefield_value(at)
        if not sql.execute(
            "UPDATE {state} SET {state.computed_at} = %s" + bump + " WHERE {state.article} = %s",
            [value, article.pk],
        ):
            sql.execute(
                "INSERT INTO {state} ({state.article}, {state.computed_at}, {state.version})"
                " VALUES (%s, %s, 1)",
                [article.pk, value],
            )


def _stored(article_ids: list[int]) -> dict[int, list[tuple]]:
    """Return the stored lists of ``article_ids`` as (related, score, pinned) rows, in order."""
    links: dict[int, list[tuple]] = defaultdict(list)
    if not article_ids:
        return links
    rows = sql.select(
        "SELECT {link.article}, {link.related}, {link.score}, {link.pinned} FROM {link}"
        " WHERE {link.article} IN ({ids}) ORDER BY {link.article}, {link.rank}",
        list(article_ids),
        ids=sql.placeholders(article_ids),
    )
    for article_id, related, score, pinned in rows:
        # SQLite gives a boolean column as 0 or 1 to a plain cursor.
        links[article_id].append((related, score, bool(pinned)))
    return links


def _write(lists: dict[int, list[tuple]], stored: dict[int, list[tuple]]) -> list[int]:
    """Store each list of ``lists`` (article id -> its (related, score, pinned) rows) over
    ``stored``, rewriting only each list's rows from its first difference on (a list computed
    again as it was writes nothing; an article placed in a list rewrites the rows below it).
    Return the ids of the lists that changed. One delete and one insert for all of them."""
    tails = {}
    for article_id, rows in lists.items():
        old = stored.get(article_id, [])
        start = next(
            (n for n, (a, b) in enumerate(zip(old, rows, strict=False)) if a != b),
            min(len(old), len(rows)),
        )
        if start < len(old) or start < len(rows):
            tails[article_id] = (start, len(old) > start)
    if not tails:
        return []
    cut = [(pk, start) for pk, (start, had) in tails.items() if had]
    if cut:
        sql.execute(
            "DELETE FROM {link} WHERE "
            + " OR ".join(["({link.article} = %s AND {link.rank} >= %s)"] * len(cut)),
            [value for pair in cut for value in pair],
        )
    _insert(
        RelatedLink,
        ("article", "related", "rank", "score", "pinned"),
        [
            (pk, related, rank, score, pinned)
            for pk, (start, _) in tails.items()
            for rank, (related, score, pinned) in enumerate(lists[pk][start:], start)
        ],
    )
    return list(tails)


def touch_holding(article_id: int) -> None:
    """Give the lists that hold ``article_id`` a new version (its teaser or its visibility
    changed: the pages' kept boxes must be read again)."""
    holding = RelatedLink.objects.filter(related_id=article_id).values("article_id")
    ListState.objects.filter(article_id__in=holding).update(version=F("version") + 1)


def recompute(article_id: int, *, now: datetime | None = None) -> list[Scored]:
    """Compute and store one article's list (its signature as stored); return it."""
    article = _subject(article_id)
    if article is None:
        return []
    ranked = _scored(article, now=now)[0] if article.status == Article.Status.PUBLISHED else []
    store(article, ranked, now=now)
    return ranked


def reapply_overrides(article_id: int) -> None:
    """Re-store the article's list with its pins and removals, without similarity work."""
    article = _subject(article_id)
    if article is None:
        return
    ranked = [
        Scored(pk, score, timezone.now())
        for pk, score in RelatedLink.objects.filter(article_id=article.pk, pinned=False)
        .order_by("rank")
        .values_list("related_id", "score")
    ]
    store(article, ranked)


def _pair_score(a: tuple, b: tuple, sims: float) -> float:
    """Return the score of two articles given as (published, section, parent, series)."""
    score = sims
    if a[3] and a[3] == b[3]:
        score += SERIES_BONUS
    if (a[2] or a[1]) == (b[2] or b[1]):
        score += SECTION_BONUS
    return score * decay((a[0] - b[0]).total_seconds() / 86400)


def place(
    article_id: int, other_id: int, score: float | None, replaces: Iterable[int] = ()
) -> None:
    """Put ``other`` at its place in ``article``'s stored list (or take it out: None)."""
    place_many(other_id, {article_id: score}, replaces)


def _placed(
    links: list[tuple], other_id: int, score: float | None, gone: set[int], removed: bool
) -> list[tuple] | None:
    """Return a list's (related, score, pinned) rows with ``other`` placed, None if unchanged."""
    kept = [link for link in links if link[0] not in gone]
    if score is not None and score >= THRESHOLD and not removed:
        at = next((n for n, link in enumerate(kept) if not link[2] and link[1] < score), len(kept))
        kept.insert(at, (other_id, score, False))
    kept = kept[:MAX_LIST]
    if [link[0] for link in kept] == [link[0] for link in links]:
        return None
    return kept


def place_many(
    other_id: int, scores: dict[int, float | None], replaces: Iterable[int] = ()
) -> None:
    """Put ``other`` at its place in each of the stored lists ``scores`` names (or take it out
    of those whose score is None), without recomputing them: the cheap update of the lists a
    publish affects. ``replaces``: older copies of ``other``, which leave the lists it enters.

    Two reads and at most three writes whatever the number of lists (the refresh after a
    publish places an article in twenty lists or more), each list rewritten from the place
    where it changed.
    """
    if not scores:
        return
    ids = list(scores)
    links = _stored(ids)
    removed = {
        row[0]
        for row in sql.select(
            "SELECT {override.article} FROM {override}"
            " WHERE {override.article} IN ({ids}) AND {override.other} = %s"
            " AND {override.action} = %s",
            [*ids, other_id, Override.Action.REMOVE.value],
            ids=sql.placeholders(ids),
        )
    }
    replaced = set(replaces)
    changed = {}
    for article_id, score in scores.items():
        gone = {other_id} | (replaced if score is not None else set())
        kept = _placed(links[article_id], other_id, score, gone, article_id in removed)
        if kept is not None:
            changed[article_id] = kept
    if not changed:
        return
    with transaction.atomic(savepoint=False):
        _write(changed, links)
        sql.execute(
            "UPDATE {state} SET {state.version} = {state.version} + 1"
            " WHERE {state.article} IN ({ids})",
            list(changed),
            ids=sql.placeholders(changed),
        )


def article_changed(article_id: int, *, now: datetime | None = None) -> list[int]:
    """Re-sign a published, updated or withdrawn article and recompute its list; then place it
    in the lists it affects: its best matches (which may now list it) and the lists that
    already hold it (which may have to move or drop it). Return the ids of those lists."""
    now = now or timezone.now()
    article = _subject(article_id)
    released = (
        article is not None
        and article.status == Article.Status.PUBLISHED
        and article.published is not None
    )
    copies: list[Scored] = []
    seen = Seen({}, {})
    if article is None or article.status != Article.Status.PUBLISHED:
        Signature.objects.filter(article_id=article_id).delete()
        if article is not None:
            store(article, [], now=now)
        ranked = []
    else:
        weights = sign(article_id)
        ranked, copies, seen = _scored(article, now=now, weights=weights)
        store(article, ranked, now=now)
    holding = [
        row[0]
        for row in sql.select(
            "SELECT {link.article} FROM {link} WHERE {link.related} = %s"
            " ORDER BY {link.article}, {link.rank}",
            [article_id],
        )
    ]
    affected = list(dict.fromkeys([s.article_id for s in ranked[:AFFECTED]] + list(holding)))
    if not affected:
        return []
    if not released:
        place_many(article_id, dict.fromkeys(affected))
        return affected
    # The computation above read most of what the placements need; read only the rest.
    missing = [pk for pk in [article_id, *affected] if pk not in seen.profiles]
    seen.profiles.update(_profiles(missing) if missing else {})
    _with_signatures(seen.profiles[pk] for pk in [article_id, *affected] if pk in seen.profiles)
    missing = [pk for pk in affected if pk not in seen.meta]
    seen.meta.update(_meta(missing) if missing else {})
    here, profile = seen.meta[article_id], seen.profiles[article_id]
    newer_copy = any(c.published > here[0] for c in copies)
    scores: dict[int, float | None] = {}
    for other in affected:
        if other not in seen.meta:
            continue
        if newer_copy or _copies(profile, seen.profiles[other]):
            scores[other] = None  # a copy: it is listed under the newest of its copies
        else:
            likeness_ = terms.cosine(profile.signature, seen.profiles[other].signature)
            scores[other] = _pair_score(here, seen.meta[other], likeness_)
    older = [c.article_id for c in copies if c.published <= here[0]]
    place_many(article_id, scores, older)
    return affected
