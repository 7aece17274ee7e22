"""The beacon's endpoint: ``POST /audience/view/`` from ``beacon.js``; never page-cached.

It answers 204 with no body whether or not the view counted (a crawler learns nothing), and
400 with a Korean message for a malformed request. No cookie, no session, no CSRF token: the
beacon is sent by ``navigator.sendBeacon`` from a cached page that carries none; what it can
do is bounded to one count per reader, article and 30 minutes.
"""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sinmun.clients import client_address

from . import counting, services

MAX_BODY = 4096


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def beacon(request):
    if len(request.body) > MAX_BODY:
        return _no_store(
            HttpResponse(
                counting.NOT_AN_ARTICLE, status=400, content_type="text/plain; charset=utf-8"
            )
        )
    public_id = request.POST.get("a", "")
    reason = services.view_record(
        public_id=public_id,
        referrer=request.POST.get("r", ""),
        user_agent=request.headers.get("User-Agent", ""),
        address=client_address(request),
        headers=request.headers,
        host=request.get_host(),
    )
    if reason in (counting.NOT_AN_ARTICLE, services.STORE_DOWN):
        status = 400 if reason == counting.NOT_AN_ARTICLE else 503
        return _no_store(
            HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")
        )
    return _no_store(HttpResponse(status=204))
