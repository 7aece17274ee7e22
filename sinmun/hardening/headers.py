"""The security headers of every response: Content-Security-Policy and Permissions-Policy.

Django's ``SecurityMiddleware`` already sends X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy and HSTS, and ``XFrameOptionsMiddleware`` X-Frame-Options; this adds
what Django 5.2 lacks (its own CSP arrives in 6.0, which needs Python 3.12).

Written by hand rather than with django-csp because the policies are constant strings chosen
by where a page belongs, and reader pages must never carry a nonce: the page cache in front of
Django (``public/pagecache.py``) replays a page's headers to every reader, so a per-request
nonce would be one shared, public value. Reader pages therefore have no inline script at all
and one fixed policy. The desk and Django's admin are never cached and get a fresh nonce per
request for the one inline script they need (django-prose-editor's import map).

A response that already carries a policy keeps it: an HTML banner's sandboxed frame
(``ads/views.frame``) sets its own.
"""

import secrets

from django.conf import settings

CSP = "Content-Security-Policy"
# Namespaces of the staff's pages: strict policy with a nonce, no reader extras.
STAFF_NAMESPACES = frozenset({"desk", "admin"})
# Swagger UI (django-ninja's copy, /api/docs) writes inline styles from its React code.
DOCS_URL_NAME = "openapi-view"

# Features no page of a newspaper uses; denying them keeps an injected or third-party script
# (a banner's tag inside its frame included) from asking the reader for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


# The one <style> element the desk's body editor writes: Tiptap's base styles for ProseMirror
# (white-space, the caret), injected by django-prose-editor 0.28's editor.js with no way to
# pass a nonce. Its hash allows exactly that text; a new version with other styles shows up as
# a violation in the browser test (hardening/tests/test_browser_csp.py), never silently.
TIPTAP_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *values]).strip() for name, values in directives.items())


def _base(*, https: bool) -> dict[str, list[str]]:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Banners of the HTML kind run in a sandboxed frame of this site (/ads/f/…).
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    if https:
        directives["upgrade-insecure-requests"] = []
    return directives


def reader_policy(
    *, https: bool, extra_script_src: list[str], extra_img_src: list[str]
) -> dict[str, list[str]]:
    """Return the reader pages' directives: nothing inline, the site's own files only.

    ``extra_script_src`` (SINMUN_CSP_EXTRA_SCRIPT_SRC) lets an outlet add an analytics or ad
    network's script host; such scripts send their beacons to their own hosts, so the hosts
    join connect-src and img-src too. ``extra_img_src`` (SINMUN_CSP_EXTRA_IMG_SRC) is for
    photos served from object storage or a CDN.
    """
    directives = _base(https=https)
    directives["script-src"] += extra_script_src
    directives["connect-src"] += extra_script_src
    directives["img-src"] += extra_script_src + extra_img_src
    return directives


def staff_policy(*, https: bool, nonce: str) -> dict[str, list[str]]:
    """Return the desk's and the admin's directives: the reader's, with a per-request nonce."""
    directives = _base(https=https)
    directives["script-src"].append(f"'nonce-{nonce}'")
    directives["style-src"].append(TIPTAP_STYLE_HASH)
    # Photo previews before upload and pasted images in the editor.
    directives["img-src"] += ["data:", "blob:"]
    return directives


def docs_policy(*, https: bool) -> dict[str, list[str]]:
    """Return the API docs' directives: Swagger UI sets style attributes and data: icons."""
    directives = _base(https=https)
    directives["style-src"].append("'unsafe-inline'")
    directives["img-src"].append("data:")
    return directives


def _frame_ancestors(response) -> str:
    """Match X-Frame-Options: the ads' preview frames are same-origin, everything else none."""
    if getattr(response, "xframe_options_exempt", False):
        return ""
    if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
        return "; frame-ancestors 'self'"
    return "; frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy to every response.

    Sits right after Django's SecurityMiddleware, so its response step runs after
    XFrameOptionsMiddleware has decided on framing.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        https = settings.HTTPS
        self.reader = _policy(
            reader_policy(
                https=https,
                extra_script_src=settings.CSP_EXTRA_SCRIPT_SRC,
                extra_img_src=settings.CSP_EXTRA_IMG_SRC,
            )
        )
        self.docs = _policy(docs_policy(https=https))
        self.https = https

    def __call__(self, request):
        response = self.get_response(request)
        if CSP not in response:
            response[CSP] = self._policy_for(request) + _frame_ancestors(response)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.namespaces[:1] and (
            request.resolver_match.namespaces[0] in STAFF_NAMESPACES
        ):
            request.csp_nonce = secrets.token_urlsafe(18)

    def _policy_for(self, request) -> str:
        nonce = getattr(request, "csp_nonce", None)
        if nonce:
            return _policy(staff_policy(https=self.https, nonce=nonce))
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == DOCS_URL_NAME:
            return self.docs
        return self.reader
