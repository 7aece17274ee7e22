"""``sinmun worker``: run queued and periodic jobs until stopped (``make run`` starts it).

SIGTERM or Ctrl-C lets the job under way finish, then stops; a second Ctrl-C stops at once.
"""

import logging
import os

from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

from sinmun.jobs import queue

logger = logging.getLogger("sinmun.jobs")

STARTED = "백그라운드 작업자를 시작합니다 ({storage}, 작업 스레드 {threads}개)."


class Command(BaseCommand):
    help = "백그라운드 작업(검색 색인, 날씨, 예약·엠바고 점검)을 실행합니다. 멈출 때까지 돕니다."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=1, help="동시에 돌릴 작업 수")

    def handle(self, *args, **options):
        # One article at a time needs one analyzer thread; the cores are the web server's.
        # (Batch work — `sinmun reindex` — still uses them all.)
        os.environ.setdefault("SINMUN_ANALYZER_THREADS", "1")
        # Every app declares its jobs in its tasks.py; the worker must know them all.
        autodiscover_modules("tasks")
        huey = queue.huey
        huey.immediate = False
        storage = type(huey.storage).__name__
        self.stdout.write(STARTED.format(storage=storage, threads=options["threads"]))
        self.stdout.flush()
        consumer = queue.WorkerConsumer(
            huey,
            workers=options["threads"],
            worker_type="thread",
            periodic=True,
            # Poll an idle SQLite queue at least twice a second: a saved article must be
            # searchable within seconds (Redis blocks on the list instead of polling).
            initial_delay=0.1,
            backoff=1.15,
            max_delay=0.5,
            scheduler_interval=1,
            # A worker killed while a periodic job held its lock must not block it forever.
            flush_locks=True,
            graceful_signal="TERM",
        )
        for task in queue.start_jobs():
            huey.enqueue(task.s())
        watcher = queue.DueWatcher()
        watcher.start()
        try:
            consumer.run()
        finally:
            watcher.stopping.set()
