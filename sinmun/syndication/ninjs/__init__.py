"""IPTC ninjs 2.x (News in JSON) import and export of articles.

Submodules: ``parsing`` (pure checks; imports no sibling), ``importing`` (through the services;
imports ``parsing``), ``exporting`` (imports ``parsing``). Callers import from this package.

Mapping (README, "ninjs"): ``uri`` is the identity (re-import updates, never duplicates);
``headlines`` role ``main`` / ``sub``; ``bodies`` ``text/html``; ``by`` comma-separated reporter
names; ``subjects`` with ``rel`` ``section`` / ``series`` / ``keyword``; ``firstcreated`` = 입력,
``versioncreated`` = 수정; ``pubstatus`` usable / withheld / canceled; ``language`` ``ko``.

A file imports whole or not at all: every item is checked first, every error is reported with
its item and field, and only a clean file is written, in one transaction
(docs/decisions/0003-ninjs-import-all-or-nothing.md).
"""

from .exporting import export_items, to_ninjs
from .importing import (
    EMBARGO_FIXED_AT_DESK,
    LIVE_NOT_SUBMITTABLE,
    NO_SUCH_REPORTER,
    NO_SUCH_SECTION,
    NO_SUCH_SERIES,
    ImportedItem,
    import_items,
)
from .parsing import (
    BAD_CHARACTERS,
    BAD_EMBARGO,
    BAD_LANGUAGE,
    BAD_PUBSTATUS,
    BAD_TIME,
    BAD_TYPE,
    BODY_MISSING,
    HEADLINE_MISSING,
    HOSTILE_HTML,
    KNOWN_RELS,
    NO_ITEMS,
    NOT_JSON,
    NOT_OBJECT,
    PUBSTATUS_TO_STATUS,
    SECTION_MISSING,
    SECTION_TWICE,
    SERIES_TWICE,
    STATUS_TO_PUBSTATUS,
    SUBJECT_URI_PREFIX,
    TOO_DEEP,
    UNKNOWN_REL,
    URI_DUPLICATE,
    URI_REQUIRED,
    WRONG_TYPE,
    ItemError,
    NinjsError,
    ParsedItem,
    Subject,
    parse_all,
    parse_item,
    read_items,
)

__all__ = [
    "BAD_CHARACTERS",
    "BAD_EMBARGO",
    "BAD_LANGUAGE",
    "BAD_PUBSTATUS",
    "BAD_TIME",
    "BAD_TYPE",
    "BODY_MISSING",
    "EMBARGO_FIXED_AT_DESK",
    "HEADLINE_MISSING",
    "HOSTILE_HTML",
    "KNOWN_RELS",
    "LIVE_NOT_SUBMITTABLE",
    "NOT_JSON",
    "NOT_OBJECT",
    "NO_ITEMS",
    "NO_SUCH_REPORTER",
    "NO_SUCH_SECTION",
    "NO_SUCH_SERIES",
    "PUBSTATUS_TO_STATUS",
    "SECTION_MISSING",
    "SECTION_TWICE",
    "SERIES_TWICE",
    "STATUS_TO_PUBSTATUS",
    "SUBJECT_URI_PREFIX",
    "TOO_DEEP",
    "UNKNOWN_REL",
    "URI_DUPLICATE",
    "URI_REQUIRED",
    "WRONG_TYPE",
    "ImportedItem",
    "ItemError",
    "NinjsError",
    "ParsedItem",
    "Subject",
    "export_items",
    "import_items",
    "parse_all",
    "parse_item",
    "read_items",
    "to_ninjs",
]
