"""Static file URLs: hashed names from the manifest, each worked out once per process."""

import json

from sinmun.staticstorage import StaticStorage


def _storage(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"site.css": "site.abc123.css"}, "hash": "x"})
    )
    return StaticStorage(location=tmp_path, base_url="/static/")


def test_a_url_is_worked_out_once_and_then_repeated(tmp_path, settings, monkeypatch):
    settings.DEBUG = False
    storage = _storage(tmp_path)
    asked = []
    looked_up = StaticStorage.stored_name
    monkeypatch.setattr(
        StaticStorage, "stored_name", lambda self, name: asked.append(name) or looked_up(self, name)
    )
    assert storage.url("site.css") == "/static/site.abc123.css"
    assert storage.url("site.css") == "/static/site.abc123.css"
    assert asked == ["site.css"]
    assert storage.url("not-collected.js") == "/static/not-collected.js"


def test_debug_names_files_as_they_are(tmp_path, settings):
    settings.DEBUG = True
    assert _storage(tmp_path).url("site.css") == "/static/site.css"
