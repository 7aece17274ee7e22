"""Article body HTML: allow-list sanitising, hostile-markup detection, plain text, byline.

nh3 (the Ammonia sanitiser) does the cleaning. ``hostile_parts`` exists because an importer must
*refuse* a body with scripts rather than silently clean it: a wire item that carries a script is a
sign of a broken or malicious feed, and the editor should hear about it.
"""

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "mark", "small",
    "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "hr",
    "figure", "figcaption", "img", "table", "caption", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# Elements whose presence in submitted HTML is refused outright by importers.
HOSTILE_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "meta", "link", "base", "svg", "math", "noscript",
}  # fmt: skip
HOSTILE_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}

BLOCK_TAGS = {"p", "br", "li", "blockquote", "h2", "h3", "h4", "figcaption", "tr", "hr", "div"}


def sanitize(value: str) -> str:
    """Return ``value`` cleaned to the allow-list; links get ``rel="noopener noreferrer"``."""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


class _HostileFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HOSTILE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name in URL_ATTRIBUTES and value:
                # Browsers ignore whitespace and control characters inside a scheme.
                compact = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
                if compact.startswith(HOSTILE_SCHEMES):
                    self.found.append(f"<{tag} {name}={compact.split(':', 1)[0]}:…>")

    handle_startendtag = handle_starttag


def hostile_parts(value: str) -> list[str]:
    """Return short descriptions of scripts, event handlers and script URLs found in ``value``."""
    finder = _HostileFinder()
    finder.feed(value)
    finder.close()
    return finder.found


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def to_text(value: str) -> str:
    """Return the visible text of sanitised HTML, paragraphs separated by one newline."""
    extractor = _TextExtractor()
    extractor.feed(value)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Return ``<p>`` markup for plain-text paragraphs (escaped)."""
    return "".join(f"<p>{html.escape(p.strip(), quote=False)}</p>" for p in paragraphs if p.strip())


def with_byline(body: str, byline: str) -> str:
    """Return ``body`` with ``byline`` opening its first paragraph (Korean news convention).

    ``body`` is sanitised HTML, whose ``<p>`` tags carry no attributes; a body that does not open
    with a paragraph gets one of its own for the byline.
    """
    if not byline:
        return body
    escaped = html.escape(byline, quote=False)
    if body.startswith("<p>"):
        return f'<p><span class="byline">{escaped}</span> {body[3:]}'
    return f'<p><span class="byline">{escaped}</span></p>{body}'


def split_after_paragraph(body: str, count: int) -> tuple[str, str]:
    """Split sanitised HTML after its ``count``-th closing ``</p>``; ``(body, "")`` if shorter."""
    position = 0
    for _ in range(count):
        found = body.find("</p>", position)
        if found < 0:
            return body, ""
        position = found + len("</p>")
    return body[:position], body[position:]
