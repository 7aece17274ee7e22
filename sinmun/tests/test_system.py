"""The site as ``make run`` starts it — granian with two web processes, the preloaded analyzer, the
background worker — driven from outside like a newsroom and its readers drive it.

This is the smoke test of the path users take, and the test of the core's promise that a
change made by any process (the command line, the worker) is on every page within 1 s with
the page cache on, and searchable within 5 s. It runs on the embedded default (SQLite, files
under the var folder) and on Redis; on the PostgreSQL leg of ``make test`` the database is a
fresh PostgreSQL database.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.conf import settings

from sinmun.audience.pageviews import HOLD_SECONDS

SINMUN = Path(sys.executable).parent / "sinmun"
SNAPSHOT = Path(settings.PACKAGE_DIR) / "weather" / "fixtures" / "snapshot_kma_sfctm2.txt"
KST = ZoneInfo("Asia/Seoul")
# The site it starts reads the configured database: run on the PostgreSQL pass too.
# One xdist worker runs the whole module: split across two, each booted its own site (~15 s).
pytestmark = [pytest.mark.database, pytest.mark.heavy, pytest.mark.xdist_group("system")]
BOOT_SECONDS = 120
PAGE_SECONDS = 1.0
SEARCH_SECONDS = 5.0

# The results count, not the headline: a search that finds nothing lists the latest articles.
FOUND_NONE = '<span class="count">0건</span>'
FOUND_ONE = '<span class="count">1건</span>'
REDIS_MISSING = "SINMUN_TEST_REDIS_URL is not set: `make test` sets it when 127.0.0.1:6379 answers"


def _parents() -> dict[int, int]:
    """Return every live process's parent, {pid: ppid}, from one look at /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    return parents


def _children(pid: int, parents: dict[int, int] | None = None) -> list[int]:
    return [child for child, parent in (parents or _parents()).items() if parent == pid]


def _descendants(root: int) -> list[int]:
    parents = _parents()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(_children(pid, parents))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _threads_of(pid: int) -> str:
    """Say what process ``pid``'s threads are doing (the kernel's view), then ask it for its
    Python stacks (SIGUSR1), which a web process writes to its log."""
    lines = [f"still running 11 s after the stop: {pid}"]
    for task in sorted(Path(f"/proc/{pid}/task").glob("*")):
        with contextlib.suppress(OSError):
            status = dict(
                line.split(":\t", 1)
                for line in (task / "status").read_text().splitlines()
                if ":\t" in line
            )
            wchan = (task / "wchan").read_text()
            lines.append(
                f"  {task.name} {status.get('Name')} {status.get('State')} wchan={wchan}"
                f" blocked={status.get('SigBlk')} pending={status.get('SigPnd')}"
                f" shared-pending={status.get('ShdPnd')}"
            )
    # Last: a process that set no handler for it (all but the web processes) ends on it.
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGUSR1)
        time.sleep(0.5)
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _item(uri: str, headline: str, word: str, *, minutes_ago: float = 5) -> dict:
    return {
        "uri": uri,
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [
            {
                "contenttype": "text/html",
                "value": f"<p>{word} 사업단이 새 계획을 내놓았다.</p><p>다음 달부터 시행한다.</p>",
            }
        ],
        "by": "김민준",
        "subjects": [{"name": "경제", "rel": "section"}, {"name": word, "rel": "keyword"}],
        "firstcreated": (datetime.now(KST) - timedelta(minutes=minutes_ago)).isoformat(),
        "pubstatus": "usable",
    }


