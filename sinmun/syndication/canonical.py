"""The site's absolute URLs: one base for canonical links, feeds, sitemaps and exports.

The rule (docs/decisions/0014-canonical-urls.md): ``SINMUN_SITE_URL`` when it is set; else the
address the request came in at (a page names the host and port it was fetched from, never a
default port that only works on the server itself); else, for a command with no request, the
local default. A production set-up without ``SINMUN_SITE_URL`` does not start (``checks.py``),
so the local default never reaches a crawler.

Article URLs are ``/article/<public_id>/`` (``Article.get_absolute_url``); the public id never
changes, so neither does an article's canonical URL.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """Return the base URL (``scheme://host[:port]``, no trailing slash) for absolute links."""
    if settings.SITE_URL_SET or request is None:
        return settings.SITE_URL
    return f"{request.scheme}://{request.get_host()}"


def absolute(url: str, request: HttpRequest | None = None) -> str:
    """Return ``url`` (a path like ``/article/x/`` or a full URL) as an absolute URL."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{urlsplit(site_url(request)).scheme}:{url}"
    return site_url(request) + url


def scheme_and_host(request: HttpRequest | None = None) -> tuple[str, str]:
    """Return the base URL's scheme and ``host[:port]`` (what Django's sitemaps ask for)."""
    parts = urlsplit(site_url(request))
    return parts.scheme, parts.netloc
