"""Writes to the outlet's settings and its taxonomy: sections, series, reporters, keywords.

Every page shows the outlet's legal block and the section menu, and every article shows its
section, series, reporters and keywords, so a change here is announced: ``SITE_CHANGED`` for
the menu and the legal block, ``RENAMED`` when a name readers and the search index carry
changes (search re-analyses the articles that carry it, in the worker).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from .. import access, actors, followups, generation
from ..actors import Actor
from ..followups import Event, Happened
from ..models import Keyword, OutletSettings, Reporter, Section, Series
from .cleaning import clean_keyword, clean_line, clean_name

SECTION_TOO_DEEP = "섹션은 두 단계까지만 만들 수 있습니다."
SECTION_OWN_PARENT = "섹션을 자기 자신 아래에 둘 수 없습니다."
SECTION_HAS_CHILDREN = "하위 섹션이 있는 섹션은 다른 섹션 아래로 옮길 수 없습니다."
KEYWORD_EXISTS = "같은 이름의 키워드가 이미 있습니다."
NOT_ALLOWED_TO_MANAGE = "매체 설정을 바꿀 권한이 없습니다."
NOT_ALLOWED_TAXONOMY = "섹션·연재·기자·키워드를 바꿀 권한이 없습니다."

OUTLET_FIELDS = {f.name for f in OutletSettings._meta.concrete_fields} - {"id", "updated_at"}


def _require_manage(by: Actor, model: str, *, creating: bool) -> None:
    if not access.may_manage(by, model, creating=creating):
        raise PermissionDenied(NOT_ALLOWED_TAXONOMY)


def _announce(event: Event, by: Actor, kind: str = "", object_id: int | None = None) -> None:
    # The menu and the outlet are cached under the content generation (selectors.outlet,
    # selectors.navigation): the core starts a new one for its own cached data.
    transaction.on_commit(generation.bump)
    followups.announce(Happened(event, kind=kind, object_id=object_id, actor=actors.name_of(by)))


@transaction.atomic
def outlet_update(*, by: Actor, **fields: object) -> OutletSettings:
    """Change the outlet's name and legal block; every page shows them."""
    if not access.may_manage_outlet(by):
        raise PermissionDenied(NOT_ALLOWED_TO_MANAGE)
    unknown = set(fields) - OUTLET_FIELDS
    if unknown:
        raise TypeError(f"unknown outlet fields: {sorted(unknown)}")
    outlet, _ = OutletSettings.objects.get_or_create(
        pk=1, defaults={"name": "신문", "title": "신문"}
    )
    for name, value in fields.items():
        setattr(outlet, name, value)
    outlet.full_clean()
    outlet.save()
    _announce(Event.SITE_CHANGED, by)
    return outlet


def section_check_place(*, section: Section, parent: Section | None) -> None:
    """Raise ``ValidationError`` unless ``section`` may sit under ``parent`` (two levels)."""
    if parent is None:
        return
    if section.pk is not None and parent.pk == section.pk:
        raise ValidationError(SECTION_OWN_PARENT, code="section")
    if parent.parent_id is not None:
        raise ValidationError(SECTION_TOO_DEEP, code="section")
    if section.pk is not None and section.children.exists():
        raise ValidationError(SECTION_HAS_CHILDREN, code="section")


def _update(by: Actor, row, kind: str, allowed: set[str], fields: dict[str, object], check=None):
    """Set ``fields`` on a section/series/reporter row, save it and announce the change.

    ``RENAMED`` when its name changed (search re-analyses the articles that carry it), else
    ``SITE_CHANGED`` (the menu, a byline's link or a label may show it).
    """
    _require_manage(by, kind, creating=False)
    old_name = type(row).objects.filter(pk=row.pk).values_list("name", flat=True).get()
    if "name" in fields:
        fields["name"] = clean_name(fields["name"])
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"unknown {kind} field: {name}")
        setattr(row, name, value)
    if check is not None:
        check()
    row.full_clean()
    row.save()
    renamed = row.name != old_name
    _announce(Event.RENAMED if renamed else Event.SITE_CHANGED, by, kind, row.pk)
    return row


