"""Benchmark view counting (``make bench-audience``); prints numbers and ratios from one run.

1. Counting throughput in-process: ``services.view_record`` (the beacon's path: classify, salt,
   hash, store write) in one process and in two at once, on the embedded store and on Redis
   (when it answers); the server's path split in its two sides, the web process's
   (``services.views_spool``: hash, one spool write a second) and the worker's
   (``store.drain``: the dedup and the counts); the same for ``sinmun serve``'s hand-over of raw
   views to the forked worker (``handover``: the web side marshals them, the worker judges,
   hashes, dedups and counts); the flush of all those views into the database.
2. Over HTTP with the site's own server (``sinmun serve``: 2 web processes and the background
   worker, as ``make run`` runs it) and wrk, in alternating rounds: the cached article page from
   a server that counts nothing (the beacon set-up, its script not run; asked exactly as the
   counted round asks, each request with a User-Agent of its own, since wrk shares the cores),
   the same page from the default server, which counts every answer (each request a new reader
   with a User-Agent of its own, so each is a new window and a new verdict on the User-Agent:
   the worst case), and the page followed by its beacon (in the first session only: it costs
   several times the page). After each counted round the bench waits until the worker's
   counting process has counted what the round handed over or spooled, and after each beacon
   round until the beacon server's worker has drained its spool, so that work never lands in
   the next round; the server CPU (web processes and worker, from /proc) of the round and that
   wait is charged to the round. Each session starts a new pair of servers (in turn the counted
   one first, then the other): two servers started alike keep a page rate of their own, up to a
   tenth apart, for their whole life, so the session is the unit: many short sessions (20 of 2
   rounds of 5 s), each session's ratio the geometric mean of its rounds', the result their
   geometric mean with a 95% interval drawn from the sessions (bootstrap), beside the median of
   all the rounds' ratios. The same for the server CPU per view. The views the worker put in
   the database are checked against the requests wrk saw answered. ``--control`` starts the
   "counted" server uncounted too: the ratio two alike servers give, the method's own noise.

Run through ``bench/audience`` (it sets up the var folder); numbers vary with the machine, so
quote the ratios.
"""

import argparse
import math
import multiprocessing
import os
import random
import signal
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


def _spool_and_drain(store, public_ids: list[str], n: int) -> tuple[float, float]:
    """Spool ``n`` views by distinct readers as the web processes do (``services.views_spool``:
    hash, one store write a second — here 1,000 views a write), then count them as the worker
    does (``store.drain``); return views/s of each side."""
    from sinmun.audience import services
    from sinmun.audience import store as stores

    now = time.time()
    views = [
        (public_ids[i % len(public_ids)], "203.0.113.10", f"{CHROME} spool-{i}",
         "https://m.search.naver.com/search.naver", "127.0.0.1", now)
        for i in range(n)
    ]  # fmt: skip
    started = time.perf_counter()
    for at in range(0, n, stores.SPOOL_VIEWS):
        services.views_spool(views[at : at + stores.SPOOL_VIEWS], store=store)
    spooled = time.perf_counter()
    counted = store.drain()
    drained = time.perf_counter()
    if counted != n:
        sys.exit(f"the drain counted {counted} of {n} spooled views")
    return n / (spooled - started), n / (drained - spooled)


