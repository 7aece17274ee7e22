"""Desk login: one answer for every failure, lockout after repeated failures (django-axes),
strong passwords, other sessions ended by a password change, optional TOTP two-factor."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinmun.desk import login as desk_login
from sinmun.desk import twofactor
from sinmun.desk.views import auth as auth_views
from sinmun.newsroom import roles

pytestmark = pytest.mark.django_db

PASSWORD = "Saenaru-desk-2026"
LOGIN = reverse("desk:login")
DASHBOARD = reverse("desk:dashboard")


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    # Every attempt hashes a password (an unknown user's too); the default hasher's million
    # rounds would make these dozens of attempts take minutes. The checks are the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def desk_user(django_user_model):
    user = django_user_model.objects.create_user(username="ohgaram", password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.DESK))
    return user


def attempt(client, username, password, *, code="", address="203.0.113.7", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "otp_token": code},
        REMOTE_ADDR=address,
        headers=headers,
    )


def signed_in(client) -> bool:
    return client.get(DASHBOARD).status_code == 200


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, steps_ahead):06d}"


def test_unknown_user_and_wrong_password_get_the_same_answer(client, desk_user):
    unknown = attempt(client, "nobody-here", PASSWORD)
    wrong = attempt(client, "ohgaram", "not-the-password")
    assert unknown.status_code == wrong.status_code == 200
    assert desk_login.LOGIN_FAILED in unknown.content.decode()
    assert desk_login.LOGIN_FAILED in wrong.content.decode()
    strip = lambda r: r.content.decode().replace(str(r.context["csrf_token"]), "")  # noqa: E731
    assert strip(unknown).replace("nobody-here", "ohgaram") == strip(wrong)
    assert not signed_in(client)


def test_a_stopped_account_gets_the_same_answer_even_with_its_password(client, desk_user):
    desk_user.is_active = False
    desk_user.save(update_fields=["is_active"])
    response = attempt(client, "ohgaram", PASSWORD)
    assert desk_login.LOGIN_FAILED in response.content.decode()
    assert not signed_in(client)


def test_fewer_failures_than_the_limit_do_not_lock(client, desk_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "ohgaram", "wrong-password").status_code == 200
    response = attempt(client, "ohgaram", PASSWORD)
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert signed_in(client)


def test_the_limit_locks_the_account_at_that_address_with_a_korean_page(
    client, desk_user, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    answers = [attempt(client, "ohgaram", "wrong-password") for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    # Locked: even the right password is refused, on the desk's own login page, in Korean.
    locked = attempt(client, "ohgaram", PASSWORD)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert desk_login.LOCKED_OUT.format(limit=5, minutes=15) in html
    assert "데스크 로그인" in html
    assert locked["Retry-After"] == "900"
    assert not signed_in(client)
    # Another address is not locked out of the same account.
    other = Client()
    assert attempt(other, "ohgaram", PASSWORD, address="198.51.100.20").status_code == 302
    # After the cool-off the right password works again from the first address (the
    # failures are moved back in time: axes compares them with its own clock).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    # A try while locked starts the cool-off again (axes records it as one more failure).
    assert attempt(client, "ohgaram", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert attempt(client, "ohgaram", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = attempt(client, "ohgaram", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_an_unknown_account_is_locked_like_a_real_one(client, desk_user):
    answers = [attempt(client, "nobody-here", "wrong-password") for _ in range(5)]
    assert answers[-1].status_code == 429


def test_behind_a_proxy_the_lockout_counts_the_readers_address(client, desk_user, settings):
    settings.API_CLIENT_IP_HEADER = "X-Real-IP"
    for _ in range(5):
        attempt(client, "ohgaram", "wrong", address="10.0.0.2", **{"X-Real-IP": "203.0.113.9"})
    # The proxy's own address is shared by everybody: only the reader behind it is locked.
    locked = attempt(
        client, "ohgaram", PASSWORD, address="10.0.0.2", **{"X-Real-IP": "203.0.113.9"}
    )
    assert locked.status_code == 429
    fine = attempt(Client(), "ohgaram", PASSWORD, address="10.0.0.2", **{"X-Real-IP": "192.0.2.4"})
    assert fine.status_code == 302


def test_password_change_ends_every_other_session(client, desk_user):
    phone = Client()
    assert attempt(phone, "ohgaram", PASSWORD).status_code == 302
    assert attempt(client, "ohgaram", PASSWORD).status_code == 302
    assert signed_in(phone) and signed_in(client)
    new = "Saenaru-new-pass-77"
    response = client.post(
        reverse("desk:password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert auth_views.CHANGED_AND_SIGNED_OUT in response.content.decode()
    assert signed_in(client)  # this browser stays signed in
    assert not signed_in(phone)  # the other one is signed out
    desk_user.refresh_from_db()
    assert desk_user.check_password(new)


def test_a_short_password_is_refused_in_korean_and_nothing_changes(client, desk_user):
    attempt(client, "ohgaram", PASSWORD)
    response = client.post(
        reverse("desk:password"),
        {"old_password": PASSWORD, "new_password1": "Xy7-short", "new_password2": "Xy7-short"},
    )
    assert response.status_code == 200
    assert "이 비밀번호는 너무 짧습니다. 최소 10자 이상이어야 합니다." in response.content.decode()
    desk_user.refresh_from_db()
    assert desk_user.check_password(PASSWORD)


def test_the_password_page_needs_a_signed_in_desk_user(client):
    response = client.get(reverse("desk:password"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_two_factor_on_then_login_needs_the_code(client, desk_user):
    attempt(client, "ohgaram", PASSWORD)
    page = client.get(reverse("desk:two-factor"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=desk_user, confirmed=False)
    assert twofactor.base32_key(device).replace(" ", "") in page.content.decode().replace(" ", "")
    # A wrong code is refused and changes nothing.
    refused = client.post(reverse("desk:two-factor"), {"action": "enable", "token": "000000"})
    assert refused.status_code == 400
    assert twofactor.CODE_WRONG in refused.content.decode()
    assert twofactor.totp_device(user=desk_user) is None
    enabled = client.post(
        reverse("desk:two-factor"), {"action": "enable", "token": code_for(device)}, follow=True
    )
    assert auth_views.TWO_FACTOR_ON in enabled.content.decode()
    device.refresh_from_db()
    assert device.confirmed

    # Password alone is no longer enough; with the next code it is.
    laptop = Client()
    without = attempt(laptop, "ohgaram", PASSWORD)
    assert without.status_code == 200
    assert desk_login.LOGIN_FAILED in without.content.decode()
    assert not signed_in(laptop)
    with_code = attempt(laptop, "ohgaram", PASSWORD, code=code_for(device, steps_ahead=1))
    assert with_code.status_code == 302
    assert signed_in(laptop)


def test_wrong_codes_count_towards_the_lockout(client, desk_user):
    device = TOTPDevice.objects.create(user=desk_user, name="데스크", confirmed=True)
    answers = [attempt(client, "ohgaram", PASSWORD, code="123456") for _ in range(5)]
    assert answers[-1].status_code == 429
    assert attempt(client, "ohgaram", PASSWORD, code=code_for(device)).status_code == 429


def test_two_factor_off_needs_a_current_code(client, desk_user):
    device = TOTPDevice.objects.create(user=desk_user, name="데스크", confirmed=True)
    attempt(client, "ohgaram", PASSWORD, code=code_for(device))
    assert signed_in(client)
    refused = client.post(reverse("desk:two-factor"), {"action": "disable", "token": "000000"})
    assert refused.status_code == 400
    assert twofactor.totp_device(user=desk_user) is not None
    client.post(
        reverse("desk:two-factor"),
        {"action": "disable", "token": code_for(device, steps_ahead=1)},
    )
    assert twofactor.totp_device(user=desk_user) is None