def _observations_now(path: Path, seoul: str) -> Path:
    """Write the recorded KMA answer with this hour's time and 서울 (108) at ``seoul`` ℃."""
    hour = datetime.now(KST).replace(minute=0, second=0, microsecond=0).strftime("%Y%m%d%H%M")
    lines = []
    for line in SNAPSHOT.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\d{12} ", line):
            line = hour + line[12:]
            fields = line.split()
            if fields[1] == "108":
                # TA is column 11; keep the fixed-width layout by replacing the value in place.
                old = fields[11]
                start = line.index(f" {old} ", len(" ".join(fields[:11]))) + 1
                line = line[:start] + seoul.rjust(len(old)) + line[start + len(old) :]
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Site:
    """A running site: ``sinmun serve`` (2 web processes and the background worker it forks)."""

    def __init__(self, var_dir: Path, env: dict[str, str]):
        self.var_dir, self.env = var_dir, env
        self.port = _free_port()
        self.processes: list[subprocess.Popen] = []
        self.stuck: list[str] = []

    def sinmun(self, *args: str) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603 - our own command and arguments
            [str(SINMUN), *args],
            cwd=self.var_dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def start(self, *args: str) -> subprocess.Popen:
        log = open(self.var_dir / f"{args[0]}.log", "ab")
        process = subprocess.Popen(  # noqa: S603 - our own command and arguments
            [str(SINMUN), *args],
            cwd=self.var_dir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def get(self, path: str) -> tuple[int, str, str]:
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            # Generous: on CI the other test process may be booting a site of its own (three
            # processes loading the analyzer's model on two cores).
            with urllib.request.urlopen(url, timeout=30) as response:
                return (
                    response.status,
                    response.read().decode(),
                    response.headers.get("X-Page-Cache", ""),
                )
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), ""

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + BOOT_SECONDS
        while time.monotonic() < deadline:
            try:
                if self.get("/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail("the site did not answer in time:\n" + self.logs())

    def logs(self, tail: int = 3000) -> str:
        return "\n".join(p.read_text(errors="replace")[-tail:] for p in self.var_dir.glob("*.log"))

    def stop(self) -> None:
        family = [pid for process in self.processes for pid in _descendants(process.pid)]
        for process in self.processes:
            if process.poll() is None:
                # The hardest order: the server's main process takes the group's signal last
                # (a busy box can schedule it so). Its web processes must wait for its word:
                # one that left first was taken for a crash and forked again (the CI failure).
                os.kill(process.pid, signal.SIGSTOP)
                os.killpg(process.pid, signal.SIGTERM)
                time.sleep(1)
                os.kill(process.pid, signal.SIGCONT)
        # A process still running 11 s later (granian kills a web process at 15 s) is asked
        # for its threads' stacks (SIGUSR1: faulthandler, serve._in_web_process) and its
        # threads' state is kept: a CI run saw one such stop, with nothing to tell why.
        deadline = time.monotonic() + 11
        while time.monotonic() < deadline and any(_alive(pid) for pid in family):
            time.sleep(0.2)
        self.stuck = [_threads_of(pid) for pid in family if _alive(pid)]
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def database_url():
    """Return the database the site runs on: SQLite in its var folder, or a fresh PostgreSQL."""
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        yield ""
        return
    base = settings.DATABASES["default"]
    name = f"sinmun_system_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(
        host=base["HOST"], port=base["PORT"] or 5432, user=base["USER"], password=base["PASSWORD"],
        dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{base['PASSWORD']}" if base["PASSWORD"] else ""
    yield f"postgres://{base['USER']}{password}@{base['HOST']}:{base['PORT'] or 5432}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _redis_url() -> str:
    """Return a Redis database of this test process's own (xdist runs two at once)."""
    base = os.environ.get("SINMUN_TEST_REDIS_URL", "")
    if not base:
        pytest.fail(REDIS_MISSING)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = 10 + int(worker.removeprefix("gw") or 0) % 5
    url = f"{base.rstrip('/')}/{number}"
    import redis

    redis.Redis.from_url(url).flushdb()
    return url


# The set-ups: the embedded default (files under the var folder) and Redis on the SQLite leg;
# PostgreSQL runs with Redis, as several app boxes do.
SETUPS = (
    ["redis"]
    if os.environ.get("SINMUN_DATABASE_URL", "").startswith("postgres")
    else ["files", "redis"]
)


# One running site per set-up for the whole module (booting costs ~15 s): each test uses words
# of its own, and the one that kills the worker starts a new one.
@pytest.fixture(scope="module", params=SETUPS)
def site(request, tmp_path_factory, database_url):
    tmp_path = tmp_path_factory.mktemp(request.param)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SINMUN_", "DJANGO_"))}
    env.update(
        SINMUN_VAR_DIR=str(tmp_path),
        # As `make run` ships it: pages cached a minute, jobs in the worker.
        SINMUN_PAGE_CACHE_SECONDS="60",
        SINMUN_LOG_LEVEL="WARNING",
    )
    if database_url:
        env["SINMUN_DATABASE_URL"] = database_url
    if request.param == "redis":
        env["SINMUN_REDIS_URL"] = _redis_url()
    running = Site(tmp_path, env)
    running.sinmun("migrate", "--noinput")
    first = tmp_path / "first.json"
    first.write_text(json.dumps(_item("urn:system:1", "새나루시 첫 기사 공개", "바람개비")))
    running.sinmun("import", str(first))
    running.start("serve", "--bind", f"127.0.0.1:{running.port}", "--workers", "2")
    try:
        running.wait_until_serving()
        yield running
    finally:
        running.stop()
    # A stop (SIGTERM to the group, as Ctrl-C or a service manager sends it) ends every process
    # by itself; granian kills a web process still running 15 s later and says so, and calls one
    # that left before it was told to an unexpected exit.
    logs = running.logs(tail=20000)
    for failure in ("refused to gracefully stop", "Unexpected exit"):
        assert failure not in logs, "\n".join([logs, *running.stuck])
    # And every process of the site (the keeper, the worker, its counting process) is gone.
    assert not running.stuck, "\n".join([logs, *running.stuck])


def _warm(site: Site, path: str) -> None:
    """Ask for ``path`` until both web processes answer it from their page cache."""
    hits = 0
    for _ in range(40):
        status, _, cache = site.get(path)
        assert status == 200
        hits = hits + 1 if cache == "hit" else 0
        if hits >= 4:
            return
    pytest.fail(f"{path} never came from the page cache")


def _all_show(site: Site, path: str, text: str, *, within: float, requests: int = 8) -> float:
    """Return the seconds until ``requests`` answers in a row show ``text``.

    Fail past ``within`` seconds.
    """
    start = time.monotonic()
    in_a_row = 0
    while time.monotonic() - start <= within:
        try:
            shown = text in site.get(path)[1]
        except OSError:  # a request that timed out while the machine is busy shows nothing
            shown = False
        in_a_row = in_a_row + 1 if shown else 0
        if in_a_row >= requests:
            return time.monotonic() - start
    pytest.fail(f"{path} did not show {text!r} on {requests} requests in a row within {within}s")


def test_a_change_from_the_command_line_is_on_every_page_within_a_second(site):
    _warm(site, "/")
    assert "새나루시 첫 기사 공개" in site.get("/")[1]

    second = site.var_dir / "second.json"
    second.write_text(json.dumps(_item("urn:system:2", "도깨비 시장 새로 연다", "도깨비")))
    site.sinmun("import", str(second))
    _all_show(site, "/", "도깨비 시장 새로 연다", within=PAGE_SECONDS)


def test_a_weather_load_reaches_the_header_of_every_page_within_a_second(site):
    _warm(site, "/")
    assert "서울 23.4℃" not in site.get("/")[1]
    site.sinmun("weather", "load", str(_observations_now(site.var_dir / "kma.txt", "23.4")))
    _all_show(site, "/", "서울 23.4℃", within=PAGE_SECONDS)


def test_the_worker_makes_an_import_searchable_within_five_seconds(site):
    query = "/search/?q=" + urllib.parse.quote("물레방아")
    _warm(site, query)
    assert FOUND_NONE in site.get(query)[1]

    second = site.var_dir / "search.json"
    second.write_text(json.dumps(_item("urn:system:3", "물레방아 다리 새로 놓는다", "물레방아")))
    site.sinmun("import", str(second))
    _all_show(site, query, FOUND_ONE, within=SEARCH_SECONDS)


class Desk:
    """A desk user's browser: a session cookie and the desk's CSRF token."""

    def __init__(self, site: Site, username: str, password: str):
        self.site = site
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.post("/desk/login/", {"username": username, "password": password, "next": "/desk/"})

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.site.port}{path}"

    def post(self, path: str, fields: dict[str, str]) -> str:
        form = self.opener.open(self.url(path), timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback http only
            self.url(path), data=data, headers={"Referer": self.url(path)}
        )
        with self.opener.open(request, timeout=10) as response:
            return response.geturl()


