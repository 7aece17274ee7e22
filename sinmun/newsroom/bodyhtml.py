"""Article body HTML: allow-list sanitising, hostile-markup detection, plain text, byline.

nh3 (the Ammonia sanitiser) does the cleaning. ``hostile_parts`` exists because an importer must
*refuse* a body with scripts rather than silently clean it: a wire item that carries a script is a
sign of a broken or malicious feed, and the editor should hear about it.

Inline photos (``<figure><img src="/media/photos/…" alt="…"><figcaption>…</figcaption></figure>``)
keep only a ``src`` under ``MEDIA_URL`` or on http(s); ``with_srcset`` turns a stored photo into
a ``<picture>`` of its renditions when the page is rendered, so the stored body never changes.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3
from django.conf import settings

from . import photos

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


# An <img> as nh3 writes it: attributes double-quoted, a ">" possible inside a value.
_IMG = re.compile(r'<img(?:\s+[^\s=>"]+(?:="[^"]*")?)*\s*/?>')
_IMG_ATTRIBUTE = re.compile(r'([^\s=>"/]+)(?:="([^"]*)")?')


def image_source_allowed(src: str) -> bool:
    """Return whether an inline ``<img>`` may load ``src``: a stored photo or an http(s) URL.

    Any other same-site path is refused because the reader's browser would request it with the
    reader's cookies (``<img src="/admin/logout/">``); ``data:`` and script URLs never load.
    """
    lowered = src.strip().lower()
    if lowered.startswith(("https://", "http://")):
        return True
    media = settings.MEDIA_URL
    if not media.startswith("/") or media.startswith("//") or not src.startswith(media):
        return False
    # Browsers resolve "..", its percent-encoded form and backslashes before requesting.
    path = unquote(src).replace("\\", "/")
    return ".." not in path.split("/")


def _image_source_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if image_source_allowed(value) else None
    return value


def _drop_sourceless_image(match: re.Match) -> str:
    names = {name for name, _ in _IMG_ATTRIBUTE.findall(match.group(0)[4:])}
    return match.group(0) if "src" in names else ""


def sanitize(value: str) -> str:
    """Return ``value`` cleaned to the allow-list; links get ``rel="noopener noreferrer"``.

    An ``<img>`` whose ``src`` is not ``image_source_allowed`` is removed whole.
    """
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_image_source_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _IMG.sub(_drop_sourceless_image, cleaned).strip()


def _picture(match: re.Match, sizes: str) -> str:
    """Return the ``<picture>`` for one sanitised ``<img>`` of a stored photo, else the tag."""
    tag = match.group(0)
    attributes = {name: html.unescape(value) for name, value in _IMG_ATTRIBUTE.findall(tag[4:])}
    src = attributes.get("src", "")
    media = settings.MEDIA_URL
    if not src.startswith(media) or not image_source_allowed(src):
        return tag
    name = unquote(src[len(media) :])
    lead = photos.rendition(name, "lead", "jpeg")
    if lead is None:
        return tag
    quoted = {
        "sizes": html.escape(sizes),
        "webp": html.escape(photos.srcset(name, "webp")),
        "jpeg": html.escape(photos.srcset(name, "jpeg")),
        "src": html.escape(lead.url),
        "alt": html.escape(attributes.get("alt", "")),
    }
    return (
        f'<picture><source type="image/webp" srcset="{quoted["webp"]}" sizes="{quoted["sizes"]}">'
        f'<img src="{quoted["src"]}" srcset="{quoted["jpeg"]}" sizes="{quoted["sizes"]}"'
        f' width="{lead.width}" height="{lead.height}" alt="{quoted["alt"]}"'
        ' loading="lazy" decoding="async"></picture>'
    )


def with_srcset(body: str, *, sizes: str = "100vw") -> str:
    """Return sanitised ``body`` with each stored photo that has renditions as a ``<picture>``.

    The WebP renditions come first, the JPEG ones are the fallback; ``width``/``height`` (the
    lead rendition's, from its manifest: nothing is decoded) keep the text from jumping as the
    photo loads. Photos without renditions and outside images are left as they are.
    """
    if "<img" not in body:
        return body
    return _IMG.sub(lambda match: _picture(match, sizes), body)


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


def stored_photo_names(body: str) -> list[str]:
    """Return the storage names of the stored photos that sanitised ``body`` shows inline."""
    media = settings.MEDIA_URL
    names = []
    for match in _IMG.finditer(body):
        attributes = dict(_IMG_ATTRIBUTE.findall(match.group(0)[4:]))
        src = html.unescape(attributes.get("src", ""))
        if src.startswith(media) and image_source_allowed(src):
            names.append(unquote(src[len(media) :]))
    return names
