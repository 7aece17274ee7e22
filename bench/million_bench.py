"""Reader pages at a million articles against ten thousand (``make bench-million``; issue #12).

The goal: at 1M articles the article, section and home pages stay within 20% (≤ 1.20×) of their
latency at 10k. Pages never read the search index, so the corpora here are page-only: articles
from the search benchmark's generator (``bench/search_corpus.py``, the same article ``n`` for
the same seed) with what the pages read of them — section, series, bylines, keywords, a stored
관련기사 list per article and 많이 본 뉴스 rankings — but no search-index rows (analysing a
million articles takes hours and no reader page reads them). Left out as well, the same at both
sizes: photos (a teaser's ``<picture>`` reads the row's file name only), corrections (the page
asks for them in the article's own query), banners and weather (no campaign, no observation).

Written with the standard library's ``sqlite3`` into a schema ``sinmun migrate`` made, with every
index the migrations define in place (as a site that grew to 1M has them). No ``ANALYZE``: Sinmun
never runs it, so the planner sees what a real site's does.

Then each size is measured in its own process with Django's test client (the whole request
path: middleware, view, selectors, templates; the page cache off, ``SINMUN_PAGE_CACHE_SECONDS=0``),
with fragments as shipped (``SINMUN_FRAGMENT_SECONDS=60``) and off (``=0``: every part rendered
and read every time), in alternating rounds so that load from elsewhere hits both sizes alike:
distinct articles spread over all ids (a reader also opens a three-year-old article), the home
page, and section pages 1, 2–50 and the last pages. Prints p50/p95 per page and size, and the
ratios 1M / 10k.

    python bench/million_bench.py                    # build both (if missing) and measure
    REUSE=1 python bench/million_bench.py            # measure the databases already built
    SIZES="10000 1000000" BENCH_DIR=/tmp/sinmun-million ROUNDS=3
"""

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from itertools import chain, islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import search_corpus as corpus  # noqa: E402

BIN = ROOT / ".venv" / "bin"
CHUNK = 500
RELATED_PER_ARTICLE = 10
RANKING_SIZE = 15
# Articles generated; beyond them, copies (generating a million takes ~50 min on the shared
# 2 cores, copying the rest of them ~5; a page reads the same rows whatever their words).
DISTINCT = int(os.environ.get("DISTINCT", "100000"))
# One 톱기사 a day (ids span three years, 1,095 days); a site keeps its old top stories marked.
DAYS = 3 * 365

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------

SECTION_IDS = {slug: i + 1 for i, slug in enumerate(corpus.SECTIONS)}
REPORTER_IDS = {name: i + 1 for i, name in enumerate(corpus.REPORTERS)}
SERIES_IDS = {name: i + 1 for i, name in enumerate(corpus.SERIES)}
KEYWORDS = sorted(
    set(corpus.proper_nouns()) | {n for _, _, nouns in corpus.SECTIONS.values() for n in nouns}
)
KEYWORD_IDS = {name: i + 1 for i, name in enumerate(KEYWORDS)}

ARTICLE_COLUMNS = (
    "id", "public_id", "uri", "headline", "subheadlines", "body", "body_text", "lead_photo",
    "lead_photo_caption", "lead_photo_credit", "status", "is_top", "first_published_at",
    "updated_at", "created_at", "modified_at", "section_id", "series_id", "approved_at",
    "embargoed", "owner_id", "release_at", "version", "withdrawn_reason",
)  # fmt: skip


def _stamp(moment: datetime) -> str:
    # How Django stores an aware datetime on SQLite: UTC, no offset.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _published(n: int, size: int, now: datetime, fraction: float) -> str:
    # As bench/search lays them out: ids grow with time over three years.
    return _stamp(now - timedelta(days=3 * 365 * (1 - n / size) + fraction))


