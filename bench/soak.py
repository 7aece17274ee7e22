"""``make soak``: ten minutes of mixed load against the site as ``make run`` ships it, then checks.

Sets up its own var folder (as ``make demo``: migrate, collectstatic, the demo newsroom, the
search index, the related lists), starts ``sinmun serve`` (web processes and the background
worker it forks) on loopback and drives it like a newsroom and its readers at once:

- readers over every page type (home, article, section, reporter, keyword, series, 관련기사
  더보기, corrections, legal pages, feeds, sitemaps, robots.txt, a missing article);
- a searcher with Korean queries, filters, sorting and odd input;
- API reads, paced under the anonymous limit (120 a minute per address: every soak request
  comes from 127.0.0.1, and the default set-up is kept as shipped);
- desk users through the desk's own forms with CSRF: the 기자 writes, saves, edits and 송고s;
  the 데스크 releases what was sent; the 관리자 writes and releases at once;
- imports: ninjs items through the API (new and updated) and ``sinmun import`` now and then.

Then it checks: no 5xx and no request that failed outright; every save the client saw succeed
(a 302 to the editor, a 201/200 from the API, an import's printed path) is in the database
with the text it sent, and every save in the article's history; the view counts the database
holds grew by exactly the article views that should count (the server counts them on the way
out; each is a new reader, but a fifth repeat the one before within the 30-minute window and a
tenth come from a crawler, which must not count);
and memory: RSS and PSS of every process of the server after warm-up and at the end.

It is a test of endurance, not a benchmark: the load is moderate, so that a lost write or a
slow leak shows, not the machine's limit. Environment: SOAK_SECONDS (600), SOAK_WARMUP (60),
SOAK_DB (``sqlite postgres``: both, one after the other), SOAK_VAR (/tmp/sinmun-soak),
SOAK_PORT (8150), SOAK_PG_URL (postgres://postgres@127.0.0.1:5432/sinmun_soak), SOAK_REDIS_URL
(redis://127.0.0.1:6379/13). Prints a summary per database and writes it to SOAK_VAR/soak.md.
Exits 1 when a check fails.
"""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
WARMUP = float(os.environ.get("SOAK_WARMUP", str(min(60.0, max(10.0, SECONDS / 5)))))
DATABASES = os.environ.get("SOAK_DB", "sqlite postgres").split()
VAR = Path(os.environ.get("SOAK_VAR", "/tmp/sinmun-soak"))  # noqa: S108 - never ./var
PORT = int(os.environ.get("SOAK_PORT", "8150"))
PG_URL = os.environ.get("SOAK_PG_URL", "postgres://postgres@127.0.0.1:5432/sinmun_soak")
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/13")
BASE = f"http://127.0.0.1:{PORT}"
TIMEOUT = 60
API_READS_PER_MINUTE = 100  # under the default anonymous limit of 120
# The only requests meant to be refused: a made-up article address, an over-long search.
EXPECTED_4XX = {"missing", "search too long"}
MEMORY_LIMIT = 1.10  # RSS at the end within 10% of after warm-up (issue #15)

SEARCHES = [
    "반도체",
    "국회 예산",
    "새나루",
    "기후 변화",
    '"지역 경제"',
    "전기차 -배터리",
    "서울시",
    "청년 일자리",
    "3.5%",
    "국휘에서",  # a typo: the suggestion path
    "병원",
    "축제",
    "ㅎㅎㅎ",
    "AND OR NOT (",
    "가" * 200,  # as long as the search box takes
]
# Longer than the box takes: the site answers its own 400 page saying the limit.
TOO_LONG = "나" * 300
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


# --- inside the site's own Django (run as a subprocess with the site's environment) -----------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings")
    import django

    django.setup()


