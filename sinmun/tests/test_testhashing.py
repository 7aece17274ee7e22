"""The test run's remembered hashing (sinmun/testhashing.py) answers as the real hasher does."""

from django.contrib.auth import base_user, hashers

from sinmun import testhashing


def test_the_auth_modules_hash_through_the_remembered_answers():
    assert base_user.make_password is testhashing.make_password
    assert base_user.check_password is testhashing.check_password


def test_a_remembered_hash_is_the_real_hashers_and_checks_only_its_own_password():
    encoded = testhashing.make_password("기억한-비밀번호-1")
    assert testhashing.make_password("기억한-비밀번호-1") == encoded  # computed once
    assert encoded.startswith("pbkdf2_sha256$")  # the site's hasher, not a test one
    # The real function, not the remembered one, accepts it; and refuses another password.
    assert hashers.check_password("기억한-비밀번호-1", encoded)
    assert testhashing.check_password("기억한-비밀번호-1", encoded)
    assert not testhashing.check_password("다른-비밀번호-2", encoded)
    assert not testhashing.check_password("다른-비밀번호-2", encoded)  # remembered: still no


def test_another_hasher_in_the_settings_is_used_as_set(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    encoded = testhashing.make_password("기억한-비밀번호-1")
    assert encoded.startswith("md5$")
    assert testhashing.check_password("기억한-비밀번호-1", encoded)