def test_a_desk_edit_in_one_web_worker_is_on_every_workers_pages_within_a_second(site):
    # A 관리자 account (the role that manages sections in the desk).
    password = "desk-test-password-7"
    site.sinmun(
        "shell", "-c",
        "from django.contrib.auth.models import Group, User; "
        f"u = User.objects.create_user('chief', password='{password}'); "
        "u.groups.add(Group.objects.get(name='관리자'))",
    )  # fmt: skip
    section_id = site.sinmun(
        "shell", "-c",
        "from sinmun.newsroom.models import Section; print(Section.objects.get(name='경제').pk)",
    ).stdout.split()[-1]  # fmt: skip
    desk = Desk(site, "chief", password)
    _warm(site, "/")
    assert "살림경제" not in site.get("/")[1]

    landed = desk.post(
        f"/desk/manage/sections/{section_id}/",
        {"name": "살림경제", "slug": "salim", "parent": "", "order": "3"},
    )
    assert landed.endswith("/desk/manage/sections/")  # saved: back to the list
    _all_show(site, "/", "살림경제", within=PAGE_SECONDS)


def test_an_embargo_comes_off_on_every_page_when_its_time_comes(site):
    _warm(site, "/")
    embargoed = site.var_dir / "embargo.json"
    # Long enough for the import command to finish before the time even on a loaded machine
    # (it starts Django in a new process), so "not yet" is checked before the embargo ends.
    embargo_seconds = 12
    written = time.monotonic()  # the item's 입력 time is counted from here
    embargoed.write_text(
        json.dumps(
            _item(
                "urn:system:5", "해오름 축제 일정 발표", "해오름", minutes_ago=-embargo_seconds / 60
            )
        )
    )
    site.sinmun("import", str(embargoed))
    assert time.monotonic() - written < embargo_seconds, "the import outlasted the embargo"
    assert "해오름 축제 일정 발표" not in site.get("/")[1]
    # The page is cached 60 s, so only the sweep's announcement can bring the article onto a
    # cached page this soon; the worker runs it at the embargo's time, not at its next 15 s
    # tick (a few seconds' slack for a loaded machine, where the tick alone would miss by up
    # to 15 s).
    deadline = written + embargo_seconds + 3
    _all_show(site, "/", "해오름 축제 일정 발표", within=deadline - time.monotonic())
    # Not before its 입력 time (a second's slack for the clocks of two processes).
    assert time.monotonic() - written >= embargo_seconds - 1