def discover() -> None:
    """Print what the load needs to know about the demo site, and the view counts so far."""
    _django()
    from django.contrib.auth import get_user_model
    from django.db.models import Sum

    from sinmun.audience.models import DailyViews
    from sinmun.newsroom import selectors
    from sinmun.newsroom.models import Keyword, Reporter, Section, Series
    from sinmun.pages.models import LegalPage

    articles = list(selectors.published_articles().values_list("public_id", flat=True))
    months = sorted(
        {
            a.strftime("%Y-%m")
            for a in selectors.published_articles().dates("first_published_at", "month")
        }
    )
    reporter_user = get_user_model().objects.get(username="reporter")
    print(
        json.dumps(
            {
                "articles": articles,
                "sections": [(s.pk, s.slug) for s in Section.objects.all()],
                "reporters": list(Reporter.objects.values_list("slug", flat=True)),
                "reporter_names": list(Reporter.objects.values_list("name", flat=True)),
                "my_reporter": Reporter.objects.get(user=reporter_user).pk,
                "keywords": list(Keyword.objects.values_list("name", flat=True)[:200]),
                "series": list(Series.objects.values_list("slug", flat=True)),
                "legal": list(LegalPage.objects.values_list("slug", flat=True)),
                "months": months,
                "views": DailyViews.objects.aggregate(n=Sum("views"))["n"] or 0,
            }
        )
    )


def verify(path: str) -> None:
    """Check the acknowledged saves in ``path`` against the database; print the findings."""
    _django()
    from django.db.models import Sum

    from sinmun.audience.models import DailyViews
    from sinmun.newsroom.models import Article, ArticleRevision

    acks = json.loads(Path(path).read_text())
    last: dict[str, dict] = {}
    for ack in acks:
        last[ack["key"]] = ack
    lost = []
    for ack in acks:
        article = _article_for(Article, ack["key"])
        if article is None:
            lost.append(f"{ack['key']}: 기사가 없음 ({ack['headline']})")
            continue
        headlines = set(
            ArticleRevision.objects.filter(article=article).values_list(
                "snapshot__headline", flat=True
            )
        )
        if ack["headline"] not in headlines:
            lost.append(f"{ack['key']}: 이력에 없는 저장 {ack['headline']!r}")
    for key, ack in last.items():
        article = _article_for(Article, key)
        if article is None:
            continue
        if article.headline != ack["headline"] or ack["token"] not in article.body:
            lost.append(f"{key}: 마지막 저장 {ack['headline']!r} ≠ {article.headline!r}")
        if ack.get("status") and article.status != ack["status"]:
            lost.append(f"{key}: 상태 {article.status} ≠ {ack['status']}")
    print(
        json.dumps(
            {
                "acks": len(acks),
                "articles": len(last),
                "lost": lost,
                "views": DailyViews.objects.aggregate(n=Sum("views"))["n"] or 0,
            }
        )
    )


def _article_for(model, key: str):
    if key.startswith("pk:"):
        return model.objects.filter(pk=int(key[3:])).first()
    return model.objects.filter(uri=key[4:]).first()


# --- the load -----------------------------------------------------------------------------------


@dataclass
class Tally:
    """What every client thread saw; one lock, since the counts are small next to a request."""

    statuses: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    server_errors: list = field(default_factory=list)
    unexpected: list = field(default_factory=list)
    acks: list = field(default_factory=list)
    views_expected: int = 0
    views: Counter = field(default_factory=Counter)
    latencies: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, kind: str, status: int | str, url: str, seconds: float, body: str = "") -> None:
        with self.lock:
            self.statuses[status] += 1
            self.by_kind[kind] += 1
            self.latencies.setdefault(kind, []).append(seconds)
            if isinstance(status, str):
                self.failures.append(f"{status} {url}")
            elif status >= 500:
                self.server_errors.append(f"{status} {url}")
            elif status >= 400 and kind not in EXPECTED_4XX:
                self.unexpected.append(f"{status} {kind} {url} {body[:300]}")

    def ack(self, **fields) -> None:
        with self.lock:
            self.acks.append(fields)


