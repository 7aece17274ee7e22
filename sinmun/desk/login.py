"""The desk's login: one answer for every failure, lockout, and the two-factor code.

django-axes counts failed logins per account and address and refuses the pair after
``AXES_FAILURE_LIMIT`` of them for ``AXES_COOLOFF_TIME`` (settings.py); this module gives it
the client address (the proxy's header, as the API's rate limit reads it) and the Korean
lockout page. A wrong two-factor code counts as a failed login too, so the six digits cannot
be guessed faster than a password.

No user enumeration: an unknown account, a wrong password, a stopped account and a wrong code
get the same message, and the lockout counts an unknown account's failures like a real one's.
"""

import math

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render

from . import twofactor

LOGIN_FAILED = (
    "아이디 또는 비밀번호가 맞지 않습니다. 2단계 인증을 쓰는 계정은 인증 코드도 확인하세요."
)
LOCKED_OUT = (
    "로그인에 {limit}번 실패해 이 아이디는 지금 주소에서 {minutes}분 동안 로그인할 수 없습니다. "
    "시간이 지난 뒤 다시 시도하거나 관리자에게 문의하세요."
)


class DeskLoginForm(AuthenticationForm):
    """Django's login form with the optional two-factor code and one error message."""

    otp_token = forms.CharField(
        label="인증 코드",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {"invalid_login": LOGIN_FAILED, "inactive": LOGIN_FAILED}

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and not twofactor.token_ok(
            user=user, token=cleaned.get("otp_token", "")
        ):
            # Counted by django-axes like a wrong password.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned.get("username", "")},
                request=self.request,
            )
            self.user_cache = None
            raise self.get_invalid_login_error()
        return cleaned


def lockout_minutes() -> int:
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def locked_out(request, original_response=None, credentials=None):
    """Answer a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE): the login page, 429."""
    message = LOCKED_OUT.format(limit=settings.AXES_FAILURE_LIMIT, minutes=lockout_minutes())
    response = render(
        request,
        "desk/login.html",
        {"form": DeskLoginForm(request), "locked_out": message},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
