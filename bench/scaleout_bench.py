"""``make bench-scaleout``: two app processes on PostgreSQL + Redis; a publish seen by both.

Starts two ``sinmun serve`` instances (as two app boxes would run them: separate ports, the
same PostgreSQL database and Redis) and the background worker, loads both with wrk on the
article page, and meanwhile changes that article's headline from a third process (the command
line, as the desk or an import would). Reports how long until *every* instance answers the new
headline (several answers in a row), and the requests/s each instance served during the load.
The promise being measured: a change is on every page of every process within 1 s.

Environment: SINMUN_BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/sinmun_scaleout),
SINMUN_BENCH_REDIS_URL (redis://127.0.0.1:6379/12), SINMUN_SCALEOUT_VAR (/tmp/sinmun-scaleout),
SCALEOUT_PORTS ("8131 8132"), TRIES (5).
"""

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
VAR = Path(os.environ.get("SINMUN_SCALEOUT_VAR", "/tmp/sinmun-scaleout"))  # noqa: S108
PG = os.environ.get(
    "SINMUN_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sinmun_scaleout"
)
REDIS = os.environ.get("SINMUN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
PORTS = tuple(int(p) for p in os.environ.get("SCALEOUT_PORTS", "8131 8132").split())
TRIES = int(os.environ.get("TRIES", "5"))
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith(("SINMUN_", "DJANGO_"))},
    "SINMUN_VAR_DIR": str(VAR),
    "SINMUN_DATABASE_URL": PG,
    "SINMUN_REDIS_URL": REDIS,
    "SINMUN_DEBUG": "0",
    "SINMUN_LOG_LEVEL": "WARNING",
}


def sinmun(*args, **kwargs):
    return subprocess.run([BIN / "sinmun", *args], env=ENV, check=True, **kwargs)  # noqa: S603


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback only
        return answer.read().decode()


def ensure_database() -> None:
    import psycopg

    base, _, name = PG.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    ensure_database()
    sinmun("migrate", "-v0", "--noinput")
    sinmun("demo", stdout=subprocess.DEVNULL)
    public_id = (
        subprocess.run(  # noqa: S603
            [BIN / "sinmun", "shell", "-c",
             "from sinmun.newsroom import selectors; print(selectors.top_story().public_id)"],
            env=ENV, capture_output=True, text=True, check=True,
        ).stdout.split()[-1]
    )  # fmt: skip
    path = f"/article/{public_id}/"
    logs = [open(VAR / f"serve-{port}.log", "w") for port in PORTS]
    servers = [
        subprocess.Popen(  # noqa: S603
            # As the README's scale-out set-up runs app boxes: web only, one `sinmun worker` below.
            [BIN / "sinmun", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--no-worker"],
            env=ENV, stdout=log, stderr=subprocess.STDOUT,
        )
        for port, log in zip(PORTS, logs, strict=True)
    ]  # fmt: skip
    worker = subprocess.Popen([BIN / "sinmun", "worker"], env=ENV, stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        for port in PORTS:
            for _ in range(360):
                try:
                    get(f"http://127.0.0.1:{port}{path}")
                    break
                except OSError:
                    time.sleep(0.5)
        run(public_id, path)
    finally:
        for process in (*servers, worker):
            process.terminate()
        for process in (*servers, worker):
            process.wait(timeout=30)


def ask(url: str, headline: str, answers: list[tuple[float, bool]], stop) -> None:
    """Ask ``url`` every 10 ms until ``stop``; note when each answer came and whether it showed
    ``headline``."""
    while not stop.is_set():
        fresh = headline in get(url)
        answers.append((time.monotonic(), fresh))
        stop.wait(0.01)


def run(public_id: str, path: str) -> None:
    urls = [f"http://127.0.0.1:{port}{path}" for port in PORTS]
    # Warm up: first renders, and the worker's first jobs after the demo, are not the steady state.
    for url in urls:
        subprocess.run(["wrk", "-t1", "-c8", "-d5s", url], capture_output=True)  # noqa: S603, S607
    time.sleep(20)
    seen = []
    for attempt in range(TRIES):
        # Long enough to outlast the change's process starting (seconds under this load) and
        # the answers that follow it.
        loads = [
            subprocess.Popen(  # noqa: S603
                ["wrk", "-t1", "-c8", "-d15s", url],  # noqa: S607 - wrk from Debian, on PATH
                stdout=subprocess.PIPE,
                text=True,
            )
            for url in urls
        ]
        time.sleep(2)
        headline = f"확장 시험 제목 {attempt} {time.time_ns()}"
        code = (
            "from sinmun.newsroom import actors, services; "
            "from sinmun.newsroom.models import Article; "
            f"a = Article.objects.get(public_id={public_id!r}); "
            f"services.article_update(article=a, by=actors.DEMO, headline={headline!r}); "
            "import time; print('COMMITTED', time.time(), flush=True)"
        )
        # Each instance is asked from its own thread, every 10 ms, from before the change until
        # the end: waiting for the change's process to exit first (0.5–2 s under this load) put
        # that exit into what was measured.
        answers: dict[str, list[tuple[float, bool]]] = {url: [] for url in urls}
        stop = threading.Event()
        askers = [
            threading.Thread(target=ask, args=(url, headline, answers[url], stop)) for url in urls
        ]
        for asker in askers:
            asker.start()
        out = subprocess.run(  # noqa: S603
            [BIN / "sinmun", "shell", "-c", code],
            env=ENV,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        # The wall clock right after the commit, from the process that made it.
        committed_at = float(out.split("COMMITTED")[-1].split()[0])
        committed = time.monotonic() - (time.time() - committed_at)
        # Until every instance answered the new headline 5 times in a row (10 s at most).
        while time.monotonic() - committed < 10 and not all(
            len(a) >= 5 and all(fresh for _, fresh in a[-5:]) for a in answers.values()
        ):
            time.sleep(0.05)
        stop.set()
        for asker in askers:
            asker.join()
        # For each instance, when the answers began to show the change, every one after too
        # (when a reader got it: the question may have waited behind the new page's render).
        since = []
        for url in urls:
            stale = [i for i, (_, fresh) in enumerate(answers[url]) if not fresh]
            after = stale[-1] + 1 if stale else 0
            since.append(answers[url][after][0] if after < len(answers[url]) else float("inf"))
        elapsed = max(since) - committed
        seen.append(elapsed)
        rates = []
        for load in loads:
            out = load.communicate()[0]
            rate = next(
                (line.split()[1] for line in out.splitlines() if "Requests/sec" in line), "?"
            )
            rates.append(rate)
        print(
            f"try {attempt + 1}: every instance showed the new headline from "
            f"{elapsed * 1000:.0f} ms after the commit on (every answer after it too); "
            f"load req/s per instance: {rates}",
            flush=True,
        )
    print(
        f"\nworst {max(seen) * 1000:.0f} ms, median {sorted(seen)[len(seen) // 2] * 1000:.0f} ms "
        f"over {TRIES} tries (goal: within 1,000 ms)"
    )


if __name__ == "__main__":
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:  # noqa: S607
        sys.exit("wrk missing: `make bench` installs it through ../shared/bench/compare")
    main()