def test_a_killed_worker_is_replaced_and_does_the_work_queued_while_it_was_down(site):
    pid_file = site.var_dir / "worker.pid"
    worker = int(pid_file.read_text())
    # Its keeper (the process that forks it again) waits while the worker is down; a stopped
    # worker could hold the database's write lock, a killed one holds nothing.
    keeper = int(Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[1])
    os.kill(keeper, signal.SIGSTOP)
    try:
        os.kill(worker, signal.SIGKILL)
        third = site.var_dir / "third.json"
        third.write_text(json.dumps(_item("urn:system:4", "징검다리 축제 연다", "징검다리")))
        site.sinmun("import", str(third))
        query = "/search/?q=" + urllib.parse.quote("징검다리")
        time.sleep(2)
        assert FOUND_NONE in site.get(query)[1]  # nobody has analysed it yet
    finally:
        os.kill(keeper, signal.SIGCONT)
    # `sinmun serve` forks a new worker from the loaded server (no model to load again).
    _all_show(site, query, FOUND_ONE, within=BOOT_SECONDS / 2)
    assert int(pid_file.read_text()) != worker


def _views_in_the_database(site: Site, public_id: str) -> int:
    query = (
        "SELECT COALESCE(SUM(v.views), 0) FROM audience_dailyviews v"
        " JOIN newsroom_article a ON a.id = v.article_id WHERE a.public_id = {}"
    )
    if "SINMUN_DATABASE_URL" in site.env:
        with psycopg.connect(site.env["SINMUN_DATABASE_URL"]) as db:
            return db.execute(query.format("%s"), (public_id,)).fetchone()[0]
    with sqlite3.connect(site.var_dir / "sinmun.sqlite3", timeout=10) as db:
        return db.execute(query.format("?"), (public_id,)).fetchone()[0]