class Client:
    """One user's connection (keep-alive) that records every answer in the tally."""

    def __init__(self, tally: Tally, user_agent: str = BROWSER):
        import requests

        self.tally = tally
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent

    def request(self, kind: str, method: str, path: str, **kwargs):
        start = time.monotonic()
        try:
            answer = self.session.request(
                method, BASE + path, timeout=TIMEOUT, allow_redirects=False, **kwargs
            )
            answer.content  # noqa: B018 - read the whole body, as a browser does
        except Exception as error:  # a refused connection or a timeout is a failure too
            self.tally.saw(kind, type(error).__name__, path, time.monotonic() - start)
            return None
        body = answer.text if answer.status_code >= 400 else ""
        self.tally.saw(kind, answer.status_code, path, time.monotonic() - start, body)
        return answer

    def get(self, kind: str, path: str, **kwargs):
        return self.request(kind, "GET", path, **kwargs)

    def post(self, kind: str, path: str, data, **kwargs):
        return self.request(kind, "POST", path, data=data, **kwargs)


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def reader(tally: Tally, site: dict, stop: threading.Event, number: int) -> None:
    """Read every page type, as many different readers."""
    rng = random.Random(number)  # noqa: S311 - load, not secrets
    client = Client(tally)
    readers = 0
    previous: tuple[str, str] | None = None
    while not stop.is_set():
        roll = rng.random()
        if roll < 0.40:
            # The server counts a reader's article page on its way out (the default,
            # SINMUN_AUDIENCE_COUNTING=server): each view here is a new reader, but a fifth
            # are the previous reader again within 30 minutes and a tenth are a crawler.
            article = rng.choice(site["articles"])
            kind = rng.random()
            if kind < 0.1:
                agent, counts = "Mozilla/5.0 (compatible; Googlebot/2.1)", False
            elif kind < 0.3 and previous:
                (agent, article), counts = previous, False
            else:
                readers += 1
                agent, counts = f"{BROWSER} soak/{number}/{readers}", True
                previous = (agent, article)
            answer = client.get(
                "article",
                f"/article/{article}/",
                headers={"User-Agent": agent, "Referer": "https://search.naver.com/"},
            )
            if answer is not None and answer.status_code == 200:
                with tally.lock:
                    tally.views["counted" if counts else "not counted"] += 1
                    tally.views_expected += int(counts)
        elif roll < 0.50:
            client.get("home", "/")
        elif roll < 0.58:
            client.get("section", f"/section/{rng.choice(site['sections'])[1]}/")
        elif roll < 0.63:
            client.get("reporter", f"/reporter/{rng.choice(site['reporters'])}/")
        elif roll < 0.68:
            client.get("keyword", f"/keyword/{_quote(rng.choice(site['keywords']))}/")
        elif roll < 0.71:
            client.get("series", f"/series/{rng.choice(site['series'])}/")
        elif roll < 0.76:
            client.get("related", f"/article/{rng.choice(site['articles'])}/related/")
        elif roll < 0.82:
            feeds = ["/rss/", f"/rss/section/{rng.choice(site['sections'])[1]}/"]
            feeds += [f"/rss/reporter/{rng.choice(site['reporters'])}/"]
            feeds += [f"/rss/series/{s}/" for s in site["series"][:1]]
            client.get("feed", rng.choice(feeds))
        elif roll < 0.88:
            maps = ["/sitemap.xml", "/sitemap-news.xml", "/robots.txt"]
            maps += [f"/sitemap-articles-{rng.choice(site['months'])}.xml"]
            client.get("sitemap", rng.choice(maps))
        elif roll < 0.92:
            pages = ["/corrections/"] + [f"/policy/{s}/" for s in site["legal"]]
            client.get("legal", rng.choice(pages))
        elif roll < 0.935:
            client.get("missing", f"/article/zz{rng.randrange(10**6)}/")
        elif roll < 0.94:
            answer = client.get("search too long", f"/search/?q={_quote(TOO_LONG)}")
            if answer is not None and answer.status_code != 400:
                with tally.lock:
                    tally.unexpected.append(f"{answer.status_code} for a query over the limit")
        else:
            query = _quote(rng.choice(SEARCHES))
            client.get("search", f"/search/?q={query}")
        time.sleep(0.01)


