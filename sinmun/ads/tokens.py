"""Signed tokens for one banner view: what it counts and where its click goes.

A token names a creative, its campaign and the slot, plus a random nonce, signed with the
site's secret key by ``django.core.signing`` (HMAC-SHA256, with a timestamp). Each use has its
own salt, so a view token is no click token. A click token carries no address: the redirect
goes to the link the creative has in the database, so no token, forged or real, can send a
reader anywhere else (no open redirect).
"""

import functools
import secrets
from dataclasses import dataclass

from django.core import signing

VIEW = "sinmun.ads.view"
CLICK = "sinmun.ads.click"
FRAME = "sinmun.ads.frame"
# A reader may leave a page open for hours before scrolling to a banner or clicking it.
VIEW_MAX_AGE = 6 * 3600
CLICK_MAX_AGE = 24 * 3600
FRAME_MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class Served:
    creative_id: int
    campaign_id: int
    slot: str
    nonce: str


@functools.cache
def _signer(salt: str) -> signing.TimestampSigner:
    # One per salt and process (the serve endpoint signs two tokens per slot per page view);
    # the key is the settings' SECRET_KEY, read once.
    return signing.TimestampSigner(salt=salt)


def issue(*, creative_id: int, campaign_id: int, slot: str, salt: str, nonce: str = "") -> str:
    nonce = nonce or secrets.token_urlsafe(6)
    return _signer(salt).sign_object([creative_id, campaign_id, slot, nonce])


def read(token: str, *, salt: str, max_age: int | None) -> Served:
    """Return what ``token`` names; raise ``signing.BadSignature`` (or its subclass
    ``SignatureExpired``) when it was not made here for this use, was altered, or is too old."""
    value = _signer(salt).unsign_object(token, max_age=max_age)
    if (
        not isinstance(value, list)
        or len(value) != 4
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value[:2])
        or not all(isinstance(v, str) for v in value[2:])
    ):
        raise signing.BadSignature("unexpected token shape")
    return Served(*value)
