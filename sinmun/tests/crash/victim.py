"""The process the crash tests kill: one operation of the real code, stopped at a known point.

Run as ``python -m sinmun.tests.crash.victim OPERATION [ARGUMENTS] [-- OPERATION …]`` with the
site's ``SINMUN_VAR_DIR`` (and ``SINMUN_DATABASE_URL`` on PostgreSQL). ``CRASH_PAUSE`` makes it stop
in the middle and wait to be killed, printing ``PAUSED`` first so the test knows when:

- ``sql:REGEX:N`` — right after the N-th SQL statement matching REGEX has run (inside the
  operation's transaction, so it has written part of what it means to write);
- ``after:MODULE:FUNCTION`` — right after that function returns (e.g. the restore's unpacking,
  before anything is put into place);
- ``pg_restore`` — while the restore's ``pg_restore`` child is started and stopped (SIGSTOP)
  before it has written anything; ``PAUSED <pid>`` names the child.

Nothing here is a hook in the product: the pause comes from a database execute wrapper and a
patched function in this process only. ``report`` reads the site back (integrity, rows, pages)
and prints JSON for the test's assertions.
"""

import importlib
import json
import os
import re
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import django

PAUSED = "PAUSED"
HEADLINE = "크래시 점검 기사"
DESK_USER = "crashdesk"


def _pause() -> None:
    print(PAUSED, flush=True)
    time.sleep(3600)


def _pause_after_sql(pattern: str, count: int) -> None:
    from django.db import connection

    seen = 0
    wanted = re.compile(pattern)

    def wrapper(execute, sql, params, many, context):
        nonlocal seen
        result = execute(sql, params, many, context)
        if wanted.search(sql):
            seen += 1
            if seen >= count:
                _pause()
        return result

    connection.execute_wrappers.append(wrapper)


def _pause_after_call(module_name: str, function: str) -> None:
    module = importlib.import_module(module_name)
    original = getattr(module, function)

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        _pause()
        return result

    setattr(module, function, wrapper)


def _pause_in_pg_restore() -> None:
    """Run ``pg_restore`` through a script that stops itself first; say so once it has."""
    from sinmun.backup import databases

    script = Path.cwd() / "stopped-pg_restore"
    script.write_text(f'#!/bin/sh\nkill -STOP $$\nexec {databases.PG_RESTORE} "$@"\n')
    script.chmod(0o700)
    databases.PG_RESTORE = str(script)

    def watch() -> None:
        me = str(os.getpid())
        while True:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if fields[1] == me and fields[0] == "T":
                    print(f"{PAUSED} {stat.parent.name}", flush=True)
                    return
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()


def _arm() -> None:
    spec = os.environ.get("CRASH_PAUSE", "")
    if spec.startswith("sql:"):
        pattern, count = spec[4:].rsplit(":", 1)
        _pause_after_sql(pattern, int(count))
    elif spec.startswith("after:"):
        module_name, function = spec[6:].split(":")
        _pause_after_call(module_name, function)
    elif spec == "pg_restore":
        _pause_in_pg_restore()


def setup(archive: str) -> None:
    """Build a small site: a 데스크 account, a submitted and a published article, a backup."""
    from django.contrib.auth.models import Group, User
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from sinmun.newsroom import actors, roles, services

    roles.ensure_groups()
    desk = User.objects.create_user(DESK_USER, password="crash-desk-password-1")
    desk.groups.add(Group.objects.get(name="데스크"))
    section = services.section_create(by=actors.DEMO, name="사회", slug="society")
    reporter = services.reporter_create(by=actors.DEMO, name="한결기", slug="han-gyeolgi")
    fields = {
        "subheadlines": ["점검용 부제"],
        "body": "<p>크래시 점검을 위한 본문이다.</p>",
        "section": section,
        "reporters": [reporter],
        "keywords": ["점검"],
    }
    for state in ("submitted", "published", "scheduled"):
        article = services.article_create(by=desk, headline=f"{HEADLINE} {state}", **fields)
        if state == "published":
            services.article_publish(article=article, by=desk)
        else:
            services.article_submit(article=article, by=desk)
    default_storage.save("crash/note.txt", _content("백업에 들어갈 미디어 파일"))
    call_command("backup", archive, verbosity=0)


def _content(text: str):
    from django.core.files.base import ContentFile

    return ContentFile(text.encode())


def _article(state: str):
    from sinmun.newsroom.models import Article

    return Article.objects.get(headline=f"{HEADLINE} {state}")


def _desk():
    from django.contrib.auth.models import User

    return User.objects.get(username=DESK_USER)


def publish() -> None:
    from sinmun.newsroom import services

    services.article_publish(article=_article("submitted"), by=_desk())


def schedule(seconds: str) -> None:
    from django.utils import timezone

    from sinmun.newsroom import services

    at = timezone.now() + timedelta(seconds=float(seconds))
    services.article_publish(article=_article("scheduled"), by=_desk(), at=at)
    print(at.isoformat(), flush=True)


def report() -> None:
    """Print the state the tests assert on; read before anything writes."""
    from django.db import connection
    from django.db.models import Q
    from django.test import Client

    from sinmun.newsroom import selectors
    from sinmun.newsroom.models import (
        Article,
        ArticleRevision,
        Keyword,
        Reporter,
        Section,
        SweepMark,
    )

    found: dict[str, object] = {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            found["integrity"] = cursor.execute("PRAGMA integrity_check").fetchall()
    crashed = Q(uri__startswith="urn:crash:")
    found["imported"] = Article.objects.filter(crashed).count()
    found["imported_revisions"] = ArticleRevision.objects.filter(
        article__in=Article.objects.filter(crashed)
    ).count()
    found["import_reporters"] = Reporter.objects.filter(name="최붕괴").count()
    found["import_sections"] = Section.objects.filter(slug="crash-wire").count()
    found["import_keywords"] = Keyword.objects.filter(name="붕괴점검").count()
    found["articles"] = {}
    for article in Article.objects.filter(headline__startswith=HEADLINE):
        found["articles"][article.headline.removeprefix(f"{HEADLINE} ")] = {
            "status": article.status,
            "version": article.version,
            "first_published_at": article.first_published_at
            and article.first_published_at.isoformat(),
            "revisions": list(article.revisions.order_by("pk").values_list("action", flat=True)),
            "public": selectors.published_articles().filter(pk=article.pk).exists(),
            "path": article.get_absolute_url(),
        }
    mark = SweepMark.objects.filter(name="embargoes").first()
    found["embargo_mark"] = mark and mark.at.isoformat()
    client = Client()
    pages = {"/": client.get("/")}
    for article in found["articles"].values():
        if article["public"]:
            pages[article["path"]] = client.get(article["path"])
    found["pages"] = {path: answer.status_code for path, answer in pages.items()}
    found["home"] = pages["/"].content.decode()
    print(json.dumps(found, ensure_ascii=False))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings")
    django.setup()
    from django.core.management import call_command

    _arm()
    # Steps separated by "--" run one after the other in this process: a retry and the report
    # after it cost one start of Django instead of two.
    steps = " ".join(sys.argv[1:]).split(" -- ")
    for step in steps:
        operation, *arguments = step.split()
        if operation == "setup":
            setup(*arguments)
        elif operation == "import":
            call_command("import_ninjs", *arguments)
        elif operation == "publish":
            publish()
        elif operation == "schedule":
            schedule(*arguments)
        elif operation == "restore":
            call_command("restore", *arguments)
        elif operation == "report":
            report()
        else:
            raise SystemExit(f"unknown operation {operation}")


if __name__ == "__main__":
    main()