def _hand_over(store, public_ids: list[str], n: int) -> tuple[float, float]:
    """Hand ``n`` views by distinct readers over as ``sinmun serve``'s web processes do (the raw
    values a request keeps, ``marshal``-ed a datagram at a time), then count them as the forked
    worker does (``pageviews.count_handed_over``: judge, hash, dedup, count); return views/s of
    each side (the request's own part is not in the first: see docs/decisions/0020)."""
    import marshal

    from sinmun.audience import handover, pageviews
    from sinmun.audience import store as stores

    now = time.time()
    views = [
        pageviews.raw_view(public_ids[i % len(public_ids)], {
            "REMOTE_ADDR": "203.0.113.10", "HTTP_USER_AGENT": f"{CHROME} hand-{i}",
            "HTTP_REFERER": "https://m.search.naver.com/search.naver", "HTTP_HOST": "127.0.0.1",
        }, now)
        for i in range(n)
    ]  # fmt: skip
    step = handover.VIEWS_A_DATAGRAM
    started = time.perf_counter()
    datagrams = [marshal.dumps(views[at : at + step]) for at in range(0, n, step)]
    sent = time.perf_counter()
    received = [view for datagram in datagrams for view in marshal.loads(datagram)]  # noqa: S302
    counted = 0
    for at in range(0, n, handover.VIEWS_A_COUNT):  # a transaction a second's worth, at most
        counted += pageviews.count_handed_over(
            received[at : at + handover.VIEWS_A_COUNT], store=store
        )
    if isinstance(store, stores.RedisStore):
        counted = store.drain()  # the dedup is Redis's script: the worker spooled them there
    done = time.perf_counter()
    if counted != n:
        sys.exit(f"the worker counted {counted} of {n} handed-over views")
    return n / (sent - started), n / (done - sent)


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
        # The embedded store spools a beacon's view for the worker's drain (counted just below,
        # so that the spool path's own figures start from an empty spool); Redis counts it.
        results.append(
            (
                f"{kind}: beacons, 1 process, views/s (embedded: spooled)",
                args.views / (ended - started),
            )
        )
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
        results.append(
            (f"{kind}: beacons, 2 processes at once, views/s (together)", 2 * args.views / wall)
        )
        store = (
            stores.EmbeddedStore(where) if kind == "embedded" else stores.RedisStore(where, prefix)
        )
        started = time.perf_counter()
        beacons = store.drain()
        if kind == "embedded":
            if beacons != 3 * args.views:
                sys.exit(f"the drain counted {beacons} of {3 * args.views} beacons")
            results.append(
                (
                    f"{kind}: beacons, the worker's drain, views/s",
                    beacons / (time.perf_counter() - started),
                )
            )
        web, worker = _spool_and_drain(store, public_ids, args.views)
        results.append((f"{kind}: web process's side, spooled views/s (hash, write)", web))
        results.append((f"{kind}: worker's side, drained views/s (dedup, count)", worker))
        web, worker = _hand_over(store, public_ids, args.views)
        results.append((f"{kind}: web process's side, handed-over views/s (marshal)", web))
        results.append(
            (f"{kind}: worker's side, handed-over views/s (judge, hash, dedup, count)", worker)
        )
        pending = store.open_views()
        started = time.perf_counter()
        added = services.views_flush(store=store)
        flush_seconds = time.perf_counter() - started
        if not added == pending == 5 * args.views:
            sys.exit(f"{kind}: counted {pending}, flushed {added}, expected {5 * args.views}")
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
        "requests": requests,
        "rps": requests / (micros / 1e6),
        "p50": p50 / 1000,
        "p99": p99 / 1000,
        "errors": errors,
    }


def _script(text: str) -> str:
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    handle.write(text)
    handle.close()
    return handle.name


def _scripts(page: str, public_id: str, tag: str) -> dict[str, tuple[int, str]]:
    """Return {round name: (port, wrk script)}; ``tag`` makes this run's readers new ones."""
    body = f"a={public_id}&r=https%3A%2F%2Fsearch.naver.com%2F"

    def reader_request(kind: str) -> str:
        """Return wrk's ``request``: the page, each time by a new reader (its own User-Agent)."""
        return f"""
request = function()
  counter = counter + 1
  local agent = "{CHROME} {tag}{kind}" .. tid .. "-" .. counter
  return wrk.format("GET", "{page}", {{["User-Agent"] = agent}})
end
"""

    return {
        # The same cached page from the beacon set-up's server, whose answer counts nothing,
        # asked exactly as the counted round asks it (a request built per request, each with a
        # User-Agent of its own): wrk shares the 2 cores, so only the server's counting may
        # differ between the two rounds.
        "page, not counted": (1, REPORT_LUA + THREADS_LUA + reader_request("n")),
        # Every request a new reader (its own User-Agent), so every answer is a counted view.
        "page, counted by the server": (0, REPORT_LUA + THREADS_LUA + reader_request("t")),
        "page + beacon (beacon set-up)": (
            1,
            REPORT_LUA
            + THREADS_LUA
            + f"""
request = function()
  counter = counter + 1
  if counter % 2 == 1 then
    return wrk.format("GET", "{page}", {{["User-Agent"] = "{CHROME}"}})
  end
  return wrk.format("POST", "/audience/view/", {{
    ["User-Agent"] = "{CHROME} {tag}b" .. tid .. "-" .. counter,
    ["Content-Type"] = "application/x-www-form-urlencoded"}}, "{body}")
end
""",
        ),
    }


