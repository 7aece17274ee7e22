"""Load the invented demo newsroom (``sinmun demo``) through the newsroom services.

Idempotent: sections, series and reporters are matched by slug and articles by ninjs uri, so a
second run adds only what is missing and never touches what an editor has changed since.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sinmun.korean import analyzer
from sinmun.newsroom import actors, bodyhtml, services
from sinmun.newsroom.models import Article, OutletSettings, Reporter, Section, Series

from . import corpus, photos

DESK_USERNAME = "desk"


@dataclass
class DemoResult:
    articles_created: int
    articles_total: int
    desk_username: str
    desk_password: str | None


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


def _desk_password() -> str | None:
    """Create the demo desk account once; return its password (kept in ./var for the README)."""
    path = settings.VAR_DIR / "demo-desk-password"
    user_model = get_user_model()
    if not user_model.objects.filter(username=DESK_USERNAME).exists():
        password = secrets.token_urlsafe(9)
        user_model.objects.create_superuser(
            username=DESK_USERNAME, email="desk@saenaru.example", password=password
        )
        path.write_text(password + "\n")
        path.chmod(0o600)
    return path.read_text().strip() if path.exists() else None


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
    return DemoResult(
        articles_created=created,
        articles_total=Article.objects.count(),
        desk_username=DESK_USERNAME,
        desk_password=_desk_password(),
    )
