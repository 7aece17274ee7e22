"""Static files: hashed, pre-compressed names once collected; plain names until then.

WhiteNoise's ``CompressedManifestStaticFilesStorage`` gives every asset a name with its hash and
a gzip copy (served with a year's ``Cache-Control``) after ``sinmun collectstatic``, which
``make migrate`` runs. Before that — a test run, ``sinmun serve`` from a fresh checkout without
``make`` — it would refuse to name an asset it has not collected; this storage names it as it is
instead, and WhiteNoise serves it from the app folders (``WHITENOISE_USE_FINDERS``) with a short
cache time.

Each name's URL is worked out once per process: the manifest is read when the storage is made
and never changes under it, and the four ``{% static %}`` of every page cost a tenth of a render
from kept fragments (docs/decisions/0016).
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name
