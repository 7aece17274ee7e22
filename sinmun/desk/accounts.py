"""The newsroom's accounts: create, change role, stop and restart, reset a password.

Issue #10: a 관리자 manages accounts in the desk; Django's admin is for superusers only. A role is
exactly one of the three groups of ``newsroom.roles`` (other groups a site added are kept).
Accounts are stopped, never deleted: revisions, corrections and API clients name their user.

Two rules keep the newsroom from locking itself out or being taken over:

- nobody stops their own account or takes away their own 관리자 role (another 관리자 must);
- a superuser's account is out of the desk's reach: a 관리자 who could reset a superuser's
  password could sign in as one and reach Django's admin, which the roles keep them out of.

Each function checks that ``by`` acts as 관리자 and logs what it did (``sinmun.desk.accounts``);
passwords are never logged.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from sinmun.newsroom import roles
from sinmun.newsroom.services import clean_line

log = logging.getLogger(__name__)

NOT_ALLOWED = "계정은 관리자만 만들고 바꿀 수 있습니다."
ROLE_INVALID = "역할은 기자, 데스크, 관리자 중에서 고르세요."
USERNAME_REQUIRED = "아이디를 입력하세요."
USERNAME_TAKEN = "이미 있는 아이디입니다 (대소문자만 다른 아이디도 쓸 수 없습니다)."
NAME_REQUIRED = "이름을 입력하세요."
NAME_TOO_LONG = "이름은 150자를 넘을 수 없습니다."
PASSWORD_REQUIRED = "비밀번호를 입력하세요."  # noqa: S105 (a message, not a password)
CANNOT_DEMOTE_SELF = "자기 계정의 관리자 역할은 뺄 수 없습니다. 다른 관리자에게 부탁하세요."
CANNOT_DEACTIVATE_SELF = "자기 계정은 정지할 수 없습니다. 다른 관리자에게 부탁하세요."
SUPERUSER_UNTOUCHABLE = "슈퍼유저 계정은 데스크에서 바꿀 수 없습니다."


@dataclass(frozen=True)
class Account:
    """A user as the accounts page lists them: the role their groups give, and whether active."""

    user: object
    role: str | None
    is_superuser: bool
    is_active: bool


def _require_admin(by: object) -> None:
    if roles.role_of(by) != roles.ADMIN:
        raise PermissionDenied(NOT_ALLOWED)


def _require_reachable(user) -> None:
    if user.is_superuser:
        raise PermissionDenied(SUPERUSER_UNTOUCHABLE)


def _check_role(role: object) -> str:
    if role not in roles.ROLES:
        raise ValidationError(ROLE_INVALID, code="role")
    return role


def _put_in_role(user, role: str) -> None:
    user.groups.remove(*Group.objects.filter(name__in=roles.ROLES))
    user.groups.add(Group.objects.get(name=role))


def role_from_groups(user) -> str | None:
    """Return the highest of the three role groups ``user`` belongs to, or None.

    Unlike ``roles.role_of`` this reads the groups (prefetched by ``accounts``), not the
    permissions: it answers for a stopped account too, and costs no query per row.
    """
    names = {g.name for g in user.groups.all()}
    return next((r for r in (roles.ADMIN, roles.DESK, roles.REPORTER) if r in names), None)


def accounts() -> list[Account]:
    """Return every account, active first, by username, with the role its groups give."""
    users = (
        get_user_model()
        .objects.prefetch_related("groups")
        .select_related("reporter")
        .order_by("-is_active", "username")
    )
    return [Account(u, role_from_groups(u), u.is_superuser, u.is_active) for u in users]


def desk_users() -> QuerySet:
    """Return the active accounts in the 데스크 group (who may be put on a section)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.DESK)
        .distinct()
        .order_by("first_name", "username")
    )


@transaction.atomic
def account_create(*, by, username: str, name: str, email: str, role: str, password: str):
    """Create an active account in ``role`` with ``password`` (Django's validators apply)."""
    _require_admin(by)
    model = get_user_model()
    username = clean_line(username or "")
    name = clean_line(name or "")
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [USERNAME_REQUIRED]
    elif model.objects.filter(username__iexact=username).exists():
        errors["username"] = [USERNAME_TAKEN]
    if not name:
        errors["name"] = [NAME_REQUIRED]
    elif len(name) > 150:
        errors["name"] = [NAME_TOO_LONG]
    if role not in roles.ROLES:
        errors["role"] = [ROLE_INVALID]
    user = model(username=username, first_name=name, email=(email or "").strip())
    if not password:
        errors["password"] = [PASSWORD_REQUIRED]
    else:
        try:
            # Validated against the new user, so a password like the username is refused.
            password_validation.validate_password(password, user)
        except ValidationError as error:
            errors["password"] = error.messages
    try:
        user.full_clean(exclude=["password", "first_name", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    _put_in_role(user, role)
    log.info("account %s created as %s by %s", username, role, by.get_username())
    return user


@transaction.atomic
def account_set_role(*, by, user, role: str):
    """Put ``user`` in ``role`` (and out of the other two); nobody demotes themselves."""
    _require_admin(by)
    _require_reachable(user)
    role = _check_role(role)
    if user.pk == by.pk and role != roles.ADMIN:
        raise ValidationError(CANNOT_DEMOTE_SELF, code="role")
    _put_in_role(user, role)
    log.info("account %s set to %s by %s", user.get_username(), role, by.get_username())
    return user


@transaction.atomic
def account_set_active(*, by, user, active: bool):
    """Stop or restart ``user``; a stopped account cannot sign in and its sessions end."""
    _require_admin(by)
    _require_reachable(user)
    if user.pk == by.pk and not active:
        raise ValidationError(CANNOT_DEACTIVATE_SELF, code="active")
    # Django's backend refuses an inactive user on their next request: open sessions end too.
    user.is_active = bool(active)
    user.save(update_fields=["is_active"])
    log.info("account %s active=%s by %s", user.get_username(), user.is_active, by.get_username())
    return user


@transaction.atomic
def account_set_password(*, by, user, password: str):
    """Give ``user`` a new password (Django's validators apply); their other sessions end."""
    _require_admin(by)
    _require_reachable(user)
    if not password:
        raise ValidationError({"password": [PASSWORD_REQUIRED]})
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    log.info("account %s password reset by %s", user.get_username(), by.get_username())
    return user