@transaction.atomic
def section_create(
    *, by: Actor, name: str, slug: str, parent: Section | None = None, order: int = 0
) -> Section:
    """Create a section; sections nest two levels at most (정치 › 국회)."""
    _require_manage(by, "section", creating=True)
    section = Section(name=clean_name(name), slug=slug, parent=parent, order=order)
    section_check_place(section=section, parent=parent)
    section.full_clean()
    section.save()
    _announce(Event.SITE_CHANGED, by)
    return section


@transaction.atomic
def section_update(*, by: Actor, section: Section, **fields: object) -> Section:
    """Rename, re-slug, move or reorder a section; the menu and its articles follow."""
    return _update(
        by, section, "section", {"name", "slug", "parent", "order"}, fields,
        check=lambda: section_check_place(section=section, parent=section.parent),
    )  # fmt: skip


@transaction.atomic
def series_create(*, by: Actor, name: str, slug: str, description: str = "") -> Series:
    """Create a 연재/코너."""
    _require_manage(by, "series", creating=True)
    series = Series(name=clean_name(name), slug=slug, description=description)
    series.full_clean()
    series.save()
    return series


@transaction.atomic
def series_update(*, by: Actor, series: Series, **fields: object) -> Series:
    """Change a 연재; a new name reaches its articles' labels and the search index."""
    return _update(by, series, "series", {"name", "slug", "description"}, fields)


def _unique_slug(base: str) -> str:
    base = slugify(base, allow_unicode=False) or "reporter"
    slug, n = base, 1
    while Reporter.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


REPORTER_FIELDS = {"name", "slug", "title", "email", "bio", "active", "photo", "user"}


@transaction.atomic
def reporter_create(
    *,
    by: Actor,
    name: str,
    slug: str | None = None,
    title: str = Reporter.Title.REPORTER,
    email: str = "",
    bio: str = "",
    active: bool = True,
) -> Reporter:
    """Create a reporter; without a slug, one is made from the id space (names are Korean)."""
    _require_manage(by, "reporter", creating=True)
    reporter = Reporter(
        name=clean_name(name),
        slug=slug or _unique_slug("reporter"),
        title=title,
        email=email,
        bio=bio,
        active=active,
    )
    reporter.full_clean()
    reporter.save()
    return reporter


@transaction.atomic
def reporter_update(*, by: Actor, reporter: Reporter, **fields: object) -> Reporter:
    """Change a reporter; a new name reaches every byline and the search index."""
    return _update(by, reporter, "reporter", REPORTER_FIELDS, fields)


def reporter_for_name(*, by: Actor, name: str) -> Reporter:
    """Return the reporter called ``name``, creating an active 기자 if there is none."""
    cleaned = clean_line(name)
    existing = Reporter.objects.filter(name=cleaned).order_by("id").first()
    return existing or reporter_create(by=by, name=cleaned)


def keyword_for_name(*, name: str) -> Keyword:
    """Return the keyword ``name``, creating it if needed.

    Tagging is part of writing an article: whoever may edit the article may add a keyword to
    it, so this checks no taxonomy permission (the article services check theirs).
    """
    keyword, _ = Keyword.objects.get_or_create(name=clean_keyword(name))
    return keyword


@transaction.atomic
def keyword_create(*, by: Actor, name: str) -> Keyword:
    """Create a keyword from the desk's keyword list."""
    _require_manage(by, "keyword", creating=True)
    name = clean_keyword(name)
    if Keyword.objects.filter(name=name).exists():
        raise ValidationError(KEYWORD_EXISTS, code="keyword")
    return Keyword.objects.create(name=name)


@transaction.atomic
def keyword_rename(*, by: Actor, keyword: Keyword, name: str) -> Keyword:
    """Rename a keyword; its page moves to the new name and its articles are re-indexed."""
    _require_manage(by, "keyword", creating=False)
    name = clean_keyword(name)
    # The stored name, not ``keyword.name``: the desk's form has already set the new one on it.
    if name == Keyword.objects.values_list("name", flat=True).get(pk=keyword.pk):
        return keyword
    if Keyword.objects.filter(name=name).exclude(pk=keyword.pk).exists():
        raise ValidationError(KEYWORD_EXISTS, code="keyword")
    keyword.name = name
    keyword.save(update_fields=["name"])
    _announce(Event.RENAMED, by, "keyword", keyword.pk)
    return keyword
