"""Benchmark view counting (``make bench-audience``); prints numbers and ratios from one run.

1. Counting throughput in-process: ``services.view_record`` (classify, salt, hash, store write)
   in one process and in two at once, on the embedded store and on Redis (when it answers);
   the flush of those views into the database.
2. Over HTTP with the site's own server (``sinmun serve``, 2 workers, DEBUG off) and wrk, in
   alternating rounds: the cached article page alone, and the same page followed by its beacon
   (what one counted reader costs), plus the beacon alone. The cost counting adds to a cached
   page is the ratio of page views per second without and with the beacon.

Run through ``bench/audience`` (it sets up the var folder); numbers vary with the machine, so
quote the ratios.
"""

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""
# Each request of a thread is a new reader (its own User-Agent), so every beacon is counted.
THREADS_LUA = """
local counter = 0
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("tid", threads) end
"""


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings")
    import django

    django.setup()


def _count_views(
    kind: str, where: str, prefix: str, public_ids: list[str], n: int, tag: str, start_at=0.0
):
    """Record ``n`` views by distinct readers from ``start_at`` on; return (start, end) times."""
    _setup_django()
    from sinmun.audience import services
    from sinmun.audience import store as stores

    store = stores.EmbeddedStore(where) if kind == "embedded" else stores.RedisStore(where, prefix)
    store.open_views()  # open the connection before the clock starts
    while time.time() < start_at:
        time.sleep(0.001)
    started = time.time()
    for i in range(n):
        services.view_record(
            public_id=public_ids[i % len(public_ids)],
            referrer="https://m.search.naver.com/search.naver",
            user_agent=f"{CHROME} {tag}-{i}",
            address="203.0.113.10",
            headers={},
            host="127.0.0.1",
            store=store,
        )
    return started, time.time()


def counting_throughput(args, public_ids: list[str]) -> list[tuple[str, float]]:
    from sinmun.audience import services
    from sinmun.audience import store as stores
    from sinmun.audience.models import DailyViews, FlushedBatch, ReferrerDaily, ViewBucket

    results = []
    kinds = [("embedded", str(Path(tempfile.mkdtemp()) / "audience.sqlite3"), "")]
    if args.redis:
        kinds.append(("redis", args.redis, f"sinmun:audience-bench:{uuid.uuid4().hex}:"))
    context = multiprocessing.get_context("spawn")
    for kind, where, prefix in kinds:
        started, ended = _count_views(kind, where, prefix, public_ids, args.views, "one")
        results.append((f"{kind}: 1 process, views/s", args.views / (ended - started)))
        with context.Pool(2) as pool:
            # Both processes start counting at the same moment, after Django has set up.
            start_at = time.time() + 8
            spans = pool.starmap(
                _count_views,
                [
                    (kind, where, prefix, public_ids, args.views, f"p{n}", start_at)
                    for n in range(2)
                ],
            )
        wall = max(end for _, end in spans) - min(start for start, _ in spans)
        results.append((f"{kind}: 2 processes at once, views/s (together)", 2 * args.views / wall))
        store = (
            stores.EmbeddedStore(where) if kind == "embedded" else stores.RedisStore(where, prefix)
        )
        pending = store.open_views()
        started = time.perf_counter()
        added = services.views_flush(store=store)
        flush_seconds = time.perf_counter() - started
        if not added == pending == 3 * args.views:
            sys.exit(f"{kind}: counted {pending}, flushed {added}, expected {3 * args.views}")
        results.append(
            (f"{kind}: flush of {added:,} views into the database, ms", flush_seconds * 1000)
        )
        if kind == "redis":
            store.clear()
        for model in (ViewBucket, DailyViews, ReferrerDaily, FlushedBatch):
            model.objects.all().delete()
    return results


def run_wrk(url: str, script: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(  # noqa: S603 (fixed arguments, a loopback URL)
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script, url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    requests, micros, p50, p99, errors = (int(v) for v in line.split()[1:])
    return {
        "rps": requests / (micros / 1e6),
        "p50": p50 / 1000,
        "p99": p99 / 1000,
        "errors": errors,
    }


def http_rounds(args, page: str, public_id: str) -> list[tuple[str, str]]:
    base = f"http://127.0.0.1:{args.port}"
    body = f"a={public_id}&r=https%3A%2F%2Fsearch.naver.com%2F"
    scripts = {
        "page": REPORT_LUA
        + f'wrk.headers["User-Agent"] = "{CHROME}"\nwrk.method = "GET"\nwrk.path = "{page}"\n',
        "page+beacon": REPORT_LUA
        + THREADS_LUA
        + f"""
request = function()
  counter = counter + 1
  if counter % 2 == 1 then
    return wrk.format("GET", "{page}", {{["User-Agent"] = "{CHROME}"}})
  end
  return wrk.format("POST", "/audience/view/", {{
    ["User-Agent"] = "{CHROME} t" .. tid .. "-" .. counter,
    ["Content-Type"] = "application/x-www-form-urlencoded"}}, "{body}")
end
""",
        "beacon": REPORT_LUA
        + THREADS_LUA
        + f"""
request = function()
  counter = counter + 1
  return wrk.format("POST", "/audience/view/", {{
    ["User-Agent"] = "{CHROME} b" .. tid .. "-" .. counter,
    ["Content-Type"] = "application/x-www-form-urlencoded"}}, "{body}")
end
""",
    }
    paths = {}
    for name, text in scripts.items():
        handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        handle.write(text)
        handle.close()
        paths[name] = handle.name
    for name in scripts:  # warm-up: fill the page cache, load code
        run_wrk(base + page, paths[name], 2, args.connections)
    rounds = {name: [] for name in scripts}
    for n in range(args.rounds):
        for name in scripts:
            result = run_wrk(base + page, paths[name], args.seconds, args.connections)
            rounds[name].append(result)
            print(
                f"round {n + 1}/{args.rounds} {name}: {result['rps']:.1f} req/s, "
                f"p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms, "
                f"errors {result['errors']}",
                file=sys.stderr,
            )
    views_without = [r["rps"] for r in rounds["page"]]
    views_with = [r["rps"] / 2 for r in rounds["page+beacon"]]
    ratios = [a / b for a, b in zip(views_without, views_with, strict=True)]
    med = statistics.median
    return [
        ("cached article page alone, page views/s", f"{med(views_without):,.1f}"),
        ("cached article page + its beacon, counted page views/s", f"{med(views_with):,.1f}"),
        (
            "beacon alone over HTTP, counted views/s",
            f"{med(r['rps'] for r in rounds['beacon']):,.1f}",
        ),
        (
            "cost of counting: time per page view with / without (median of rounds)",
            f"{med(ratios):.3f} (rounds: {' '.join(f'{r:.3f}' for r in ratios)})",
        ),
        (
            "errors (page / page+beacon / beacon)",
            " / ".join(str(sum(r["errors"] for r in rounds[n])) for n in scripts),
        ),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--redis", default=os.environ.get("SINMUN_TEST_REDIS_URL", ""))
    parser.add_argument("--page", required=True)
    parser.add_argument("--public-id", required=True)
    args = parser.parse_args()
    _setup_django()
    from sinmun.newsroom import selectors

    public_ids = list(selectors.published_articles().values_list("public_id", flat=True)[:50])
    lines = [("machine load (1 min) at start", f"{os.getloadavg()[0]:.2f}")]
    lines += [(k, f"{v:,.0f}") for k, v in counting_throughput(args, public_ids)]
    lines += http_rounds(args, args.page, args.public_id)
    width = max(len(k) for k, _ in lines)
    print(f"\n== audience benchmark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}) ==")
    for key, value in lines:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