def searcher(tally: Tally, site: dict, stop: threading.Event) -> None:
    """Search with Korean queries, filters and sorting, one after another."""
    rng = random.Random(7)  # noqa: S311
    client = Client(tally)
    while not stop.is_set():
        query = "q=" + _quote(rng.choice(SEARCHES))
        extra = rng.choice(
            [
                "",
                "&sort=newest",
                f"&section={rng.choice(site['sections'])[1]}",
                f"&reporter={rng.choice(site['reporters'])}",
                "&page=2",
            ]
        )
        client.get("search", f"/search/?{query}{extra}")
        time.sleep(0.2)


def api_reader(tally: Tally, site: dict, stop: threading.Event) -> None:
    """Read the API at a pace under the anonymous limit."""
    rng = random.Random(11)  # noqa: S311
    client = Client(tally)
    while not stop.is_set():
        article = rng.choice(site["articles"])
        path = rng.choice(
            [
                f"/api/v1/articles?page={rng.randrange(1, 6)}&per_page=20",
                f"/api/v1/articles/{article}",
                f"/api/v1/articles/{article}?format=ninjs",
                "/api/v1/sections",
                "/api/v1/reporters",
                f"/api/v1/search?q={_quote(rng.choice(SEARCHES[:10]))}",
                f"/api/v1/articles?section={rng.choice(site['sections'])[1]}",
            ]
        )
        client.get("api read", path)
        stop.wait(60 / API_READS_PER_MINUTE)


