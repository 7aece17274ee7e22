"""Optional TOTP two-factor for desk accounts (django-otp's TOTP devices).

A user turns it on in the desk (2단계 인증): a new, unconfirmed device is made, its key shown
as a QR code (drawn here as SVG, no outside service) and as text; the first code the
authenticator app shows confirms it. From then on the login form needs the current code. A
user turns it off with a current code.

django-otp's ``verify_token`` allows one step of clock drift and refuses a code already used.
"""

import logging
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

log = logging.getLogger(__name__)

DEVICE_NAME = "데스크"
CODE_WRONG = "인증 코드가 맞지 않습니다. 앱에 지금 보이는 6자리 숫자를 입력하세요."
ALREADY_ON = "2단계 인증이 이미 켜져 있습니다."
NOT_ON = "2단계 인증이 켜져 있지 않습니다."


def totp_device(*, user) -> TOTPDevice | None:
    """Return the user's confirmed TOTP device, or None when two-factor is off."""
    if user is None or not user.pk:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_pending(*, user) -> TOTPDevice:
    """Return the unconfirmed device being set up, making one (with a fresh key) if none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def token_ok(*, user, token: str) -> bool:
    """Return whether ``token`` satisfies the user's two-factor: always when it is off."""
    device = totp_device(user=user)
    if device is None:
        return True
    token = (token or "").strip().replace(" ", "")
    return token.isdigit() and device.verify_token(token)


@transaction.atomic
def totp_enable(*, user, token: str) -> None:
    """Confirm the pending device with its first code; raise ValueError with a message if not."""
    if totp_device(user=user) is not None:
        raise ValueError(ALREADY_ON)
    device = totp_pending(user=user)
    token = (token or "").strip().replace(" ", "")
    if not (token.isdigit() and device.verify_token(token)):
        raise ValueError(CODE_WRONG)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log.info("two-factor on for user %s", user.pk)


@transaction.atomic
def totp_disable(*, user, token: str) -> None:
    """Turn two-factor off with a current code; raise ValueError with a message if not."""
    if totp_device(user=user) is None:
        raise ValueError(NOT_ON)
    if not token_ok(user=user, token=token):
        raise ValueError(CODE_WRONG)
    TOTPDevice.objects.filter(user=user).delete()
    log.info("two-factor off for user %s", user.pk)


def qr_svg(device: TOTPDevice) -> str:
    """Return the device's otpauth:// address (issuer: OTP_TOTP_ISSUER) as an inline SVG QR."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def base32_key(device: TOTPDevice) -> str:
    """Return the key as an app asks for it when typed in by hand, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
