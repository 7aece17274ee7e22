"""``make bench``: the reader's pages under load, side by side with the peers, in one run.

Serves the demo newsroom the way ``make run`` ships it (``sinmun serve``: granian, one web
process per core, the page cache on, the background worker beside it) and, on other ports, the
same site with the page cache off (every request renders), the same site under gunicorn (the
server not chosen, docs/decisions/0017), the Wagtail peer and nginx serving the very bytes of
Sinmun's article page (../shared/bench). Each comparison runs ``../shared/bench/compare``
(wrk, alternating rounds, so a slow moment of the machine hits both sides) and the summary
quotes its medians and ratios. Then reads RSS, PSS and private memory of every process of the
``make run`` set-up after the load. Prints a Markdown table (also written to var/bench.md).

Environment: ROUNDS (2), SECONDS_EACH (5), SINMUN_BENCH_PEERS (../shared/bench),
SINMUN_SITE_BENCH_VAR (/tmp/sinmun-site-bench), SINMUN_SITE_BENCH_PORT (8120).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PEERS = Path(os.environ.get("SINMUN_BENCH_PEERS", ROOT.parent / "shared" / "bench")).resolve()
VAR = Path(os.environ.get("SINMUN_SITE_BENCH_VAR", "/tmp/sinmun-site-bench"))  # noqa: S108
PORT = int(os.environ.get("SINMUN_SITE_BENCH_PORT", "8120"))
ROUNDS = os.environ.get("ROUNDS", "2")
SECONDS_EACH = os.environ.get("SECONDS_EACH", "5")
SEARCH = "/search/?q=%EC%A0%95%EB%B6%80+%EC%A7%80%EC%9B%90"  # 정부 지원

ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith(("SINMUN_", "DJANGO_"))},
    "SINMUN_VAR_DIR": str(VAR),
    "SINMUN_DEBUG": "0",
    "SINMUN_LOG_LEVEL": "WARNING",
}
started: list[subprocess.Popen] = []


def sinmun(*args, env=None, **kwargs):
    return subprocess.run([BIN / "sinmun", *args], env=env or ENV, check=True, **kwargs)  # noqa: S603


def start(argv, env=None) -> subprocess.Popen:
    log = open(VAR / f"bench-{len(started)}.log", "w")
    process = subprocess.Popen(argv, env=env or ENV, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    started.append(process)
    return process


def wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback only
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"{url} did not answer 200 within {seconds}s (logs in {VAR})")


def stop_all() -> None:
    for process in reversed(started):
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    subprocess.run([PEERS / "nginx-limit" / "stop"], capture_output=True)  # noqa: S603
    subprocess.run([PEERS / "peer-wagtail" / "stop"], capture_output=True)  # noqa: S603


def compare(label_a, url_a, label_b, url_b, connections=16):
    """Run ../shared/bench/compare; return {label: (req/s, p50, p99)} and the A/B ratio."""
    argv = [
        PEERS / "compare", "--label", label_a, url_a, "--label", label_b, url_b,
        "--rounds", ROUNDS, "--seconds", SECONDS_EACH, "--connections", str(connections),
    ]  # fmt: skip
    print(f"\n== {label_a} vs {label_b}, {connections} connections ==", flush=True)
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout  # noqa: S603
    print(out.strip(), flush=True)
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in (label_a, label_b) and len(parts) > 4:
            rows[parts[0]] = (float(parts[1]), float(parts[2]), float(parts[3]))
    ratio = float(re.search(r"req/s: ([\d.e+]+)", out).group(1))
    return rows, ratio


def memory(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":")
        fields[name] = int(value.split()[0]) / 1024
    return {
        "rss": fields["Rss"],
        "pss": fields["Pss"],
        "private": fields["Private_Clean"] + fields["Private_Dirty"],
    }


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(p) for p in text)
    return found


def main() -> None:
    if not (PEERS / "compare").exists():
        sys.exit(f"peers not found at {PEERS} (set SINMUN_BENCH_PEERS)")
    VAR.mkdir(parents=True, exist_ok=True)
    sinmun("migrate", "-v0", "--noinput")
    sinmun("collectstatic", "-v0", "--noinput")  # as `make run` does (hashed, gzipped assets)
    sinmun("demo", stdout=subprocess.DEVNULL)
    sinmun("reindex", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    paths = (
        subprocess.run(  # noqa: S603
            [BIN / "sinmun", "shell", "-c", "from sinmun.newsroom import selectors as s; "
             "print(s.top_story().get_absolute_url()); "
             "print(s.navigation()[0].section.get_absolute_url())"],
            env=ENV, capture_output=True, text=True, check=True,
        ).stdout.split()
    )  # fmt: skip
    article, section = paths[-2], paths[-1]
    try:
        run(article, section)
    finally:
        stop_all()


def run(article: str, section: str) -> None:
    base = f"http://127.0.0.1:{PORT}"
    render = f"http://127.0.0.1:{PORT + 1}"
    gunicorn = f"http://127.0.0.1:{PORT + 2}"
    gunicorn_render = f"http://127.0.0.1:{PORT + 3}"
    # As `make run` ships it: the web processes and the background worker, one command.
    web = start([BIN / "sinmun", "serve", "--bind", f"127.0.0.1:{PORT}"])
    start(
        [BIN / "sinmun", "serve", "--bind", f"127.0.0.1:{PORT + 1}", "--no-worker"],
        env={**ENV, "SINMUN_PAGE_CACHE_SECONDS": "0"},
    )
    gunicorn_argv = [
        BIN / "gunicorn", "sinmun.wsgi:application", "--workers", str(os.cpu_count() or 1),
        "--no-control-socket", "--preload",
    ]  # fmt: skip
    if not (BIN / "gunicorn").exists():
        sys.exit("gunicorn missing: `make bench` installs it (pip install -e '.[bench]')")
    start([*gunicorn_argv, "--bind", f"127.0.0.1:{PORT + 2}"])
    start(
        [*gunicorn_argv, "--bind", f"127.0.0.1:{PORT + 3}"],
        env={**ENV, "SINMUN_PAGE_CACHE_SECONDS": "0"},
    )
    for url in (base, render, gunicorn, gunicorn_render):
        wait_for(url + article)

    subprocess.run([PEERS / "peer-wagtail" / "setup"], capture_output=True, check=True)  # noqa: S603
    # One peer per machine: stop one a previous run (or anyone) left running.
    subprocess.run([PEERS / "peer-wagtail" / "stop"], capture_output=True)  # noqa: S603
    subprocess.run([PEERS / "nginx-limit" / "stop"], capture_output=True)  # noqa: S603
    peer_path = subprocess.run(  # noqa: S603
        [PEERS / "peer-wagtail" / "serve"], capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    wagtail = "http://127.0.0.1:8101" + peer_path
    page = VAR / "article.html"
    with urllib.request.urlopen(base + article) as answer:  # noqa: S310 - loopback only
        page.write_bytes(answer.read())
    nginx = subprocess.run(  # noqa: S603
        [PEERS / "nginx-limit" / "serve", page], capture_output=True, text=True, check=True
    ).stdout.split()[-1]

    results = []

    def row(page_name, conns, rows, ratio, a, b, goal=""):
        results.append((page_name, conns, a, rows[a], b, rows[b], ratio, goal))

    for conns in (16, 64):
        rows, ratio = compare("hit", base + article, "nginx", nginx, conns)
        row("article", conns, rows, ratio, "hit", "nginx", "hit ≥ 0.5× nginx")
        rows, ratio = compare("render", render + article, "wagtail", wagtail, conns)
        row("article", conns, rows, ratio, "render", "wagtail", "render ≥ 10× Wagtail")
    for name, path in (("home", "/"), ("section", section), ("search", SEARCH)):
        for conns in (16, 64):
            rows, ratio = compare("hit", base + path, "render", render + path, conns)
            row(name, conns, rows, ratio, "hit", "render")
    rows, ratio = compare("granian", base + article, "gunicorn", gunicorn + article)
    row("article, server (hit)", 16, rows, ratio, "granian", "gunicorn")
    rows, ratio = compare("granian", render + article, "gunicorn", gunicorn_render + article)
    row("article, server (render)", 16, rows, ratio, "granian", "gunicorn")

    worker_pid = int((VAR / "worker.pid").read_text())
    processes = [("server (loads, forks, waits)", web.pid)]
    for pid in children(web.pid):
        if worker_pid in children(pid):
            processes.append(("worker keeper", pid))
            processes.append(("background worker", worker_pid))
            # The worker forks the process that counts readers' views (audience/handover.py).
            processes += [("view counting (forked by the worker)", c) for c in children(worker_pid)]
        else:
            processes.append(("web worker", pid))
    report(results, [(name, pid, memory(pid)) for name, pid in processes])


def report(results, mem) -> None:
    lines = [
        f"`make bench` — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
        f"wrk rounds={ROUNDS} × {SECONDS_EACH}s, ../shared/bench/compare",
        "",
        "| page | conns | A | A req/s | A p50 / p99 ms | B | B req/s | B p50 / p99 ms | A/B "
        "| goal |",
        "|---|---:|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for page_name, conns, a, ra, b, rb, ratio, goal in results:
        lines.append(
            f"| {page_name} | {conns} | {a} | {ra[0]:,.0f} | {ra[1]:.1f} / {ra[2]:.1f} | {b} | "
            f"{rb[0]:,.0f} | {rb[1]:.1f} / {rb[2]:.1f} | **{ratio:.3g}** | {goal} |"
        )
    lines += [
        "",
        "| process (`make run` set-up, after the load) | RSS MB | PSS MB | private MB |",
        "|---|---:|---:|---:|",
    ]
    for name, pid, m in mem:
        lines.append(
            f"| {name} (pid {pid}) | {m['rss']:.0f} | {m['pss']:.0f} | {m['private']:.0f} |"
        )
    lines.append(
        f"| **all** | {sum(m['rss'] for *_, m in mem):.0f} | "
        f"**{sum(m['pss'] for *_, m in mem):.0f}** | {sum(m['private'] for *_, m in mem):.0f} |"
    )
    text = "\n".join(lines)
    print("\n" + text)
    out = ROOT / "var" / "bench.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n")
    print(f"\n(written to {out})")


if __name__ == "__main__":
    if shutil.which("wrk") is None:
        print("wrk is installed by ../shared/bench/compare on first use", file=sys.stderr)
    main()