class Desk(Client):
    """A desk user's browser: logged in once, the session kept, CSRF from the cookie."""

    def __init__(self, tally: Tally, username: str, password: str):
        super().__init__(tally)
        self.get("desk page", "/desk/login/")
        answer = self.post(
            "desk login",
            "/desk/login/",
            {"username": username, "password": password, "next": "/desk/", **self.token()},
        )
        if answer is None or answer.status_code != 302:
            raise SystemExit(f"{username}: 로그인 실패 ({answer and answer.status_code})")

    def token(self) -> dict[str, str]:
        return {"csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}

    def version(self, pk: int) -> int | None:
        page = self.get("desk page", f"/desk/articles/{pk}/")
        found = page is not None and re.search(r'name="base_version" value="(\d+)"', page.text)
        return int(found.group(1)) if found else None

    def save(self, pk: int | None, fields: dict, intent: str, status: str | None) -> int | None:
        """Post the editor; on a redirect to the editor, record the save as acknowledged."""
        path = "/desk/articles/new/" if pk is None else f"/desk/articles/{pk}/"
        form = {**fields, "intent": intent, **self.token()}
        if pk is not None:
            form["base_version"] = self.version(pk)
            if form["base_version"] is None:
                return None
        answer = self.post(f"desk {intent}", path, form)
        landed = answer is not None and answer.status_code == 302 and answer.headers["Location"]
        found = landed and re.search(r"/desk/articles/(\d+)/$", landed)
        if not found:
            return None
        pk = int(found.group(1))
        self.tally.ack(
            key=f"pk:{pk}", headline=fields["headline"], token=fields["token"], status=status
        )
        return pk


def _article_fields(rng: random.Random, site: dict, who: str, n: int, reporters: list) -> dict:
    token = f"소크{who}{n}호{rng.randrange(10**6)}"
    section = rng.choice(site["sections"])[0]
    return {
        "headline": f"새나루 점검 {who} {n}번째 기사 {token}",
        "token": token,
        "subheadlines": "점검용 부제 첫 줄\n점검용 부제 둘째 줄",
        "body": f"<p>{token} 기사의 본문이다. 새나루시 점검단이 오늘 발표했다.</p>"
        "<p>두 번째 문단은 세부 계획을 담았다.</p>",
        "section": str(section),
        "series": "",
        "keywords": "점검, 새나루",
        "reporters": reporters,
        "lead_photo_caption": "",
        "lead_photo_credit": "",
    }


def reporter_desk(tally, site, stop, password, queue: list) -> None:
    """The 기자: write a new article, save it, edit it twice, 송고 it; the desk picks it up."""
    rng = random.Random(21)  # noqa: S311
    desk = Desk(tally, "reporter", password)
    n = 0
    while not stop.is_set():
        n += 1
        fields = _article_fields(rng, site, "기자", n, [str(site["my_reporter"])])
        desk.get("desk page", "/desk/articles/new/")
        pk = desk.save(None, fields, "save", "draft")
        for edit in range(2):
            if pk is None or stop.is_set():
                break
            fields = {**fields, "headline": f"{fields['headline']} 고침{edit + 1}"}
            desk.save(pk, fields, "save", "draft")
        if pk is not None and desk.save(pk, fields, "submit", "submitted"):
            with tally.lock:
                queue.append((pk, fields))
        stop.wait(2)


def chief_desk(tally, site, stop, password, queue: list) -> None:
    """The 데스크: release what the 기자 sent (save + 출고), glance at the dashboard."""
    desk = Desk(tally, "desk", password)
    while not stop.is_set():
        desk.get("desk page", "/desk/")
        with tally.lock:
            taken = queue.pop(0) if queue else None
        if taken:
            pk, fields = taken
            fields = {**fields, "headline": f"{fields['headline']} 출고"}
            desk.save(pk, fields, "publish", "published")
        stop.wait(1.5)


def admin_desk(tally, site, stop, password) -> None:
    """The 관리자: write and release at once, then correct the headline of what is live."""
    rng = random.Random(31)  # noqa: S311
    desk = Desk(tally, "admin", password)
    n = 0
    while not stop.is_set():
        n += 1
        reporters = [str(site["my_reporter"])]
        fields = _article_fields(rng, site, "관리자", n, reporters)
        pk = desk.save(None, fields, "publish", "published")
        if pk is not None:
            fields = {**fields, "headline": f"{fields['headline']} 수정"}
            desk.save(pk, fields, "save", "published")
        stop.wait(3)


def _item(uri: str, headline: str, token: str, site: dict) -> dict:
    """Return a ninjs item; API clients use the newsroom's own sections and reporters."""
    slug = site["sections"][0][1]
    return {
        "uri": uri,
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [
            {
                "contenttype": "text/html",
                "value": f"<p>{token} 통신 기사 본문이다.</p><p>점검단이 밝혔다.</p>",
            }
        ],
        "by": site["reporter_names"][0],
        "subjects": [
            {"name": "점검", "rel": "keyword"},
            {"name": slug, "uri": f"sinmun:section:{slug}", "rel": "section"},
        ],
        "firstcreated": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "pubstatus": "usable",
    }


def importer(tally, site, stop, token: str, env: dict, var: Path) -> None:
    """Send ninjs items through the API (new, then an update); ``sinmun import`` each minute."""
    rng = random.Random(41)  # noqa: S311
    client = Client(tally)
    client.session.headers["Authorization"] = f"Bearer {token}"
    sent: list[str] = []
    n = 0
    last_command = time.monotonic()
    while not stop.is_set():
        n += 1
        if sent and rng.random() < 0.3:
            uri = rng.choice(sent)
            method, path = "PUT", f"/api/v1/items/{_quote(uri)}"
        else:
            uri = f"urn:soak:api:{n}"
            method, path = "POST", "/api/v1/items"
        mark = f"소크통신{n}호{rng.randrange(10**6)}"
        headline = f"점검 통신 {n}번째 소식 {mark}"
        answer = client.request("api write", method, path, json=_item(uri, headline, mark, site))
        if answer is not None and answer.status_code in (200, 201):
            tally.ack(key=f"uri:{uri}", headline=headline, token=mark, status="published")
            if uri not in sent:
                sent.append(uri)
        if time.monotonic() - last_command > 60:
            last_command = time.monotonic()
            _import_command(tally, site, env, var, n, rng)
        stop.wait(3)


def _import_command(tally, site, env, var, n, rng) -> None:
    items = []
    for i in range(5):
        mark = f"소크파일{n}_{i}호{rng.randrange(10**6)}"
        items.append(_item(f"urn:soak:file:{n}:{i}", f"점검 파일 {n}-{i} 소식 {mark}", mark, site))
    path = var / f"import-{n}.json"
    path.write_text(json.dumps(items, ensure_ascii=False))
    start = time.monotonic()
    done = subprocess.run(  # noqa: S603 - our own command
        [BIN / "sinmun", "import", str(path)], env=env, capture_output=True, text=True, check=False
    )
    status = 200 if done.returncode == 0 else 500
    tally.saw("sinmun import", status, str(path), time.monotonic() - start)
    if done.returncode == 0 and done.stdout.count("/article/") == len(items):
        for item in items:
            mark = item["bodies"][0]["value"][3:].split(" ")[0]
            headline = item["headlines"][0]["value"]
            tally.ack(key=f"uri:{item['uri']}", headline=headline, token=mark, status="published")
    else:
        with tally.lock:
            tally.failures.append(f"sinmun import: {done.stderr[-500:]}")


# --- memory ---------------------------------------------------------------------------------


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return sorted(found)


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return 0


def memory(root: int, var: Path) -> dict[int, tuple[str, int, int]]:
    """Return {pid: (role, RSS kB, PSS kB)} for the server and every process under it."""
    try:
        worker = int((var / "worker.pid").read_text())
    except (OSError, ValueError):
        worker = 0
    roles = {root: "server (loads, forks, waits)", worker: "background worker"}
    roles[_parent(worker)] = "worker keeper"
    found = {}
    for pid in _tree(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))
        found[pid] = (roles.get(pid, "web worker"), rss, pss)
    return found