def _tree_stats(root: int) -> list[list[str]]:
    """Return the /proc stat fields (after the name) of process ``root`` and its live
    descendants."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        stats[int(entry)] = fields
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            found.append(stats[pid])
        todo.extend(children.get(pid, []))
    return found


def _cpu_seconds(root: int) -> float:
    """Return the CPU time (user + system) of process ``root`` and its live descendants."""
    ticks = sum(int(fields[11]) + int(fields[12]) for fields in _tree_stats(root))
    return ticks / os.sysconf("SC_CLK_TCK")


def _wait_until(done, *, what: str, poll: float) -> None:
    """Wait until ``done()`` holds, asking every ``poll`` seconds; exit with ``what`` after
    120 s."""
    deadline = time.monotonic() + 120
    while not done():
        if time.monotonic() > deadline:
            sys.exit(f"{what} within 120 s")
        time.sleep(poll)


def _database_total() -> int:
    """Return the views in the database (the counted server's var folder)."""
    from django.db.models import Sum

    from sinmun.audience.models import DailyViews

    return DailyViews.objects.aggregate(total=Sum("views"))["total"] or 0


def _quiet(store, *, also=lambda: True, what: str) -> None:
    """Wait until nothing waits in ``store`` (spool, open counts, claimed batches) and ``also()``
    holds; exit with ``what`` after 120 s."""
    time.sleep(2)  # the web processes hand their views on once a second
    _wait_until(
        lambda: also() and not (store.spooled() or store.open_views() or store.batches()),
        what=what,
        poll=0.5,
    )


def _counted_so_far(store, at_least: int) -> None:
    """Wait until the counting process has counted at least ``at_least`` views in all (in the
    database or open in the store) and nothing waits in the spool; exit after 120 s.

    Not until the worker's tick has moved them to the database (``_counted_total``): that is
    one statement a 10-minute bucket every 15 s, and waiting for it cost every round ~7 s.
    Views of a batch the tick has claimed and not yet added are in neither place for a moment:
    the wait is then longer, never shorter.
    """
    _wait_until(
        lambda: _counted(store) >= at_least and not store.spooled(),
        what=f"the counting process did not count {at_least} views",
        poll=0.2,
    )


def _counted(store) -> int:
    """Return the views counted so far: in the database and open in the store."""
    # The database first, then the open counts: a batch the tick moves in between is then in
    # neither, never in both.
    return _database_total() + store.open_views()


def _counted_total(store, at_least: int) -> int:
    """Wait until the worker has counted and flushed at least ``at_least`` views in all, and
    nothing waits in the store; return the views in the database (the counted server's var
    folder). Views the worker received from the web processes (``handover``) are in no store
    until it counts them: hence the total to reach."""
    _quiet(
        store,
        also=lambda: _database_total() >= at_least,
        what=f"the worker did not count {at_least} views",
    )
    return _database_total()


def _serve(var: str, port: int, counting: str) -> subprocess.Popen:
    """Start ``sinmun serve`` as ``make run`` runs it (2 web processes and the worker) on
    ``var``, counting by ``counting`` (``_answering`` waits for it)."""
    env = dict(os.environ, SINMUN_VAR_DIR=var, SINMUN_AUDIENCE_COUNTING=counting)
    log = open(Path(var) / "bench-serve.log", "a")
    return subprocess.Popen(  # noqa: S603 (fixed arguments)
        [str(Path(sys.executable).parent / "sinmun"), "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", "2"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _answering(port: int, page: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"the server on {port} did not answer within 120 s")
            time.sleep(0.2)


def _stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)  # as Ctrl-C stops `make run`
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _geometric_mean(ratios: list[float]) -> float:
    return math.exp(statistics.fmean(math.log(r) for r in ratios))


def _by_session(plain_rounds: list[dict], ratios: list[float]) -> list[float]:
    """Return each session's ratio: the geometric mean of its rounds' paired ratios."""
    sessions: dict[int, list[float]] = {}
    for result, ratio in zip(plain_rounds, ratios, strict=True):
        sessions.setdefault(result["session"], []).append(ratio)
    return [_geometric_mean(r) for r in sessions.values()]


def _interval(sessions: list[float], draws: int = 10_000) -> tuple[float, float]:
    """Return a 95% interval of the sessions' geometric mean (bootstrap: the sessions drawn
    again with replacement). The session, not the round, is the unit: a pair of servers keeps
    its own luck for its whole life, so rounds of one session are not independent."""
    draw = random.Random(0)  # noqa: S311 (a resampling, not a secret)
    means = sorted(_geometric_mean(draw.choices(sessions, k=len(sessions))) for _ in range(draws))
    return means[int(draws * 0.025)], means[int(draws * 0.975) - 1]


def http_rounds(args, page: str, public_id: str) -> list[tuple[str, str]]:
    from django.conf import settings

    from sinmun.audience import store as stores

    store = stores.current()  # the counted server's embedded store (the same var folder)
    beacon_store = stores.EmbeddedStore(Path(args.beacon_var) / "audience.sqlite3")
    ports = (args.port, args.beacon_port)
    counted_mode = "beacon" if args.control else "server"
    # Readers new to this run too: a run within 30 minutes of the last would meet its readers'
    # windows.
    run = uuid.uuid4().hex[:8]
    names = list(_scripts(page, public_id, run))
    counted_requests = 0
    counted_before = None
    rounds = {name: [] for name in names}
    cpu = {name: [] for name in names}
    worker_cpu = []

    def settle(name: str, result: dict) -> None:
        """Wait until the round's counting is done, so it never runs in the next round: the
        counted server's counting process has counted it (into the store's open counts, which
        the worker's next tick adds to the database in one statement a 10-minute bucket); the
        beacon server's worker (that server is also the uncounted baseline) has drained the
        beacons."""
        nonlocal counted_requests
        # Every round rests alike first (the web processes hand their views on once a second):
        # a rest after the counted rounds only would be a rest the round after them has alone
        # (the control measured 0.938 so).
        time.sleep(1)
        if name == "page, counted by the server" and not args.control:
            counted_requests += result["requests"]
            _counted_so_far(store, counted_before + counted_requests)
        elif name.startswith("page + beacon"):
            _quiet(beacon_store, what="the beacon server's worker did not drain its spool")

    # Each session starts a new pair of servers, in turn the counted one first and the other:
    # two servers started alike differ by up to a tenth in page rate for their whole life (the
    # uncounted against itself, --control), so one pair's luck would be the result.
    for session in range(args.sessions):
        specs = [(settings.VAR_DIR, 0, counted_mode), (args.beacon_var, 1, "beacon")]
        servers = {}
        for var, port, counting in specs if session % 2 == 0 else specs[::-1]:
            servers[port] = _serve(str(var), ports[port], counting)
        try:
            for port in servers:
                _answering(ports[port], page)
            if counted_before is None:  # what earlier runs left is counted by now
                counted_before = _counted_total(store, 0)
            # The counted server's worker (its keeper writes where it is), to tell its share
            # apart.
            worker = int((settings.VAR_DIR / "worker.pid").read_text())
            # The beacon costs several times the page (decision 0020): a session or two tell it.
            kinds = names if session < args.beacon_sessions else names[:2]
            for name in kinds:
                port, text = _scripts(page, public_id, f"{run}s{session}w")[name]
                result = run_wrk(
                    f"http://127.0.0.1:{ports[port]}{page}", _script(text), 2, args.connections
                )  # warm-up
                settle(name, result)
            for n in range(args.rounds):
                tag = f"{run}s{session}r{n}"
                # In turn the uncounted round first and the counted one (ABBA): the second of
                # two runs back to back is not the first's equal (the control, one order only,
                # measured 0.938).
                first = kinds[:2] if (session + n) % 2 == 0 else kinds[1::-1]
                for name in [*first, *kinds[2:]]:
                    port, text = _scripts(page, public_id, tag)[name]
                    url = f"http://127.0.0.1:{ports[port]}{page}"
                    pid = servers[port].pid
                    before, worker_before = _cpu_seconds(pid), _cpu_seconds(worker)
                    result = run_wrk(url, _script(text), args.seconds, args.connections)
                    # The worker's counting of this round is this round's cost: waited for
                    # here, so it never runs during the next round, and its CPU is charged here.
                    settle(name, result)
                    if name == "page, counted by the server":
                        worker_cpu.append(
                            (_cpu_seconds(worker) - worker_before) / result["requests"]
                        )
                    cpu[name].append((_cpu_seconds(pid) - before) / max(result["requests"], 1))
                    rounds[name].append(dict(result, session=session))
                    print(
                        f"session {session + 1}/{args.sessions} round {n + 1}/{args.rounds} "
                        f"{name}: {result['rps']:.1f} req/s, p50 {result['p50']:.2f} ms, "
                        f"p99 {result['p99']:.2f} ms, errors {result['errors']}, "
                        f"server CPU {cpu[name][-1] * 1e6:.0f} µs a request",
                        file=sys.stderr,
                    )
            if session == args.sessions - 1 and not args.control:
                # The rounds waited for the counting only: the last of it reaches the database
                # at the worker's next tick, while it still runs.
                _counted_total(store, counted_before + counted_requests)
        finally:
            for server in servers.values():
                _stop(server)
    in_flight = args.connections * args.sessions * (args.rounds + 1)
    if args.control:
        counted = 0
    else:
        counted = _counted_total(store, counted_before + counted_requests) - counted_before
        # wrk does not count the requests still in flight when a run ends; the server may have.
        if not counted_requests <= counted <= counted_requests + in_flight:
            sys.exit(f"the server counted {counted} views for {counted_requests} readers' requests")
    plain = [r["rps"] for r in rounds["page, not counted"]]
    server = [r["rps"] for r in rounds["page, counted by the server"]]
    beacon = [r["rps"] / 2 for r in rounds["page + beacon (beacon set-up)"]]
    server_ratios = [a / b for a, b in zip(plain, server, strict=True)]
    # The beacon's rounds (the first sessions only) against the uncounted rounds of the same
    # sessions, which come first in ``plain``.
    beacon_ratios = [a / b for a, b in zip(plain, beacon, strict=False)]
    sessions = _by_session(rounds["page, not counted"], server_ratios)
    low, high = _interval(sessions)
    cpu_ratios = [
        b / a
        for a, b in zip(cpu["page, not counted"], cpu["page, counted by the server"], strict=True)
    ]
    # The web processes' own share: the counted server's CPU less its worker's (which holds the
    # counting process), against the uncounted server's (whose worker has nothing to count).
    web_counted = [
        c - w for c, w in zip(cpu["page, counted by the server"], worker_cpu, strict=True)
    ]
    web_ratios = [b / a for a, b in zip(cpu["page, not counted"], web_counted, strict=True)]
    med = statistics.median
    none = "— (--beacon-sessions 0)"
    beacon_rate = f"{med(beacon):,.1f}" if beacon else none
    beacon_cost = (
        f"{med(beacon_ratios):.3f} (rounds: {' '.join(f'{r:.3f}' for r in beacon_ratios)})"
        if beacon
        else none
    )

    control = [("CONTROL: the 'counted' server counted nothing (--control)", "yes")]
    return [
        *(control if args.control else []),
        ("cached article page, not counted, page views/s", f"{med(plain):,.1f}"),
        ("cached article page counted by the server, views/s", f"{med(server):,.1f}"),
        ("cached article page + its beacon, counted views/s", beacon_rate),
        (
            "cost of counting by the server: time per view with / without",
            f"{med(server_ratios):.3f} (rounds: {' '.join(f'{r:.3f}' for r in server_ratios)})",
        ),
        (
            f"the same, a session's rounds together, over the {len(sessions)} sessions' servers",
            f"{_geometric_mean(sessions):.3f} (95% interval {low:.3f}–{high:.3f}; sessions: "
            f"{' '.join(f'{r:.3f}' for r in sessions)})",
        ),
        (
            "cost of counting by the server: server CPU per view with / without "
            "(web processes and worker, the worker's counting included)",
            f"{med(cpu_ratios):.3f} (rounds: {' '.join(f'{r:.3f}' for r in cpu_ratios)})",
        ),
        (
            "server CPU per request, µs (not counted / counted by the server)",
            f"{med(cpu['page, not counted']) * 1e6:.0f} / "
            f"{med(cpu['page, counted by the server']) * 1e6:.0f}",
        ),
        (
            "of which the worker's (its counting process, flushing), µs a counted view",
            f"{med(worker_cpu) * 1e6:.1f}",
        ),
        (
            "the web processes' own CPU per view with / without (the request's part of counting)",
            f"{med(web_ratios):.3f} (rounds: {' '.join(f'{r:.3f}' for r in web_ratios)})",
        ),
        ("cost of counting by the beacon: time per view with / without", beacon_cost),
        (
            "views the worker counted into the database vs readers' requests wrk saw complete",
            f"{counted:,} / {counted_requests:,} (at most {in_flight} in flight at run ends)",
        ),
        (
            "p99 ms (not counted / counted by the server)",
            f"{med(r['p99'] for r in rounds['page, not counted']):.2f} / "
            f"{med(r['p99'] for r in rounds['page, counted by the server']):.2f}",
        ),
        (
            "errors (" + " / ".join(names) + ")",
            " / ".join(str(sum(r["errors"] for r in rounds[n])) for n in names),
        ),
    ]


def _memory_mb(root: int) -> float:
    """Return the resident memory (MB) of process ``root`` and its live descendants."""
    pages = sum(int(fields[21]) for fields in _tree_stats(root))
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def sustained(args, page: str, public_id: str) -> tuple[list[tuple[str, str]], bool]:
    """Saturate the counted server for ``args.sustained`` seconds without a pause (wrk runs of
    10 s back to back, every request a new reader), then wait until it has counted them all.

    The rounds of ``http_rounds`` pause after each 5 s and never let the counting process fall
    far behind; under load that does not pause it gets no idle core at all, and the web
    processes count what they held 15 s themselves (decision 0020, revision 7). Every view
    must still be counted, exactly once. Returns the lines and whether every view was.
    """
    from django.conf import settings

    from sinmun.audience import store as stores

    store = stores.current()
    log_path = settings.VAR_DIR / "bench-serve.log"
    log_start = log_path.stat().st_size if log_path.exists() else 0  # earlier runs' lines
    server = _serve(str(settings.VAR_DIR), args.port, "server")
    try:
        _answering(args.port, page)
        before = _counted_total(store, 0)
        run = uuid.uuid4().hex[:8]
        url = f"http://127.0.0.1:{args.port}{page}"
        # Other work on the box at normal priority (a backup, another site): with it the
        # counting process, in the idle class, gets no core at all while the load lasts.
        hogs = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.hogs)
        ]
        answered = errors = runs = 0
        peak = 0.0
        started = time.monotonic()
        try:
            while time.monotonic() - started < args.sustained:
                # A tag of each wrk run's own: each run counts its readers from 0 again, and
                # the same User-Agents within 30 minutes would be the same readers.
                scripts = _scripts(page, public_id, f"{run}sat{answered}")
                result = run_wrk(
                    url, _script(scripts["page, counted by the server"][1]), 10, args.connections
                )
                runs += 1
                answered += result["requests"] - result["errors"]
                errors += result["errors"]
                peak = max(peak, _memory_mb(server.pid))
                behind = answered - (_counted(store) - before)
                print(
                    f"{time.monotonic() - started:5.0f} s: {answered:,} answered, {behind:,} not"
                    f" yet counted, server {peak:,.0f} MB at most",
                    flush=True,
                )
        finally:
            for hog in hogs:  # never left spinning, whatever stopped the load
                hog.kill()
                hog.wait()
        loaded = time.monotonic() - started
        # Until all are counted, or nothing has moved for a minute (views lost).
        counted, moved = -1, time.monotonic()
        while time.monotonic() - moved < 60:
            now_counted = _counted(store) - before
            spooled = store.spooled()
            if now_counted >= answered and not spooled:
                break
            if now_counted != counted or spooled:
                counted, moved = now_counted, time.monotonic()
            time.sleep(1)
        caught_up = time.monotonic() - started - loaded
        time.sleep(3)  # a late view counted twice would show now
        counted = _counted(store) - before
    finally:
        _stop(server)
    with log_path.open("rb") as handle:
        handle.seek(log_start)
        log = handle.read().decode(errors="replace")
    exact = 0 <= counted - answered <= args.connections * runs and "버렸습니다" not in log
    return [
        ("sustained load (s)", f"{loaded:.0f}"),
        ("busy processes beside it", str(args.hogs)),
        ("views answered (wrk)", f"{answered:,}"),
        ("views counted", f"{counted:,}"),
        # wrk stops with requests in flight that the server answered and counted: up to one a
        # connection each run.
        (
            f"views lost (answered - counted; -{args.connections * runs} at most in flight)",
            f"{answered - counted:,}",
        ),
        ("requests failed", f"{errors:,}"),
        ("catching up after the load (s)", f"{caught_up:.0f}"),
        ("server memory at most (MB, RSS)", f"{peak:,.0f}"),
        ("log lines: views dropped", str(log.count("버렸습니다"))),
        ("log lines: store busy", str(log.count("database is locked"))),
        ("every view counted once", "yes" if exact else "NO"),
    ], exact


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=20000)
    # Short rounds on many pairs of servers: on a shared 2-core machine one round's page rate
    # swings by a fifth either way, and a server keeps its own luck for its life (decision 0020,
    # revisions 5 and 6); the session is the unit of the interval.
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--beacon-sessions", type=int, default=1)
    # A round need not span the worker's tick: after each counted round the bench waits until
    # the counting process has counted that round's views (``_counted_so_far``).
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--beacon-port", type=int, default=8111)
    parser.add_argument("--beacon-var", required=True, help="the beacon server's var folder")
    parser.add_argument(
        "--control",
        action="store_true",
        help="the 'counted' server counts nothing either: the ratio two alike servers give",
    )
    parser.add_argument("--redis", default=os.environ.get("SINMUN_TEST_REDIS_URL", ""))
    parser.add_argument(
        "--sustained",
        type=int,
        default=0,
        help="instead: saturate the counted server this many seconds and check every view",
    )
    parser.add_argument(
        "--hogs", type=int, default=0, help="with --sustained: busy processes beside the load"
    )
    parser.add_argument("--page", required=True)
    parser.add_argument("--public-id", required=True)
    args = parser.parse_args()
    _setup_django()
    from sinmun.newsroom import selectors

    public_ids = list(selectors.published_articles().values_list("public_id", flat=True)[:50])
    lines = [("machine load (1 min) at start", f"{os.getloadavg()[0]:.2f}")]
    exact = True
    if args.sustained:
        found, exact = sustained(args, args.page, args.public_id)
        lines += found
    else:
        lines += [(k, f"{v:,.0f}") for k, v in counting_throughput(args, public_ids)]
        lines += http_rounds(args, args.page, args.public_id)
    width = max(len(k) for k, _ in lines)
    print(f"\n== audience benchmark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}) ==")
    for key, value in lines:
        print(f"{key:<{width}}  {value}")
    if not exact:
        sys.exit("views were lost or counted twice")


if __name__ == "__main__":
    main()