def test_readers_views_are_counted_by_the_worker_once_per_reader(site):
    """The web processes spool readers' article views, the worker counts them (issue #14):
    one reader twice is one view, a crawler none. The worker counts every 15 s."""
    url = re.search(r'href="(/article/([a-z0-9]+)/)"', site.get("/")[1])
    agents = ["Reader/1", "Reader/1", "Reader/2", "Googlebot/2.1"]
    for agent in agents:
        request = urllib.request.Request(
            f"http://127.0.0.1:{site.port}{url[1]}",
            headers={"User-Agent": f"Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 {agent}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 200
    deadline = time.monotonic() + 40
    while _views_in_the_database(site, url[2]) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _views_in_the_database(site, url[2]) == 2


def _readers_for(site: Site, path: str, seconds: float, threads: int = 8) -> int:
    """Ask for ``path`` from ``threads`` threads for ``seconds``, each request a new reader;
    return how many were answered 200."""
    from concurrent.futures import ThreadPoolExecutor

    run = uuid.uuid4().hex[:8]
    deadline = time.monotonic() + seconds

    def reader(thread: int) -> int:
        answered = 0
        while time.monotonic() < deadline:
            agent = f"Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 {run}-{thread}-{answered}"
            request = urllib.request.Request(
                f"http://127.0.0.1:{site.port}{path}", headers={"User-Agent": agent}
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                assert response.status == 200
                response.read()
            answered += 1
        return answered

    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(reader, range(threads)))


def test_every_view_is_counted_once_while_the_counting_process_gets_no_core(site):
    """Under load that does not pause, the counting process (idle class) gets no core at all,
    here played by stopping it: the web processes hold their views 15 s (HOLD_SECONDS), then
    count them themselves (the spool, which the worker drains). None may be lost or counted
    twice: two minutes of saturation lost 147,418 of 2.9 M views before decision 0020's
    revision 7."""
    url = re.search(r'href="(/article/([a-z0-9]+)/)"', site.get("/")[1])
    worker = int((site.var_dir / "worker.pid").read_text())
    counting = _children(worker)
    assert len(counting) == 1, counting  # the worker's one child
    before = _views_in_the_database(site, url[2])
    os.kill(counting[0], signal.SIGSTOP)
    try:
        # Past the time a web process holds views for the counting process: the first
        # seconds' views go to the spool.
        answered = _readers_for(site, url[1], seconds=HOLD_SECONDS + 2)
    finally:
        os.kill(counting[0], signal.SIGCONT)
    deadline = time.monotonic() + 90
    while _views_in_the_database(site, url[2]) < before + answered:
        assert time.monotonic() < deadline, (answered, _views_in_the_database(site, url[2]))
        time.sleep(0.5)
    time.sleep(1)  # a view counted twice would land with the rest or just after
    assert _views_in_the_database(site, url[2]) == before + answered
    assert "버렸습니다" not in site.logs()
