"""Password hashing at test speed, with the site's real hasher.

The site hashes with PBKDF2 at Django's 1,000,000 iterations: half a second a password on an
idle core, several on a loaded CI machine. The desk's fixtures make five accounts a test, and
a log-in checks a password again, so hashing was most of the desk tests' time. Instead of
swapping in a weaker hasher (which would leave the real one untested), this remembers what
the real functions answered for the same inputs within the test run: the first account with
a password pays for its hash, the next ones with the same password reuse it (the same salt:
harmless in tests), and a password checked against the same hash is checked once.

Both are pure for the inputs kept: ``make_password`` for a given password, salt and hasher
(a random salt only makes hashes differ), ``check_password`` for a given password and hash
under the same preferred hasher (it would otherwise re-hash the password to upgrade it, so
that case is not kept).
"""

from django.contrib.auth import base_user, hashers, models

_made: dict[tuple, str] = {}
_checked: dict[tuple, bool] = {}
_real_make = hashers.make_password
_real_check = hashers.check_password


def make_password(password, salt=None, hasher="default"):
    if password is None or not isinstance(password, str | bytes):
        return _real_make(password, salt, hasher)
    algorithm = hashers.get_hasher(hasher).algorithm
    key = (password, salt, algorithm)
    if key not in _made:
        _made[key] = _real_make(password, salt, hasher)
    return _made[key]


def check_password(password, encoded, setter=None, preferred="default"):
    try:
        kept = hashers.identify_hasher(encoded).algorithm == hashers.get_hasher(preferred).algorithm
    except ValueError:
        kept = False
    if not kept or password is None:
        return _real_check(password, encoded, setter, preferred)
    key = (password, encoded)
    if key not in _checked:
        _checked[key] = _real_check(password, encoded, setter, preferred)
    return _checked[key]


def install() -> None:
    """Route the auth modules' hashing through the remembered answers (for the test run)."""
    base_user.make_password = make_password
    base_user.check_password = check_password
    models.make_password = make_password
