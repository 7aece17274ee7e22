"""The newsroom's three roles as Django groups: 기자, 데스크, 관리자.

A role is a group with a fixed set of permissions; ``access`` answers every question from
permissions (and, for 데스크, the sections assigned on ``Section.desk_editors``), so a
superuser or a custom group works the same way. ``ensure_groups`` runs after every migrate
and puts each group's permissions back to the list below, so an upgrade that adds a
permission (a new app's models) reaches existing installations without a data migration.

| role | may |
|---|---|
| 기자 | write, edit and 송고 their own articles; a change to a released one goes to the desk |
| 데스크 | the above for any article of their sections, plus 반려, 예약, 출고, 정정, 회수 |
| 관리자 | everything, plus sections, series, reporters, the outlet and legal settings, accounts |
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

REPORTER = "기자"
DESK = "데스크"
ADMIN = "관리자"
ROLES = (REPORTER, DESK, ADMIN)

_REPORTER_PERMS = {
    "newsroom.add_article",
    "newsroom.change_article",
    "newsroom.view_article",
    "newsroom.view_section",
    "newsroom.view_series",
    "newsroom.view_reporter",
    "newsroom.view_keyword",
}
_DESK_PERMS = _REPORTER_PERMS | {
    "newsroom.publish_article",
    "newsroom.add_correction",
    "newsroom.change_correction",
    "newsroom.view_correction",
}
# 관리자 gets every permission of these apps (the apps that keep settings a 관리자 edits);
# "delete_*" are left out: articles and their records are withdrawn, never deleted.
_ADMIN_APPS = ("newsroom", "pages", "api")
_ADMIN_EXTRA = {"auth.add_user", "auth.change_user", "auth.view_user", "auth.view_group"}

PERMISSIONS = {REPORTER: _REPORTER_PERMS, DESK: _DESK_PERMS}


def _permissions(names: set[str]) -> list[Permission]:
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def _admin_permissions() -> list[Permission]:
    rows = Permission.objects.filter(content_type__app_label__in=_ADMIN_APPS).exclude(
        codename__startswith="delete_"
    )
    return [*rows, *_permissions(_ADMIN_EXTRA)]


def ensure_groups(**_: object) -> None:
    """Create the three role groups and set their permissions (idempotent; post_migrate)."""
    for name in ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        perms = _admin_permissions() if name == ADMIN else _permissions(PERMISSIONS[name])
        group.permissions.set(perms)


def role_of(user: object) -> str | None:
    """Return the role a user acts in (the highest their permissions give), or None."""
    if not getattr(user, "is_active", False):
        return None
    if getattr(user, "is_superuser", False) or user.has_perm("newsroom.change_outletsettings"):
        return ADMIN
    if user.has_perm("newsroom.publish_article"):
        return DESK
    if user.has_perm("newsroom.add_article") or user.has_perm("newsroom.change_article"):
        return REPORTER
    return None
