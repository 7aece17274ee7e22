"""The reader-facing endpoints of the ads app; none is ever page-cached.

- ``serve``: JSON, the banner for each slot of one page view (``static/ads/ads.js`` asks once
  per page, so banners rotate although the page itself comes from the page cache).
- ``view``: the beacon of viewable impressions (≥ 50 % of the banner on screen for 1 s).
- ``click``: the signed redirect to the creative's own link.
- ``frame``: an HTML creative's document, which only ever runs sandboxed.
"""

import functools
import logging
import secrets
from urllib.parse import urlsplit

from django.core import signing
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from . import bots, counting, inventory, tokens
from .models import Creative
from .slots import BREAKPOINTS, SLOTS

logger = logging.getLogger(__name__)

BAD_SLOTS = "광고 자리 이름이 올바르지 않습니다."
BAD_DEVICE = "기기는 m(휴대폰) 또는 d(PC)여야 합니다."
BAD_SECTION = "섹션 번호가 올바르지 않습니다."
BAD_BEACON = "광고 노출 기록이 올바르지 않습니다."
BAD_LINK = "광고 주소가 올바르지 않거나 변조되었습니다."
NO_FRAME = "광고를 찾을 수 없습니다."
MAX_BEACON_BYTES = 8192
MAX_BEACON_TOKENS = 20
# A view or click token counts once (a reload of the beacon, a double click).
SEEN_SECONDS = max(tokens.VIEW_MAX_AGE, tokens.CLICK_MAX_AGE)
FRAME_POLICY = "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox"
CLICK_MACRO = "%%CLICK_URL%%"


def _error(message: str, status: int = 400) -> JsonResponse:
    response = JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-store"
    return response


