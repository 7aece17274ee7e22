"""The JSON API (``/api/``): reads for partners and apps, ninjs writes for wire ingest.

Submodules: ``models`` and ``services`` (clients and their tokens; import nothing else of the
API), ``ratelimit`` (a fixed window in the shared cache), ``selectors`` (what readers may see,
built on ``newsroom.selectors``), ``representations`` (rows into response dicts),
``auth`` (token and anonymous access; imports ``services`` and ``ratelimit``), ``endpoints``
(the NinjaAPI; thin: parse, call a selector or a service, shape), ``urls``.

The API sits above the apps it serves: it reads search results through
``search.selectors`` and ninjs through ``syndication.ninjs`` (docs/decisions/0015-api.md).
"""
