"""``sinmun serve``: run the site under gunicorn (the same server a production box uses)."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "사이트를 실행합니다 (gunicorn). 예: sinmun serve --bind 127.0.0.1:8000 --workers 2"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("SINMUN_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("SINMUN_WORKERS", "2"))
        )

    def handle(self, *args, **options):
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
            "gunicorn"
        )
        if gunicorn is None:
            raise CommandError("gunicorn을 찾을 수 없습니다. `make install`을 먼저 실행하세요.")
        bind = options["bind"]
        self.stdout.write(f"사이트: http://{bind}/  (데스크: http://{bind}/desk/)")
        accounts = settings.VAR_DIR / "demo-accounts"
        if accounts.exists():
            logins = ", ".join(line for line in accounts.read_text().splitlines() if line)
            self.stdout.write(f"데모 데스크 로그인 (아이디 비밀번호): {logins}")
        self.stdout.flush()
        argv = [
            gunicorn,
            "sinmun.wsgi:application",
            "--bind", bind,
            "--workers", str(options["workers"]),
            "--access-logfile", "-",
            "--env", f"SINMUN_VAR_DIR={settings.VAR_DIR}",
            "--preload",
            "--config", "python:sinmun.gunicorn_config",
        ]  # fmt: skip
        # Load the Korean analyzer in the master, single-threaded, so forked workers share it.
        os.environ["SINMUN_PRELOAD_ANALYZER"] = "1"
        os.environ.setdefault("SINMUN_ANALYZER_THREADS", "1")
        os.execv(gunicorn, argv)  # noqa: S606 - replaces this process with the server by design
