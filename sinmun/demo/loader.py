"""Load the invented demo newsroom (``sinmun demo``) through the newsroom services.

Idempotent: sections, series and reporters are matched by slug and articles by ninjs uri, so a
second run adds only what is missing and never touches what an editor has changed since.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from sinmun.korean import analyzer
from sinmun.newsroom import actors, bodyhtml, roles, services
from sinmun.newsroom.models import Article, OutletSettings, Reporter, Section, Series

from . import corpus, photos

DESK_USERNAME = "desk"
# One account per newsroom role, so a new user can try the whole desk: write and 송고 as the
# reporter, 반려/출고 as the desk, settings and accounts as the 관리자.
DEMO_ACCOUNTS = (
    (roles.REPORTER, "reporter"),
    (roles.DESK, DESK_USERNAME),
    (roles.ADMIN, "admin"),
)
ACCOUNTS_FILE = "demo-accounts"


@dataclass
class DemoResult:
    articles_created: int
    articles_total: int
    desk_username: str
    desk_password: str | None
    # (role, username, password); the password is None for an account this database already
    # had under a password no file of this ./var knows (it is never changed).
    accounts: list[tuple[str, str, str | None]]


def _outlet() -> None:
    if OutletSettings.objects.filter(pk=1).exists():
        return
    fields = dict(corpus.OUTLET)
    for name in ("registration_date", "publication_date"):
        fields[name] = date.fromisoformat(fields[name])
    services.outlet_update(by=actors.DEMO, **fields)


def _sections() -> dict[str, Section]:
    existing = {s.slug: s for s in Section.objects.all()}
    for spec in sorted(corpus.SECTIONS, key=lambda s: s["parent"] is not None):
        if spec["slug"] not in existing:
            parent = existing[spec["parent"]] if spec["parent"] else None
            existing[spec["slug"]] = services.section_create(
                by=actors.DEMO,
                name=spec["name"],
                slug=spec["slug"],
                parent=parent,
                order=spec["order"],
            )
    return existing


def _series() -> dict[str, Series]:
    existing = {s.slug: s for s in Series.objects.all()}
    for spec in corpus.SERIES:
        if spec["slug"] not in existing:
            existing[spec["slug"]] = services.series_create(
                by=actors.DEMO,
                name=spec["name"],
                slug=spec["slug"],
                description=spec["description"],
            )
    return existing


def _reporters() -> dict[str, Reporter]:
    by_slug = {r.slug: r for r in Reporter.objects.all()}
    for spec in corpus.REPORTERS:
        if spec["slug"] not in by_slug:
            reporter = services.reporter_create(
                by=actors.DEMO,
                name=spec["name"],
                slug=spec["slug"],
                title=spec["title"],
                email=spec["email"],
                bio=spec["bio"],
            )
            reporter.photo.save(
                f"{spec['slug']}.png", ContentFile(photos.portrait_png(spec["slug"])), save=True
            )
            by_slug[spec["slug"]] = reporter
    return {r.name: r for r in by_slug.values()}


def accounts_file() -> Path:
    """Return the file in ./var that keeps the demo passwords of the database in use.

    One file per database: ``demo-accounts`` for the SQLite database in ./var (the README's
    name), ``demo-accounts-<engine>-<host>-<port>-<name>`` for any other. With one shared file,
    running the demo against PostgreSQL with the same ./var wrote that database's accounts
    into the SQLite database's file, and the login printed for SQLite stopped being the one
    the file held.
    """
    db = connection.settings_dict
    if connection.vendor == "sqlite" and str(db["NAME"]) == str(
        settings.VAR_DIR / "sinmun.sqlite3"
    ):
        return settings.VAR_DIR / ACCOUNTS_FILE
    label = slugify(
        f"{connection.vendor} {db.get('HOST') or ''} {db.get('PORT') or ''} {db['NAME']}"
    )
    return settings.VAR_DIR / f"{ACCOUNTS_FILE}-{label}"


def _accounts(reporters: dict[str, Reporter]) -> list[tuple[str, str, str | None]]:
    """Create the demo's role accounts once; return (role, username, password) for each.

    Passwords are kept in ./var (mode 600, one file per database) and only ever added: an
    account that exists is never given a new password, and one the file cannot log into is
    reported with ``None`` rather than with a password that would not work.
    """
    path = accounts_file()
    lines = path.read_text().splitlines() if path.exists() else []
    known = dict(line.split(" ", 1) for line in lines if " " in line)
    user_model = get_user_model()
    first_reporter = next(iter(reporters.values()), None)
    accounts = []
    for role, username in DEMO_ACCOUNTS:
        user = user_model.objects.filter(username=username).first()
        password = known.get(username)
        if user is None:
            password = password or secrets.token_urlsafe(9)
            known[username] = password
            user = user_model.objects.create_user(
                username=username, email=f"{username}@saenaru.example", password=password
            )
            user.groups.add(Group.objects.get(name=role))
            if role == roles.REPORTER and first_reporter and first_reporter.user_id is None:
                services.reporter_update(by=actors.DEMO, reporter=first_reporter, user=user)
        elif password is None or not user.check_password(password):
            password = None
        accounts.append((role, username, password))
    content = "".join(f"{name} {password}\n" for name, password in known.items())
    if not path.exists() or path.read_text() != content:
        path.write_text(content)
    path.chmod(0o600)
    return accounts


def _photo(uri: str) -> ContentFile:
    return ContentFile(photos.scene_jpeg(uri), name=f"{uri.rsplit(':', 1)[-1]}.jpg")


@transaction.atomic
def load_demo(*, now: datetime | None = None, with_photos: bool = True) -> DemoResult:
    """Create whatever part of the demo newsroom is missing; return what was done."""
    now = now or timezone.now()
    _outlet()
    sections = _sections()
    series = _series()
    reporters = _reporters()
    specs = corpus.articles()
    # Every article is indexed as it is imported; teach the analyzer all keywords first so
    # that the first article is analysed with the same dictionary as the last.
    analyzer.add_user_words({keyword for spec in specs for keyword in spec["keywords"]})
    have = set(Article.objects.values_list("uri", flat=True))
    created = 0
    for spec in specs:
        if spec["uri"] in have:
            continue
        photo = spec.get("photo") if with_photos else None
        updated = spec.get("updated_minutes_ago")
        services.article_import(
            by=actors.DEMO,
            uri=spec["uri"],
            status=Article.Status.PUBLISHED,
            first_published_at=now - timedelta(minutes=spec["published_minutes_ago"]),
            updated_at=now - timedelta(minutes=updated) if updated is not None else None,
            headline=spec["headline"],
            subheadlines=spec["subheadlines"],
            body=bodyhtml.paragraphs_to_html(spec["paragraphs"]),
            section=sections[spec["section"]],
            series=series[spec["series"]] if spec["series"] else None,
            reporters=[reporters[name] for name in spec["reporters"]],
            keywords=spec["keywords"],
            is_top=spec.get("top", False),
            lead_photo=_photo(spec["uri"]) if photo else None,
            lead_photo_caption=photo["caption"] if photo else "",
            lead_photo_credit=photo["credit"] if photo else "",
        )
        created += 1
    accounts = _accounts(reporters)
    return DemoResult(
        articles_created=created,
        articles_total=Article.objects.count(),
        desk_username=DESK_USERNAME,
        desk_password=dict((u, p) for _, u, p in accounts)[DESK_USERNAME],
        accounts=accounts,
    )