# --- one soak -------------------------------------------------------------------------------


def _environment(db: str, var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SINMUN_", "DJANGO_"))}
    env.update(SINMUN_VAR_DIR=str(var), SINMUN_LOG_LEVEL="WARNING", PYTHONIOENCODING="utf-8")
    if db == "postgres":
        env.update(SINMUN_DATABASE_URL=PG_URL, SINMUN_REDIS_URL=REDIS_URL)
    return env


def _fresh_databases(db: str) -> None:
    if db != "postgres":
        return
    import psycopg
    import redis

    parts = urllib.parse.urlsplit(PG_URL)
    name = parts.path.lstrip("/")
    admin = psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username,
        password=parts.password, dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    redis.Redis.from_url(REDIS_URL).flushdb()


def _sinmun(env, *args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command
        [BIN / "sinmun", *args], env=env, check=True, text=True, **kwargs
    )


def _inside(env, mode: str, *args: str) -> dict:
    done = subprocess.run(  # noqa: S603 - this file in the site's environment
        [BIN / "python", __file__, mode, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _wait_for_site(seconds: float = 240) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(BASE + "/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{BASE} did not answer within {seconds}s")


def soak(db: str) -> tuple[str, bool]:
    var = VAR / db
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    env = _environment(db, var)
    _fresh_databases(db)
    print(f"== {db}: set-up in {var} ==", flush=True)
    _sinmun(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
    _sinmun(env, "collectstatic", "--noinput", "-v0")
    _sinmun(env, "demo", stdout=subprocess.DEVNULL)
    _sinmun(env, "reindex", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _sinmun(env, "related_rebuild", "-v0")
    subprocess.run([BIN / "sinmun", "weather", "refresh"], env=env, capture_output=True)  # noqa: S603
    token = _sinmun(
        env, "api-client", "create", "soak", "--scope", "write", "--scope", "publish",
        "--rate", "10000", capture_output=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    # One password file per database (demo-accounts, or demo-accounts-<engine>-…); the var
    # folder is new, so the demo just wrote the only one.
    [accounts] = var.glob("demo-accounts*")
    passwords = dict(line.split(" ", 1) for line in accounts.read_text().splitlines())
    site = _inside(env, "_discover")
    views_before = site["views"]

    log = open(var / "serve.log", "wb")
    server = subprocess.Popen(  # noqa: S603 - our own command, as `make run` starts it
        [BIN / "sinmun", "serve", "--bind", f"127.0.0.1:{PORT}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    tally = Tally()
    stop = threading.Event()
    try:
        _wait_for_site()
        queue: list = []
        jobs = [
            *(threading.Thread(target=reader, args=(tally, site, stop, i)) for i in range(4)),
            threading.Thread(target=searcher, args=(tally, site, stop)),
            threading.Thread(target=api_reader, args=(tally, site, stop)),
            threading.Thread(
                target=reporter_desk, args=(tally, site, stop, passwords["reporter"], queue)
            ),
            threading.Thread(target=chief_desk, args=(tally, site, stop, passwords["desk"], queue)),
            threading.Thread(target=admin_desk, args=(tally, site, stop, passwords["admin"])),
            threading.Thread(target=importer, args=(tally, site, stop, token, env, var)),
        ]
        started = time.monotonic()
        for job in jobs:
            job.start()
        print(f"   warm-up {WARMUP:.0f} s, then {SECONDS:.0f} s of load", flush=True)
        time.sleep(WARMUP)
        warm = memory(server.pid, var)
        warm_requests = sum(tally.statuses.values())
        while time.monotonic() - started < WARMUP + SECONDS:
            time.sleep(min(60, WARMUP + SECONDS - (time.monotonic() - started)))
            elapsed = time.monotonic() - started
            now = memory(server.pid, var)
            # The trend, not only its ends: a cache filling levels off, a leak keeps climbing.
            print(
                f"   {elapsed:5.0f} s: {sum(tally.statuses.values()):,} requests, "
                f"5xx {len(tally.server_errors)}, failed {len(tally.failures)}, "
                f"saves {len(tally.acks)}, RSS {sum(v[1] for v in now.values()) / 1024:,.0f} MB, "
                f"PSS {sum(v[2] for v in now.values()) / 1024:,.0f} MB",
                flush=True,
            )
        stop.set()
        for job in jobs:
            job.join(timeout=TIMEOUT + 10)
        end = memory(server.pid, var)
        load_seconds = time.monotonic() - started - WARMUP
        requests_in_load = sum(tally.statuses.values()) - warm_requests

        acks_path = var / "acks.json"
        acks_path.write_text(json.dumps(tally.acks, ensure_ascii=False))
        # The worker flushes counted views every 15 s: wait for the last ones to land.
        deadline = time.monotonic() + 90
        while True:
            found = _inside(env, "_verify", str(acks_path))
            if found["views"] - views_before >= tally.views_expected:
                break
            if time.monotonic() > deadline:
                break
            time.sleep(5)
    finally:
        stop.set()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    tracebacks = (var / "serve.log").read_text(errors="replace").count("Traceback")
    return _report(
        db, tally, found, views_before, warm, end, load_seconds, requests_in_load, tracebacks
    )


def _report(db, tally, found, views_before, warm, end, load_seconds, load_requests, tracebacks):
    views_added = found["views"] - views_before
    rss_warm = sum(v[1] for v in warm.values())
    rss_end = sum(v[1] for v in end.values())
    pss_warm = sum(v[2] for v in warm.values())
    pss_end = sum(v[2] for v in end.values())
    errors = len(tally.server_errors) + len(tally.failures)
    checks = {
        "zero 5xx and zero failed requests": errors == 0,
        "no 4xx but for the made-up addresses and over-long searches": not tally.unexpected,
        "no lost acknowledged save": not found["lost"],
        "view counts grew by the views that count": views_added == tally.views_expected,
        f"RSS at the end ≤ {MEMORY_LIMIT:.2f}× after warm-up": rss_end <= rss_warm * MEMORY_LIMIT,
        "no traceback in the server's log": tracebacks == 0,
    }
    load = os.getloadavg()
    lines = [
        f"### Soak: {db} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {load_seconds:.0f} s after "
        f"{WARMUP:.0f} s warm-up, load average {load[0]:.1f} / {load[2]:.1f} on "
        f"{os.cpu_count()} cores)",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| requests (all / in the measured part) | {sum(tally.statuses.values()):,} / "
        f"{load_requests:,} ({load_requests / load_seconds:.0f}/s) |",
        "| statuses | "
        + ", ".join(f"{k}: {v:,}" for k, v in sorted(tally.statuses.items(), key=str))
        + " |",
        f"| 5xx / failed requests | **{len(tally.server_errors)} / {len(tally.failures)}** |",
        f"| unexpected 4xx | {len(tally.unexpected)} |",
        f"| acknowledged saves (articles) / lost | {found['acks']:,} ({found['articles']:,}) / "
        f"**{len(found['lost'])}** |",
        f"| article views that count / that do not (repeat, crawler) | "
        f"{tally.views['counted']:,} / {tally.views['not counted']:,} |",
        f"| views added to the database / expected | {views_added:,} / {tally.views_expected:,} |",
        f"| RSS all processes, warm-up → end | {rss_warm / 1024:,.0f} → {rss_end / 1024:,.0f} MB "
        f"(**{rss_end / rss_warm:.3f}×**) |",
        f"| PSS all processes, warm-up → end | {pss_warm / 1024:,.0f} → {pss_end / 1024:,.0f} MB "
        f"({pss_end / pss_warm:.3f}×) |",
        f"| processes warm-up / end (same pids) | {len(warm)} / {len(end)} "
        f"({len(set(warm) & set(end))}) |",
        f"| tracebacks in the server's log | {tracebacks} |",
        "",
        "| kind | requests | p50 ms | p99 ms |",
        "|---|---:|---:|---:|",
    ]
    for kind, seconds in sorted(tally.latencies.items()):
        seconds = sorted(seconds)
        p50 = seconds[len(seconds) // 2] * 1000
        p99 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))] * 1000
        lines.append(f"| {kind} | {len(seconds):,} | {p50:.1f} | {p99:.1f} |")
    lines += ["", "| process | RSS MB warm-up → end | PSS MB warm-up → end |", "|---|---:|---:|"]
    for pid in sorted(set(warm) | set(end)):
        name = (warm.get(pid) or end.get(pid))[0]
        w, e = warm.get(pid), end.get(pid)
        rss = f"{w[1] / 1024:.0f} → {e[1] / 1024:.0f}" if w and e else "—"
        pss = f"{w[2] / 1024:.0f} → {e[2] / 1024:.0f}" if w and e else "—"
        lines.append(f"| {pid} {name} | {rss} | {pss} |")
    lines += ["", *(f"- {'ok ' if ok else 'FAIL'} {name}" for name, ok in checks.items())]
    for problem in (tally.server_errors + tally.failures + tally.unexpected + found["lost"])[:20]:
        lines.append(f"  - {problem}")
    return "\n".join(lines), all(checks.values())


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_discover":
        discover()
        return
    if len(sys.argv) > 2 and sys.argv[1] == "_verify":
        verify(sys.argv[2])
        return
    VAR.mkdir(parents=True, exist_ok=True)
    reports, passed = [], True
    for db in DATABASES:
        report, ok = soak(db)
        print(report, flush=True)
        reports.append(report)
        passed = passed and ok
    (VAR / "soak.md").write_text("\n\n".join(reports) + "\n")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