def _text_error(message: str, status: int = 400) -> HttpResponse:
    page = (
        '<!doctype html><html lang="ko"><meta charset="utf-8"><title>광고 주소 오류</title>'
        f'<p>{escape(message)}</p><p><a href="/">첫 화면으로</a></p></html>'
    )
    response = HttpResponse(page, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@functools.cache
def _url(name: str) -> str:
    """Return the address pattern of ``name`` with ``{}`` for the token (reversed once)."""
    return reverse(name, args=["TOKEN"]).replace("TOKEN", "{}")


def _fill(offer: inventory.Offer, slot: str) -> dict:
    ids = {"creative_id": offer.creative_id, "campaign_id": offer.campaign_id, "slot": slot}
    nonce = secrets.token_urlsafe(6)
    out = {
        "kind": offer.kind,
        "house": offer.is_house,
        "view": tokens.issue(salt=tokens.VIEW, nonce=nonce, **ids),
    }
    if offer.kind == Creative.Kind.HTML:
        frame = tokens.issue(salt=tokens.FRAME, nonce=nonce, **ids)
        out["frame"] = _url("ads:frame").format(frame)
    else:
        click = tokens.issue(salt=tokens.CLICK, nonce=nonce, **ids)
        out.update(href=_url("ads:click").format(click), alt=offer.alt, img=offer.images)
    return out


def serve_payload(params) -> tuple[int, dict]:
    """Return the status and JSON body answering ``params`` (the query: slots, device, section).

    Shared by the view below and ``front.AdsFront``, which answers in front of Django.
    """
    names = [n for n in params.get("slots", "").split(",") if n]
    if not names or len(names) > len(SLOTS) or any(n not in SLOTS for n in names):
        return 400, {"error": BAD_SLOTS}
    device = params.get("device", "")
    if device not in BREAKPOINTS:
        return 400, {"error": BAD_DEVICE}
    raw_section = params.get("section", "")
    if raw_section and not (
        raw_section.isascii() and raw_section.isdigit() and len(raw_section) < 12
    ):
        return 400, {"error": BAD_SECTION}
    section_id = int(raw_section) if raw_section else None
    stock = inventory.current()
    now = timezone.now()
    slots = {}
    for name in dict.fromkeys(names):
        offer = inventory.choose(
            stock, slot=SLOTS[name], section_id=section_id, device=device, now=now
        )
        slots[name] = _fill(offer, name) if offer else None
    return 200, {"slots": slots}


@never_cache
@require_safe
def serve(request):
    status, payload = serve_payload(request.GET)
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _first_time(kind: str, served: tokens.Served) -> bool:
    return caches["default"].add(
        f"ads:seen:{kind}:{served.creative_id}:{served.nonce}", 1, SEEN_SECONDS
    )


def count_views(body: bytes, user_agent: str | None) -> bool:
    """Count the views a beacon ``body`` names (one token a line); return False when it is
    malformed or carries a token not made here (then nothing is counted)."""
    if len(body) > MAX_BEACON_BYTES:
        return False
    try:
        lines = body.decode("ascii").split()
    except UnicodeDecodeError:
        return False
    if not lines or len(lines) > MAX_BEACON_TOKENS:
        return False
    try:
        views = [tokens.read(t, salt=tokens.VIEW, max_age=tokens.VIEW_MAX_AGE) for t in lines]
    except signing.BadSignature:
        return False
    if not bots.is_robot(user_agent):
        for served in views:
            if served.slot in SLOTS and _first_time(counting.VIEW, served):
                counting.record(
                    counting.VIEW,
                    campaign_id=served.campaign_id,
                    creative_id=served.creative_id,
                    slot=served.slot,
                )
    return True


@csrf_exempt
@require_POST
def view(request):
    if not count_views(request.body, request.META.get("HTTP_USER_AGENT")):
        return _error(BAD_BEACON)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


def _destination(creative_id: int) -> str:
    offer = inventory.current().offer(creative_id)
    link = offer.link if offer else None
    if link is None:
        # An ended or paused campaign's banner may still be on an open page.
        link = Creative.objects.filter(pk=creative_id).values_list("link_url", flat=True).first()
    if link and urlsplit(link).scheme in ("http", "https") and urlsplit(link).netloc:
        return link
    return "/"


@never_cache
@require_safe
def click(request, token: str):
    try:
        served = tokens.read(token, salt=tokens.CLICK, max_age=None)
    except signing.BadSignature:
        return _text_error(BAD_LINK)
    fresh = True
    try:
        tokens.read(token, salt=tokens.CLICK, max_age=tokens.CLICK_MAX_AGE)
    except signing.SignatureExpired:
        fresh = False
    if (
        fresh
        and served.slot in SLOTS
        and not bots.is_robot(request.META.get("HTTP_USER_AGENT"))
        and _first_time(counting.CLICK, served)
    ):
        counting.record(
            counting.CLICK,
            campaign_id=served.campaign_id,
            creative_id=served.creative_id,
            slot=served.slot,
        )
    return HttpResponseRedirect(_destination(served.creative_id))


FRAME_PAGE = (
    '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>광고</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<style>html,body{{margin:0;padding:0;overflow:hidden;}}</style></head>"
    "<body>{html}</body></html>"
)


@xframe_options_sameorigin
@require_safe
def frame(request, token: str):
    try:
        served = tokens.read(token, salt=tokens.FRAME, max_age=tokens.FRAME_MAX_AGE)
    except signing.BadSignature:
        return _text_error(NO_FRAME, status=404)
    creative = Creative.objects.filter(pk=served.creative_id, kind=Creative.Kind.HTML).first()
    if creative is None:
        return _text_error(NO_FRAME, status=404)
    html = creative.html
    if CLICK_MACRO in html:
        click_token = tokens.issue(
            salt=tokens.CLICK,
            creative_id=served.creative_id,
            campaign_id=served.campaign_id,
            slot=served.slot,
            nonce=served.nonce,
        )
        html = html.replace(
            CLICK_MACRO,
            escape(request.build_absolute_uri(reverse("ads:click", args=[click_token]))),
        )
    response = HttpResponse(FRAME_PAGE.format(html=html), content_type="text/html; charset=utf-8")
    # The sandbox holds even when the frame's address is opened on its own, outside the iframe:
    # the document gets an opaque origin (no cookies, no storage, no access to the site's pages).
    response["Content-Security-Policy"] = FRAME_POLICY
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    return response
