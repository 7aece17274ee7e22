"""Newsroom core: outlet, sections, series, reporters, keywords, articles and their revisions.

Writes go through ``services`` (one function per editorial action), reads through ``selectors``.
Interfaces (``public``, the admin, the command line, ``syndication``) import those two modules and
the models; nothing in this package imports an interface.
"""
