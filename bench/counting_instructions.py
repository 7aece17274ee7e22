"""Instructions the counting process spends on a view, counted exactly (``make
bench-audience-instructions``); prints the number for one tree or for two side by side.

The HTTP benchmark's ratios move by several percent from run to run on a shared 2-core machine
(decision 0020, revision 5); a change to the counting process worth a tenth of its CPU is lost
in them. Valgrind's callgrind counts instructions, which repeat to the unit for the same code
and inputs whatever else the machine runs. This runs what ``sinmun serve``'s counting process
runs for views handed over by the web processes (``handover.unpack``, then
``pageviews.count_handed_over``: judge, hash, the 30-minute dedup, the store's transaction) on
``--views`` never-seen readers (each a User-Agent of its own, as the HTTP benchmark asks), once
with none and once with the views: the difference over the views is the cost of a view, Django's
start and the views' making cancelling out.

``--base <folder>`` runs the same on another checkout of Sinmun (``git worktree add``) first:
its code is imported from there (``PYTHONPATH``), this one's virtualenv runs both.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(root: str, views: int) -> None:
    """Count ``views`` views as the counting process does (run under callgrind)."""
    import datetime

    sys.path.insert(0, root)
    sys.path.insert(0, f"{root}/bench")
    os.environ["SINMUN_VAR_DIR"] = tempfile.mkdtemp()
    import audience_bench

    audience_bench._setup_django()
    from sinmun.audience import counting, handover, pageviews
    from sinmun.audience import store as stores

    now = 1_765_000_000.0  # a fixed clock: the same day, buckets and windows every run
    store = stores.EmbeddedStore(Path(os.environ["SINMUN_VAR_DIR"]) / "audience.sqlite3")
    store.salt(counting.day_of(datetime.datetime.fromtimestamp(now, datetime.UTC)))
    made = 40_000
    raw = [
        pageviews.raw_view(f"abcd{i % 50:04d}", {
            "REMOTE_ADDR": "203.0.113.10", "HTTP_USER_AGENT": f"{audience_bench.CHROME} hand-{i}",
            "HTTP_REFERER": "https://m.search.naver.com/search.naver", "HTTP_HOST": "127.0.0.1",
        }, now + i * 1e-4)
        for i in range(made)
    ]  # fmt: skip
    step = handover.VIEWS_A_DATAGRAM
    datagrams = [handover.pack(raw[at : at + step]) for at in range(0, made, step)]
    del raw
    counted = 0
    # A transaction per 100 datagrams (20,000 views), as the counting process's second at most.
    for at in range(0, views // step, 100):
        lot = datagrams[at : at + 100]
        received = [view for datagram in lot for view in handover.unpack(datagram)]
        counted += pageviews.count_handed_over(received, store=store)
    if counted != views:
        sys.exit(f"counted {counted} of {views}")


def instructions(root: str, views: int) -> int:
    """Return the instructions a run of ``child`` with ``views`` views takes (callgrind)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        env = dict(os.environ, PYTHONPATH=root, PYTHONHASHSEED="0")
        valgrind = shutil.which("valgrind") or sys.exit("valgrind is missing: apt install valgrind")
        subprocess.run(  # noqa: S603 (fixed arguments)
            [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             __file__, "--child", root, "--views", str(views)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        for line in out.read_text().splitlines():
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError("callgrind wrote no total")


def per_view(root: str, views: int) -> float:
    return (instructions(root, views) - instructions(root, 0)) / views


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=20_000)
    parser.add_argument("--base", help="another checkout to count first, for a ratio")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.views)
        return
    if args.views % 200 or not 0 < args.views <= 40_000:
        sys.exit("--views: a multiple of 200, at most 40,000")
    here = str(HERE.parent)
    print(f"counting process, instructions a never-seen reader's view ({args.views:,} views):")
    mine = per_view(here, args.views)
    if args.base:
        base = per_view(str(Path(args.base).resolve()), args.views)
        print(f"  {args.base}: {base:,.0f}")
        print(f"  this tree: {mine:,.0f} ({mine / base:.3f}x)")
    else:
        print(f"  this tree: {mine:,.0f}")


if __name__ == "__main__":
    main()
