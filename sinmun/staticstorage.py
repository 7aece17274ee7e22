"""Static files: hashed, pre-compressed names once collected; plain names until then.

WhiteNoise's ``CompressedManifestStaticFilesStorage`` gives every asset a name with its hash and
a gzip copy (served with a year's ``Cache-Control``) after ``sinmun collectstatic``, which
``make migrate`` runs. Before that — a test run, ``sinmun serve`` from a fresh checkout without
``make`` — it would refuse to name an asset it has not collected; this storage names it as it is
instead, and WhiteNoise serves it from the app folders (``WHITENOISE_USE_FINDERS``) with a short
cache time.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name
