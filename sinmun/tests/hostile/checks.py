"""Checkers for the hostile-input corpus: parse an output and say what is wrong with it.

Each returns a list of problems (empty when the output is safe), so one test can check a whole
table of fields × outputs and report every cell that failed at once.
"""

import json
import re

import lxml.etree
import lxml.html

# Scripts the site itself emits: JSON-LD data blocks and its own static files.
OWN_SCRIPT_SRC = re.compile(r"^/static/")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href")
ACTIVE_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
ACTIVE_ELEMENTS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "svg"}


def page_problems(html: bytes | str, *, allow_iframes: bool = False) -> list[str]:
    """Return what makes ``html`` (a whole page or a fragment) able to run script."""
    problems = []
    tree = lxml.html.fromstring(html) if html.strip() else None
    if tree is None:
        return problems
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script":
            kind = (element.get("type") or "").lower()
            src = element.get("src")
            if kind == "application/ld+json" and src is None:
                problems += json_ld_problems(element.text or "")
            elif kind == "importmap" and src is None:
                # The desk editor's module map (django-prose-editor): data, never run.
                problems += json_ld_problems(element.text or "")
            elif src is None or not OWN_SCRIPT_SRC.match(src):
                problems.append(f"<script> the site did not write: {lxml.html.tostring(element)!r}")
        elif tag in ACTIVE_ELEMENTS and not (allow_iframes and tag == "iframe"):
            problems.append(f"active element <{tag}>")
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                problems.append(f"event handler {name}={value!r} on <{tag}>")
            if lowered in URL_ATTRIBUTES and ACTIVE_SCHEMES.match(value or ""):
                problems.append(f"{name}={value!r} on <{tag}>")
            if lowered == "style" and "expression" in (value or "").lower():
                problems.append(f"CSS expression on <{tag}>")
    return problems


def json_ld_problems(raw: str) -> list[str]:
    """Return what is wrong with one JSON data block's raw text (JSON-LD, an import map)."""
    problems = []
    lowered = raw.lower()
    for token in ("</script", "<!--", "<script"):
        if token in lowered:
            problems.append(f"{token!r} inside a JSON-LD block")
    try:
        json.loads(raw)
    except ValueError as error:
        problems.append(f"JSON-LD does not parse: {error}")
    return problems


def visible_text(html: bytes | str) -> str:
    """Return the text a reader sees in ``html``'s body: scripts, styles and the head left out,
    whitespace runs collapsed to one space."""
    tree = lxml.html.fromstring(html)
    for element in tree.xpath("//script|//style|//head|//template|//noscript"):
        element.drop_tree()
    return " ".join(tree.text_content().split())


def json_ld_blocks(html: bytes | str) -> list[object]:
    tree = lxml.html.fromstring(html)
    return [json.loads(s.text) for s in tree.xpath('//script[@type="application/ld+json"]')]


def input_values(html: bytes | str, name: str) -> list[str]:
    """Return the ``value`` of every ``<input name=name>`` (what a form shows its user)."""
    return lxml.html.fromstring(html).xpath(f'//input[@name="{name}"]/@value')


def meta_content(html: bytes | str, key: str) -> list[str]:
    """Return the ``content`` of every ``<meta property=key>`` or ``<meta name=key>``."""
    tree = lxml.html.fromstring(html)
    return tree.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')


def strings_in(value: object) -> list[str]:
    """Return every string anywhere in a parsed JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def xml_texts(xml: bytes) -> list[str]:
    """Parse ``xml`` strictly (a feed or a sitemap) and return the text of every element."""
    root = lxml.etree.fromstring(xml, parser=lxml.etree.XMLParser(resolve_entities=False))
    return [" ".join(e.text.split()) for e in root.iter() if isinstance(e.tag, str) and e.text]


def feed_description_problems(xml: bytes) -> list[str]:
    """Return the script a feed reader would run from the HTML inside an RSS feed."""
    root = lxml.etree.fromstring(xml, parser=lxml.etree.XMLParser(resolve_entities=False))
    problems = []
    for element in root.iter("description", "{http://purl.org/rss/1.0/modules/content/}encoded"):
        if element.text and element.text.strip():
            problems += page_problems(f"<div>{element.text}</div>")
    return problems
