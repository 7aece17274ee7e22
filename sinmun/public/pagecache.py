"""Full-page cache for the reader's site (DESIGN.md: "full-page cache hit (or render)").

Anonymous GET/HEAD responses are kept in this process's memory for ``PAGE_CACHE_SECONDS``
under a key that carries the content generation (``newsroom.generation``, shared by every
process through a file or Redis). This app subscribes to the newsroom's follow-ups
(``purge_on_change``, in ``PublicConfig.ready``) and starts a new generation after every change
readers could see commits, so the next request renders afresh, in any process. The TTL bounds
how old relative times (``3분 전``) can get. Written by hand because Django's ``cache_page``
keys by URL and headers only and offers no invalidation on publish.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from sinmun.newsroom import generation

KEY_PREFIX = "page"


def _cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        # Desk users (who have a session) see pages as they are, never a cached copy.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cached_page(view):
    """Serve ``view`` from the page cache when the request allows it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"{KEY_PREFIX}:{generation.current()}:{request.get_full_path()}"
        hit = caches["local"].get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            caches["local"].set(
                key, (response.content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS
            )
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper


def purge_on_change(happened) -> None:
    """Start a new generation: every cached page (in every process) is now out of date."""
    generation.bump()
