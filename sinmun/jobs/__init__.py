"""Background work: one queue, one worker process (``sinmun worker``), periodic jobs.

Built on Huey (docs/decisions/0012-shared-state.md says why, and what else was measured): a
SQLite file under ``SINMUN_VAR_DIR`` by default, Redis with ``SINMUN_REDIS_URL``. This package is
a foundation, like ``korean``: the core and the apps define their jobs in their own ``tasks.py``
with the decorators here; this package imports none of them.

Rules every job keeps:
- It carries ids, not objects, and reads the rows when it runs: the rows are the truth.
- It is idempotent: running it twice does what running it once does.
- It may be lost (a killed worker loses the job it was running; Huey does not re-deliver), so
  whatever it does is also found by a periodic sweep that reads the rows (what changed and is
  not yet indexed, what came due). A restarted worker runs the sweeps at once.
- A failure is logged and retried with growing delays (2, 4, 8, 16, 32 s), then logged again.
"""
