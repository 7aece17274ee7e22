"""Creating, revoking and recognising API clients.

Only 관리자 (``access.may_manage_outlet``) creates and revokes clients: a token lets another
system write into the newsroom. The command line acts as ``SHELL``: whoever can run ``sinmun``
on the server already owns its database and settings, so it is given the same right, and the
client's row records ``shell`` as who acted.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sinmun.newsroom import access, actors
from sinmun.newsroom.actors import Actor

from .models import MAX_RATE_PER_MINUTE, NAME_PATTERN, ApiClient

SHELL = actors.SystemActor("shell", "명령줄", frozenset({actors.MANAGE_OUTLET}))

NOT_ALLOWED = "API 클라이언트는 관리자만 만들고 폐기할 수 있습니다."
BAD_NAME = "이름은 영문 소문자·숫자로 시작하고 영문 소문자, 숫자, -, _ 로 40자까지 씁니다."
NAME_TAKEN = "이미 있는 이름입니다 (폐기된 클라이언트의 이름도 다시 쓸 수 없습니다)."
BAD_SCOPES = "권한은 read, write, publish 중에서 하나 이상 고르세요."
PUBLISH_NEEDS_WRITE = "publish 권한은 write 권한과 함께만 줄 수 있습니다."
BAD_RATE = f"분당 요청 한도는 1에서 {MAX_RATE_PER_MINUTE:,} 사이여야 합니다."
ALREADY_REVOKED = "이미 폐기된 클라이언트입니다."

# Marks a Sinmun token where it leaks (logs, commits) so scanners can spot it.
TOKEN_PREFIX = "sinmun_"  # noqa: S105
_PREFIX_LENGTH = 8
# Writing ``last_used_at`` on every request would make every read a write; once a minute is
# enough to tell a live client from a forgotten one.
_USED_RESOLUTION = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _actor_fields(by: Actor, prefix: str) -> dict[str, object]:
    if isinstance(by, actors.SystemActor):
        return {f"{prefix}_by": None, f"{prefix}_by_actor": by.name}
    return {f"{prefix}_by": by, f"{prefix}_by_actor": ""}


def _require_manage(by: Actor) -> None:
    if not access.may_manage_outlet(by):
        raise PermissionDenied(NOT_ALLOWED)


def _clean_scopes(scopes) -> list[str]:
    if isinstance(scopes, str) or not all(isinstance(s, str) for s in scopes):
        raise ValidationError(BAD_SCOPES, code="scopes")
    chosen = set(scopes)
    if not chosen or not chosen <= set(ApiClient.Scope.values):
        raise ValidationError(BAD_SCOPES, code="scopes")
    if ApiClient.Scope.PUBLISH in chosen and ApiClient.Scope.WRITE not in chosen:
        raise ValidationError(PUBLISH_NEEDS_WRITE, code="scopes")
    return [s for s in ApiClient.Scope.values if s in chosen]


@transaction.atomic
def api_client_create(
    *, by: Actor, name: str, scopes, rate_per_minute: int = 60
) -> tuple[ApiClient, str]:
    """Create a client and return it with its token, which is shown this once and never stored."""
    _require_manage(by)
    if not isinstance(name, str) or not re.match(NAME_PATTERN, name):
        raise ValidationError(BAD_NAME, code="name")
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError(NAME_TAKEN, code="name")
    if not isinstance(rate_per_minute, int) or not 1 <= rate_per_minute <= MAX_RATE_PER_MINUTE:
        raise ValidationError(BAD_RATE, code="rate_per_minute")
    client = ApiClient(
        name=name,
        scopes=_clean_scopes(scopes),
        rate_per_minute=rate_per_minute,
        **_actor_fields(by, "created"),
    )
    while True:
        secret = secrets.token_urlsafe(32)
        token = TOKEN_PREFIX + secret
        client.token_prefix, client.token_hash = secret[:_PREFIX_LENGTH], _hash(token)
        try:
            with transaction.atomic():
                client.save()
        except IntegrityError:
            if ApiClient.objects.filter(name=name).exists():  # created meanwhile by another
                raise ValidationError(NAME_TAKEN, code="name") from None
            continue  # the same 48-bit prefix drawn twice: draw again
        return client, token


@transaction.atomic
def api_client_revoke(*, by: Actor, client: ApiClient) -> ApiClient:
    """Revoke ``client``: its token stops working at once, in every process."""
    _require_manage(by)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        raise ValidationError(ALREADY_REVOKED, code="revoked")
    client.revoked_at = timezone.now()
    for name, value in _actor_fields(by, "revoked").items():
        setattr(client, name, value)
    client.save(update_fields=["revoked_at", "revoked_by", "revoked_by_actor"])
    return client


def api_client_for_token(*, token: str) -> ApiClient | None:
    """Return the active client whose token is ``token``, or None; note that it was used."""
    if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
        return None
    prefix = token[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + _PREFIX_LENGTH]
    if len(prefix) != _PREFIX_LENGTH or not prefix.isascii():
        return None
    client = ApiClient.objects.filter(token_prefix=prefix, revoked_at__isnull=True).first()
    if client is None or not hmac.compare_digest(client.token_hash, _hash(token)):
        return None
    now = timezone.now()
    if client.last_used_at is None or client.last_used_at < now - _USED_RESOLUTION:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client
