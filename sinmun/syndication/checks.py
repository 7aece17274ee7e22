"""Startup checks for what crawlers and portals read: the canonical base URL.

``sinmun serve``, ``sinmun worker`` and every other command run Django's system checks before
they start; an ``Error`` stops them. Canonical links, feeds, sitemaps and exports are absolute
URLs, and a production site that guessed its own address would hand crawlers the local
default (``http://127.0.0.1:8000``) — the bug of issue 11. So: set ``SINMUN_SITE_URL`` or do
not start (docs/decisions/0014-canonical-urls.md).
"""

from django.conf import settings
from django.core.checks import Error, register

SITE_URL_MISSING = (
    "SINMUN_SITE_URL이 없습니다. 운영 서버에서는 사이트 주소(예: https://news.example.kr)를 "
    "지정해야 표준 주소·피드·사이트맵·내보내기 주소가 올바릅니다."
)
SITE_URL_MISSING_HINT = "SINMUN_SITE_URL=https://… 를 설정하세요 (docs/decisions/0014)."
SITE_URL_INVALID = "SINMUN_SITE_URL은 http:// 또는 https://로 시작하는 주소여야 합니다."
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


def _is_production() -> bool:
    """Return whether the site answers to a public host with debugging off."""
    return not settings.DEBUG and any(
        host.lstrip(".") not in LOCAL_HOSTS for host in settings.ALLOWED_HOSTS
    )


@register()
def site_url_check(app_configs=None, **kwargs) -> list[Error]:
    """Refuse a production start without ``SINMUN_SITE_URL``, and a malformed one anywhere."""
    if settings.SITE_URL_SET and not settings.SITE_URL.startswith(("http://", "https://")):
        return [Error(SITE_URL_INVALID, id="syndication.E002")]
    if not settings.SITE_URL_SET and _is_production():
        return [Error(SITE_URL_MISSING, hint=SITE_URL_MISSING_HINT, id="syndication.E001")]
    return []
