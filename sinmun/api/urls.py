"""``/api/``: the NinjaAPI's routes, each answering with a ``Cache-Control`` header."""

from functools import wraps

from django.urls import re_path
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from .endpoints import UNKNOWN_PATH, api, error

JSON = "application/json"
METHOD_NOT_ALLOWED = "이 주소에 쓸 수 없는 메서드입니다 (쓸 수 있는 것: {})."

# Reader pages are cached for a minute too (SINMUN_PAGE_CACHE_SECONDS): a client polling the
# list sees a new article within the same minute a reader does.
READ_MAX_AGE = 60


def _with_cache_control(view):
    """Mark successful reads cacheable for a minute; writes, errors and refusals never.

    Also give a wrong method the API's JSON error shape.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response["Content-Type"].startswith(JSON):
            # ninja answers a wrong method with Django's bare HttpResponseNotAllowed.
            allowed = response["Allow"]
            response = error(405, "method_not_allowed", METHOD_NOT_ALLOWED.format(allowed))
            response["Allow"] = allowed
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=READ_MAX_AGE)
            # One URL answers JSON or ninjs by the Accept header.
            patch_vary_headers(response, ["Accept"])
        else:
            patch_cache_control(response, no_store=True)
        return response

    return wrapped


def _wrapped(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):  # a nested resolver
            _wrapped(pattern.url_patterns)
        else:
            pattern.callback = _with_cache_control(pattern.callback)
    return patterns


# Exempt like the API's own views (token auth, no cookies): a POST or PUT to an unknown
# address would otherwise get Django's HTML CSRF page instead of the 404.
@csrf_exempt
def _unknown(request, rest):
    """Answer an unknown address under /api/ in the API's error shape, not the reader's 404."""
    return error(404, "not_found", UNKNOWN_PATH)


app_name = "api"
# DOTALL: an address with an encoded newline (%0A) must land here too, not on the reader's
# HTML 404 (found by the schemathesis run).
urlpatterns = _wrapped([*api.urls[0], re_path(r"^(?P<rest>(?s:.*))$", _unknown, name="unknown")])
