"""CPU cost of banners on the article page, measured inside the WSGI application (make bench-ads).

wrk on a shared 2-core machine cannot resolve a few percent (rounds of the same page differ by
tens of percent when other work runs). This measures what the ads add to the server's own work
instead: four long-lived processes — the demo with banners in four slots and the same demo with
none, each with the page cache on (hits) and off (every request renders) — each call the site's
WSGI application (the page-cache front and Django, as `sinmun serve` runs it) with a GET of the
article, and report the CPU time (``time.process_time``) of a batch. Rounds alternate with and
without, so a slow moment of the machine hits both; the result is the median of per-round ratios.

usage: ads_cost.py WITH_DIR WITHOUT_DIR ARTICLE_PATH [ROUNDS] [REQUESTS_PER_BATCH]
"""

import json
import os
import statistics
import subprocess
import sys

CHILD = r"""
import io, json, os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "sinmun.settings"
from sinmun.wsgi import application
path = sys.argv[1]

def environ():
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_ACCEPT_ENCODING": ""}

def get():
    status = []
    body = b"".join(application(environ(), lambda s, h, e=None: status.append(s)))
    assert status[0].startswith("200"), status
    return body

size = len(get())
for _ in range(20):
    get()
print(json.dumps({"ready": size}), flush=True)
for line in sys.stdin:
    n = int(line)
    start = time.process_time()
    for _ in range(n):
        get()
    print(json.dumps({"seconds": time.process_time() - start}), flush=True)
"""


def start(var_dir: str, path: str, cache_seconds: str) -> subprocess.Popen:
    env = dict(os.environ, SINMUN_VAR_DIR=var_dir, SINMUN_PAGE_CACHE_SECONDS=cache_seconds)
    env.pop("SINMUN_DATABASE_URL", None)
    # This file's own child program, run by this Python (no outside input in the command).
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", CHILD, path], env=env, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    child.size = json.loads(child.stdout.readline())["ready"]
    return child


def batch(child: subprocess.Popen, n: int) -> float:
    child.stdin.write(f"{n}\n")
    child.stdin.flush()
    return json.loads(child.stdout.readline())["seconds"] / n


def main() -> None:
    with_dir, without_dir, path = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 31
    per = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    pairs = {
        "hit": (start(with_dir, path, "60"), start(without_dir, path, "60"), per or 1000),
        "render": (start(with_dir, path, "0"), start(without_dir, path, "0"), per or 40),
    }
    try:
        for name, (ads, plain, n) in pairs.items():
            ratios, a_times, b_times = [], [], []
            for r in range(rounds):
                # Alternate which goes first, so neither always follows the other.
                if r % 2:
                    b, a = batch(plain, n), batch(ads, n)
                else:
                    a, b = batch(ads, n), batch(plain, n)
                a_times.append(a)
                b_times.append(b)
                ratios.append(a / b)
            print(
                f"{name:6}  with 4 slots {statistics.median(a_times) * 1e6:8.1f} µs CPU/request"
                f" ({ads.size} bytes)   without {statistics.median(b_times) * 1e6:8.1f} µs"
                f" ({plain.size} bytes)   ratio with/without {statistics.median(ratios):.3f}"
                f"  (rounds: {' '.join(f'{x:.3f}' for x in ratios)}; {n} requests each)"
            )
    finally:
        for ads, plain, _ in pairs.values():
            for child in (ads, plain):
                child.stdin.close()
                child.wait()


if __name__ == "__main__":
    main()
