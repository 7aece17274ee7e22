"""Who is calling: a client's token (``Authorization: Bearer sinmun_…``) or, for reads, nobody.

Each check raises an ``ApiRefusal`` the API turns into its one error shape: a token that is
unknown or revoked is 401 even where no token is needed (a client must learn its token is
dead), a missing scope is 403, and a client or address over its rate is 429 with
``Retry-After``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from sinmun.clients import client_address

from . import ratelimit, services
from .models import ApiClient

# Messages, not secrets (bandit reads "TOKEN" as a password).
TOKEN_REQUIRED = "토큰이 필요합니다 (Authorization: Bearer sinmun_…)."  # noqa: S105
TOKEN_INVALID = "알 수 없거나 폐기된 토큰입니다."  # noqa: S105
SCOPE_MISSING = "이 토큰에는 {scope} 권한이 없습니다."
RATE_LIMITED = "요청이 너무 많습니다. {seconds}초 뒤에 다시 보내세요."
ANONYMOUS_OFF = "이 사이트의 API는 토큰이 있어야 읽을 수 있습니다."


class ApiRefusal(Exception):
    """A request refused before it reached its endpoint."""

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after


@dataclass(frozen=True)
class Anonymous:
    """A reader without a token, known by address for the rate limit."""

    address: str


def _limit(key: str, rate: int) -> None:
    wait = ratelimit.over_limit(key, rate)
    if wait is not None:
        raise ApiRefusal(429, "rate_limited", RATE_LIMITED.format(seconds=wait), wait)


class ClientToken(HttpBearer):
    """A client's bearer token with ``scope``; with ``anonymous``, no token is a reader too."""

    def __init__(self, scope: str, *, anonymous: bool = False):
        super().__init__()
        self.scope, self.anonymous = scope, anonymous

    def __call__(self, request: HttpRequest):
        if request.headers.get(self.header):
            return super().__call__(request) or self._refuse_token()
        if not self.anonymous:
            raise ApiRefusal(401, "token_required", TOKEN_REQUIRED)
        if settings.API_ANONYMOUS_RATE <= 0:
            raise ApiRefusal(401, "token_required", ANONYMOUS_OFF)
        reader = Anonymous(client_address(request))
        _limit(f"ip:{reader.address}", settings.API_ANONYMOUS_RATE)
        return reader

    def _refuse_token(self):
        raise ApiRefusal(401, "token_invalid", TOKEN_INVALID)

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        client = services.api_client_for_token(token=token)
        if client is None:
            return None
        # Reads are public: any live client may read, at its own rate.
        if self.scope != ApiClient.Scope.READ and not client.has_scope(self.scope):
            raise ApiRefusal(403, "scope_missing", SCOPE_MISSING.format(scope=self.scope))
        _limit(f"client:{client.pk}", client.rate_per_minute)
        return client


READ = ClientToken(ApiClient.Scope.READ, anonymous=True)
WRITE = ClientToken(ApiClient.Scope.WRITE)
