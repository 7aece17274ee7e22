"""Addresses every page links outside its kept fragments (the masthead, the feeds, the
stylesheets), worked out once per process.

``reverse()`` and ``{% static %}`` cost ~15 µs and ~5 µs a call (the resolver's namespaces
and the current language read from a thread-local, the app registry); a render of the article
page from kept fragments made five of the one and three of the other (docs/decisions/0016).
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse


def url(name: str, slug: str = "") -> str:
    """Return ``reverse(name)``, or with ``slug`` as its one argument."""
    return _reversed(name, slug, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=1024)
def _reversed(name: str, slug: str, prefix: str, urlconf) -> str:
    # The prefix and URLconf are part of the key: reverse() reads them from the request.
    return reverse(name, kwargs={"slug": slug}) if slug else reverse(name)


@functools.lru_cache(maxsize=64)
def asset(path: str) -> str:
    """Return ``{% static path %}``."""
    return static(path)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "STATIC_URL", "STORAGES", "DEBUG"):
        _reversed.cache_clear()
        asset.cache_clear()