def _links(n: int) -> list[tuple]:
    """Return article ``n``'s stored 관련기사 list as the related engine leaves one (the page
    reads the rows, not how they were chosen): mostly recent neighbours, two from anywhere."""
    if n <= RELATED_PER_ARTICLE:
        return []
    rng = random.Random(n)  # noqa: S311 - a corpus, not a secret
    picked = rng.sample(range(max(1, n - 3000), n), RELATED_PER_ARTICLE - 2)
    picked += [rng.randrange(1, n) for _ in range(2)]
    return [
        (n, other, rank, 0.9 - rank * 0.05, 0) for rank, other in enumerate(dict.fromkeys(picked))
    ]


def _rows(bounds: tuple[int, int, int, float]):
    """Return the rows of generated articles ``start``..``stop - 1`` (run by a worker)."""
    start, stop, size, now_ts = bounds
    now = datetime.fromtimestamp(now_ts, UTC)
    articles, bylines, keywords, links = [], [], [], []
    for n in range(start, stop):
        a = corpus.generate(n)
        # The generator's few embargoes (negative ages) are kept among the newest 1% of ids.
        embargoed = a.age_days < 0 and n > 0.99 * size
        published = (
            _stamp(now - timedelta(days=a.age_days))
            if embargoed
            else _published(n, size, now, abs(a.age_days) % 1)
        )
        public = a.status != "draft"
        articles.append((
            n, f"m{n:09d}", f"urn:sinmun-million:{n}", a.headline,
            json.dumps(a.subheadlines), a.body_html, a.body_text, "", "", "", a.status,
            int(a.status == "published" and n % max(1, size // DAYS) == 0),
            published if public else None, published if public else None, published, published,
            SECTION_IDS[a.section], SERIES_IDS.get(a.series),
            published if public else None, int(embargoed), None, None, 1,
            "편집 과정의 착오로 회수합니다." if a.status == "withdrawn" else "",
        ))  # fmt: skip
        bylines += [(n, REPORTER_IDS[r], i) for i, r in enumerate(a.reporters)]
        keywords += [(n, KEYWORD_IDS[k]) for k in a.keywords]
        links += _links(n)
    return articles, bylines, keywords, links


def _stream(pool, stop: int, size: int, now_ts: float, ahead: int = 6):
    ranges = iter([(a, min(a + CHUNK, stop + 1), size, now_ts) for a in range(1, stop + 1, CHUNK)])
    pending = deque(pool.apply_async(_rows, (r,)) for r in islice(ranges, ahead))
    while pending:
        chunk = pending.popleft().get()
        following = next(ranges, None)
        if following is not None:
            pending.append(pool.apply_async(_rows, (following,)))
        yield chunk


def _copies(con: sqlite3.Connection, distinct: int, size: int, now: datetime):
    """Yield the rows of articles ``distinct + 1``..``size``: article ``n`` is a copy of the
    generated article ``(n - 1) % distinct + 1`` with its own ids, 입력 time and lists."""
    columns = ", ".join(ARTICLE_COLUMNS)
    for first in range(distinct + 1, size + 1, CHUNK):
        last = min(first + CHUNK - 1, size)
        base = (first - 1) % distinct + 1
        shift = first - base
        rows = con.execute(
            f"SELECT {columns} FROM newsroom_article WHERE id BETWEEN ? AND ? ORDER BY id",  # noqa: S608
            (base, base + last - first),
        ).fetchall()
        articles = []
        for row in rows:
            row = list(row)
            n = row[0] + shift
            published = _published(n, size, now, random.Random(n).random())  # noqa: S311
            row[0:3] = [n, f"m{n:09d}", f"urn:sinmun-million:{n}"]
            row[11] = int(row[10] == "published" and n % max(1, size // DAYS) == 0)
            for i in (12, 13, 18):  # 입력, 수정, 승인 (none for a draft)
                row[i] = published if row[i] else None
            row[14:16] = [published, published]
            row[19] = 0  # no embargo in a copy: its time is in the past
            articles.append(tuple(row))
        bylines = [
            (a + shift, r, o)
            for a, r, o in con.execute(
                'SELECT article_id, reporter_id, "order" FROM newsroom_articlereporter '
                "WHERE article_id BETWEEN ? AND ?",
                (base, base + last - first),
            )
        ]
        keywords = [
            (a + shift, k)
            for a, k in con.execute(
                "SELECT article_id, keyword_id FROM newsroom_article_keywords "
                "WHERE article_id BETWEEN ? AND ?",
                (base, base + last - first),
            )
        ]
        links = [row for n in range(first, last + 1) for row in _links(n)]
        yield articles, bylines, keywords, links


def build(db: Path, size: int, var_dir: Path) -> dict:
    """Create ``db`` with ``size`` articles; return build time and size."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    if os.environ.get("SCHEMA_FROM"):
        # A database ``sinmun migrate`` made earlier (when the code cannot start right now).
        shutil.copyfile(os.environ["SCHEMA_FROM"], db)
    else:
        env = {**os.environ, **_env(db, var_dir, fragments=0)}
        subprocess.run([BIN / "sinmun", "migrate", "-v0", "--noinput"], env=env, check=True)  # noqa: S603
    con = sqlite3.connect(db, isolation_level=None)
    # Bulk load: no journal, no fsync, a large cache for the indexes; back to WAL after.
    con.executescript(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;"
    )
    con.execute("BEGIN")
    con.executemany(
        'INSERT INTO newsroom_section (id, name, slug, "order", parent_id) VALUES (?, ?, ?, ?, ?)',
        [
            (SECTION_IDS[slug], name, slug, i, SECTION_IDS.get(parent))
            for i, (slug, (name, parent, _)) in enumerate(corpus.SECTIONS.items())
        ],
    )
    con.executemany(
        "INSERT INTO newsroom_reporter (id, name, slug, title, email, photo, bio, active) "
        "VALUES (?, ?, ?, '기자', '', '', '', 1)",
        [(i, name, f"r{i}") for name, i in REPORTER_IDS.items()],
    )
    con.executemany(
        "INSERT INTO newsroom_series (id, name, slug, description) VALUES (?, ?, ?, '')",
        [(i, name, f"s{i}") for name, i in SERIES_IDS.items()],
    )
    con.executemany(
        "INSERT INTO newsroom_keyword (id, name) VALUES (?, ?)",
        [(i, name) for name, i in KEYWORD_IDS.items()],
    )
    article_sql = (
        f"INSERT INTO newsroom_article ({', '.join(ARTICLE_COLUMNS)}) "  # noqa: S608 - constants
        f"VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})"
    )
    now_ts = time.time()
    distinct = min(size, DISTINCT)
    done = 0
    loading = time.perf_counter()
    pool = multiprocessing.get_context("fork").Pool(os.cpu_count() or 1)
    generated = _stream(pool, distinct, size, now_ts)
    copied = _copies(con, distinct, size, datetime.fromtimestamp(now_ts, UTC))
    for articles, bylines, keywords, links in chain(generated, copied):
        con.executemany(article_sql, articles)
        con.executemany(
            'INSERT INTO newsroom_articlereporter (article_id, reporter_id, "order") '
            "VALUES (?, ?, ?)",
            bylines,
        )
        con.executemany(
            "INSERT INTO newsroom_article_keywords (article_id, keyword_id) VALUES (?, ?)",
            keywords,
        )
        con.executemany(
            "INSERT INTO related_relatedlink (article_id, related_id, rank, score, pinned) "
            "VALUES (?, ?, ?, ?, ?)",
            links,
        )
        done += len(articles)
        if done % 50_000 < CHUNK:
            con.execute("COMMIT")
            con.execute("BEGIN")
            rate = done / (time.perf_counter() - loading)
            print(f"  {db.name}: {done:,}/{size:,} articles ({rate:,.0f}/s)", flush=True)
    pool.close()
    con.execute(
        "INSERT INTO related_liststate (article_id, computed_at, version) "
        "SELECT id, modified_at, 1 FROM newsroom_article"
    )
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    took = time.perf_counter() - started
    return {"build_seconds": took, "bytes": db.stat().st_size, "distinct": distinct}


# ---------------------------------------------------------------------------------------------
# Measure (one process per size and setting)
# ---------------------------------------------------------------------------------------------


def _env(db: Path, var_dir: Path, *, fragments: int) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "sinmun.settings",
        "SINMUN_DATABASE_URL": f"sqlite:///{db}",
        "SINMUN_VAR_DIR": str(var_dir),
        "SINMUN_DEBUG": "0",
        "SINMUN_LOG_LEVEL": "WARNING",
        "SINMUN_PAGE_CACHE_SECONDS": "0",
        "SINMUN_FRAGMENT_SECONDS": str(fragments),
        "SINMUN_JOBS_IMMEDIATE": "1",
    }


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(args) -> None:
    """Request the pages through Django's test client and print per-page samples as JSON."""
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import OperationalError, connection
    from django.test import Client

    from sinmun.audience import ranking, store
    from sinmun.newsroom import selectors
    from sinmun.newsroom.models import Article, Section

    rng = random.Random(args.seed)  # noqa: S311 - a sample, not a secret
    visible = selectors.published_articles()
    # 많이 본 뉴스: the newest visible articles of each scope, as the worker would store them
    # (the page reads the lists and the rows they name by id).
    sections = list(Section.objects.all())
    lists: dict[str, list[int]] = {}
    for scope, qs in [(ranking.ALL, visible)] + [
        (
            s.pk,
            visible.filter(section_id__in=[s.pk, *(c.pk for c in sections if c.parent_id == s.pk)]),
        )
        for s in sections
    ]:
        ids = list(qs.values_list("pk", flat=True)[: RANKING_SIZE * 3])
        for window in ranking.WINDOWS:
            lists[ranking.popular_name(window, scope)] = rng.sample(
                ids, min(len(ids), RANKING_SIZE)
            )
        lists[ranking.trending_name(scope)] = ids[:5]
    store.current().put_rankings(lists)

    top = Article.objects.order_by("-id").values_list("id", flat=True).first()
    public_ids = []
    while len(public_ids) < args.articles:
        row = (
            visible.filter(id__gte=rng.randint(1, top))
            .order_by("id")
            .values_list("public_id", flat=True)
            .first()
        )
        if row and row not in public_ids:
            public_ids.append(row)
    # Section pages: page 1, pages 2–50 (the same numbers at both sizes) and the last pages.
    section_urls: dict[str, list[str]] = {"section p1": [], "section p2-50": [], "section last": []}
    for s in sections:
        count = selectors.articles_for_section(section=s, page=1).paginator.num_pages
        url = s.get_absolute_url()
        section_urls["section p1"].append(url)
        section_urls["section p2-50"] += [f"{url}?page={rng.randint(2, 50)}" for _ in range(3)]
        section_urls["section last"].append(f"{url}?page={count - rng.randint(0, 2)}")

    plan: list[tuple[str, str]] = [("article", f"/article/{p}/") for p in public_ids]
    plan += [("home", "/")] * args.home
    for kind, urls in section_urls.items():
        reps = max(1, args.sections // len(urls))
        plan += [(kind, u) for u in urls for _ in range(reps)]
    rng.shuffle(plan)

    client = Client()
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    # A request that runs longer than --limit seconds is stopped (SQLite's progress handler
    # interrupts its query) and its page is not requested again: the code before decision 0027
    # took minutes for the home page at 1M.
    connection.ensure_connection()
    deadline = [float("inf")]
    connection.connection.set_progress_handler(
        lambda: int(time.perf_counter() > deadline[0]), 100_000
    )
    samples: dict[str, list[float]] = {}
    query_counts: dict[str, list[int]] = {}
    stopped: dict[str, float] = {}

    spent: dict[str, float] = {}

    def request(kind: str, url: str) -> None:
        # A page over its time budget gets no more requests (the samples so far stand).
        if kind in stopped or spent.get(kind, 0) > args.budget:
            return
        queries[0] = 0
        started = time.perf_counter()
        deadline[0] = started + args.limit
        try:
            answer = client.get(url)
        except OperationalError:
            stopped[kind] = args.limit * 1000
            return
        took = (time.perf_counter() - started) * 1000
        spent[kind] = spent.get(kind, 0) + took / 1000
        if answer.status_code != 200:
            raise SystemExit(f"{url}: {answer.status_code}")
        samples.setdefault(kind, []).append(took)
        query_counts.setdefault(kind, []).append(queries[0])

    # Start as just after a publish: no list counted yet (counts are kept a generation in the
    # shared cache, which outlives this process; the plan above counted every section).
    caches["default"].clear()
    with connection.execute_wrapper(count):
        # Warm-up, not counted: the connection, templates, each kind's shared fragments.
        for kind in dict.fromkeys(kind for kind, _ in plan):
            request(kind, next(url for k, url in plan if k == kind))
        samples.clear()
        query_counts.clear()
        spent.clear()
        for kind, url in plan:
            request(kind, url)
    print(json.dumps({"samples": samples, "queries": query_counts, "stopped": stopped}))


# ---------------------------------------------------------------------------------------------
# Orchestration
# ---------------------------------------------------------------------------------------------


def label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="run", choices=["run", "build", "measure"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--home", type=int, default=60)
    parser.add_argument("--sections", type=int, default=90)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per request at most")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds per page kind")
    args = parser.parse_args()
    if args.command == "measure":
        measure(args)
        return
    bench_dir = Path(os.environ.get("BENCH_DIR", "/tmp/sinmun-million"))  # noqa: S108 - as bench/search
    sizes = [int(s) for s in os.environ.get("SIZES", "10000 1000000").split()]
    rounds = int(os.environ.get("ROUNDS", "2"))
    reuse = bool(os.environ.get("REUSE"))
    # Another checkout's code to measure (a worktree of an older commit, for before/after).
    code_dir = os.environ.get("CODE_DIR", "")
    bench_dir.mkdir(parents=True, exist_ok=True)
    dbs = {size: bench_dir / f"pages-{label(size)}.sqlite3" for size in sizes}
    var_dirs = {size: bench_dir / f"var-{label(size)}" for size in sizes}
    built = {}
    for size in sizes:
        var_dirs[size].mkdir(exist_ok=True)
        if reuse and dbs[size].exists():
            info_file = dbs[size].with_suffix(".json")
            built[size] = json.loads(info_file.read_text()) if info_file.exists() else {}
            continue
        print(f"== building {label(size)} ({size:,} articles) in {dbs[size]} ==", flush=True)
        built[size] = build(dbs[size], size, var_dirs[size])
        dbs[size].with_suffix(".json").write_text(json.dumps(built[size]))
        print(f"  built in {built[size]['build_seconds']:.0f} s, "
              f"{built[size]['bytes'] / 2**20:,.0f} MB", flush=True)  # fmt: skip
    if args.command == "build":
        return
    # Read each file once, so the first requests measure the queries rather than the disk.
    for db in dbs.values():
        with open(db, "rb") as f:
            while f.read(1 << 24):
                pass
    fragment_settings = [int(f) for f in os.environ.get("FRAGMENTS", "60 0").split()]
    counts = [
        f"--articles={os.environ.get('ARTICLES', 150)}",
        f"--home={os.environ.get('HOMES', 60)}",
        f"--sections={os.environ.get('SECTION_REQUESTS', 90)}",
        f"--limit={os.environ.get('LIMIT', 120)}",
        f"--budget={os.environ.get('BUDGET', 600)}",
    ]
    results: dict[tuple[int, int], dict[str, list]] = {}
    stopped: dict[tuple[int, int], dict[str, float]] = {}
    for rnd in range(rounds):
        for fragments in fragment_settings:
            for size in sizes if rnd % 2 == 0 else sizes[::-1]:
                env = {**os.environ, **_env(dbs[size], var_dirs[size], fragments=fragments)}
                if code_dir:
                    env["PYTHONPATH"] = code_dir
                answer = subprocess.run(  # noqa: S603
                    [BIN / "python", __file__, "measure", f"--seed={rnd + 1}", *counts],
                    env=env, capture_output=True, text=True, cwd=ROOT,
                )  # fmt: skip
                if answer.returncode:
                    sys.exit(answer.stderr)
                out = json.loads(answer.stdout.strip().splitlines()[-1])
                into = results.setdefault((size, fragments), {})
                for kind, values in out["samples"].items():
                    into.setdefault(kind, []).extend(values)
                    into.setdefault("q:" + kind, []).extend(out["queries"][kind])
                stopped.setdefault((size, fragments), {}).update(out["stopped"])
                print(f"  round {rnd + 1}, {label(size)}, fragments {fragments}: done",
                      flush=True)  # fmt: skip
    report(sizes, built, results, stopped, fragment_settings, code_dir)


def _cell(values: list[float], stop: float | None) -> str:
    if not values:
        return f"> {stop / 1000:,.0f} s (stopped)"
    return f"{_percentile(values, 50):,.1f} / {_percentile(values, 95):,.1f}"


def report(sizes, built, results, stopped, fragment_settings, code_dir) -> None:
    small, large = sizes[0], sizes[-1]
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    print()
    print(f"## Pages at {label(large)} articles against {label(small)} "
          f"({when}, {os.cpu_count()} cores, load {load})")  # fmt: skip
    print()
    if code_dir:
        print(f"Code measured: {code_dir}")
        print()
    print("| corpus | generated | build | database |")
    print("|---|---:|---:|---:|")
    for size in sizes:
        info = built[size]
        if info:
            seconds, megabytes = info["build_seconds"], info["bytes"] / 2**20
            print(f"| {size:,} articles | {info.get('distinct', size):,} | "
                  f"{seconds:,.0f} s | {megabytes:,.0f} MB |")  # fmt: skip
    print()
    print(f"| page | fragments | {label(small)} p50 / p95 ms | {label(large)} p50 / p95 ms | "
          f"ratio p50 | ratio p95 | queries | n |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for fragments in fragment_settings:
        for kind in ["article", "home", "section p1", "section p2-50", "section last"]:
            a = results.get((small, fragments), {}).get(kind, [])
            b = results.get((large, fragments), {}).get(kind, [])
            stop_a = stopped.get((small, fragments), {}).get(kind)
            stop_b = stopped.get((large, fragments), {}).get(kind)
            ratios = "– | –"
            if a and b:
                r50 = _percentile(b, 50) / _percentile(a, 50)
                r95 = _percentile(b, 95) / _percentile(a, 95)
                ratios = f"**{r50:.2f}**{'' if r50 <= 1.2 else ' ✗'} | {r95:.2f}"
            qa = results.get((small, fragments), {}).get("q:" + kind) or [0]
            qb = results.get((large, fragments), {}).get("q:" + kind) or [0]
            print(f"| {kind} | {'60 s (shipped)' if fragments else 'off'} | "
                  f"{_cell(a, stop_a)} | {_cell(b, stop_b)} | {ratios} | "
                  f"{statistics.median(qa):g} / {statistics.median(qb):g} | "
                  f"{len(a)} / {len(b)} |")  # fmt: skip
    print()


if __name__ == "__main__":
    main()
