"""``sinmun check --deploy``: the README's production configuration passes with nothing to
report; a bad one fails and names every problem. And what SINMUN_HTTPS turns on."""

import datetime
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from sinmun.hardening import checks
from sinmun.newsroom import actors, roles, services
from sinmun.tests.test_settings import start

# The README's "Production checklist", as settings.py turns those variables into settings.
PRODUCTION = {
    "DEBUG": False,
    "SECRET_KEY": "Vd3u1-qS8GmKx0yZ7eR2tN5pB9wL4hJ6cF1aD8sE3gU0iO7kM2nQ5vX9zT4yW6rP8",
    "ALLOWED_HOSTS": ["news.example.kr"],
    "SITE_URL": "https://news.example.kr",
    "SITE_URL_SET": True,
    "CSRF_TRUSTED_ORIGINS": ["https://news.example.kr"],
    "HTTPS": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "KMA_API_HUB_KEY": "hub-key",
}
LEGAL = {
    "name": "새나루일보",
    "title": "새나루일보",
    "company": "(주)새나루미디어",
    "address": "서울특별시 중구 새나루로 12",
    "phone": "02-0000-0000",
    "registration_number": "서울 아09999",
    "registration_date": datetime.date(2020, 3, 2),
    "publisher": "정하늘",
    "editor": "오가람",
    "publication_date": datetime.date(2020, 3, 16),
    "youth_officer": "한누리",
}


def deploy_check() -> str:
    out = StringIO()
    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_production_configuration_passes_with_nothing_to_report(settings, monkeypatch):
    # Only the tests set this (sinmun/testenv.py, for Playwright); Django refuses it in
    # production (async.E001), rightly.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    services.outlet_update(by=actors.DEMO, **LEGAL)
    assert "System check identified no issues (2 silenced)." in deploy_check()


@pytest.mark.django_db
def test_a_bad_configuration_fails_and_names_each_problem(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = "change-me"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.HTTPS = False
    settings.KMA_API_HUB_KEY = settings.KMA_DATA_GO_KR_KEY = ""
    with pytest.raises(SystemCheckError) as failed:
        deploy_check()
    report = str(failed.value)
    for code, message in [
        ("hardening.E001", checks.DEBUG_ON),
        ("hardening.E002", checks.WEAK_KEY),
        ("hardening.E003", checks.HOSTS_LOCAL),
        ("hardening.E004", checks.HTTPS_OFF),
        ("hardening.E006", "매체 설정의 법정 표시 항목이 비어 있습니다: 제호, 등록번호"),
        ("hardening.W001", checks.KMA_KEYS_EMPTY),
        ("security.W012", "SESSION_COOKIE_SECURE"),
    ]:
        assert f"({code}) {message}" in report, code


@pytest.mark.django_db
def test_https_on_needs_an_https_site_address(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    services.outlet_update(by=actors.DEMO, **LEGAL)
    settings.SITE_URL = "http://news.example.kr"
    with pytest.raises(SystemCheckError, match=re.escape(checks.SITE_URL_NOT_HTTPS)):
        deploy_check()
    settings.ALLOWED_HOSTS = ["*"]
    with pytest.raises(SystemCheckError, match=re.escape(checks.HOSTS_ANY)):
        deploy_check()


def test_sinmun_check_deploy_exits_1_for_the_default_local_setup(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SINMUN_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(SINMUN_VAR_DIR=str(tmp_path), SINMUN_DEBUG="1")
    result = subprocess.run(
        [sys.executable, "-m", "sinmun", "check", "--deploy"],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    for code in ("hardening.E001", "hardening.E003", "hardening.E004", "hardening.E006"):
        assert code in result.stderr, code
    assert checks.DEBUG_ON in result.stderr


SECURITY = (
    "[settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS,"
    " settings.SECURE_SSL_REDIRECT, getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)]"
)


def test_sinmun_https_turns_on_secure_cookies_hsts_and_the_redirect(tmp_path):
    assert start(tmp_path, SECURITY) == [False, False, 0, False, None]
    assert start(tmp_path, SECURITY, SINMUN_HTTPS="1") == [True, True, 31536000, False, None]
    assert start(
        tmp_path, SECURITY, SINMUN_HTTPS="1", SINMUN_PROXY_SSL_HEADER="X-Forwarded-Proto"
    ) == [True, True, 31536000, True, ["HTTP_X_FORWARDED_PROTO", "https"]]


@pytest.mark.django_db
@pytest.mark.parametrize("https", [False, True])
def test_login_cookies_are_secure_only_with_https(client, settings, django_user_model, https):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = https
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(username="cookie", password="Cookie-pass-2026")
    user.groups.add(Group.objects.get(name=roles.DESK))
    client.get("/desk/login/")
    client.post("/desk/login/", {"username": "cookie", "password": "Cookie-pass-2026"})
    session, csrf = client.cookies["sessionid"], client.cookies["csrftoken"]
    assert bool(session["secure"]) is https and bool(csrf["secure"]) is https
    assert session["httponly"] and session["samesite"] == "Lax"
