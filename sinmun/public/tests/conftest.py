"""Fixtures for the reader's site: a tiny HTML tree (stdlib parser) and test photos.

The tree is written by hand because the tests must not depend on lxml or BeautifulSoup; it only
needs what the assertions use: find elements by tag, class and attribute, and read their text.
"""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from PIL import Image

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass(eq=False)
class Node:
    """One element of a parsed page."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        """Return the element's text with whitespace runs collapsed to one space."""
        return " ".join("".join(self._texts()).split())

    def _texts(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield from child._texts()

    def descendants(self) -> Iterator["Node"]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.descendants()

    def find_all(self, tag: str | None = None, *, cls: str | None = None, **attrs) -> list["Node"]:
        """Return descendant elements matching ``tag``, class ``cls`` and exact ``attrs``."""
        return [
            node
            for node in self.descendants()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(node.attrs.get(name.rstrip("_")) == value for name, value in attrs.items())
        ]

    def find(self, tag: str | None = None, *, cls: str | None = None, **attrs) -> "Node":
        """Return the only matching descendant; fail the test when there are none or several."""
        found = self.find_all(tag, cls=cls, **attrs)
        assert len(found) == 1, f"expected one <{tag} class={cls} {attrs}>, found {len(found)}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(markup: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


@dataclass
class Page:
    """A fetched page: the raw HTML (for escaping checks) and its parsed tree."""

    status: int
    html: str
    root: Node


@pytest.fixture
def get(client) -> Callable[..., Page]:
    """Return ``get(url, status=200)``: fetch ``url``, check the status, parse the HTML."""

    def fetch(url: str, status: int = 200) -> Page:
        response = client.get(url)
        assert response.status_code == status, f"GET {url}: {response.status_code} != {status}"
        html = response.content.decode()
        return Page(response.status_code, html, parse_html(html))

    return fetch


@pytest.fixture
def photo() -> Callable[..., ContentFile]:
    """Return ``photo(name)``: a small JPEG drawn with Pillow, ready for ``lead_photo=``."""

    def make(
        name: str = "photo.jpg",
        colour: tuple[int, int, int] = (40, 90, 160),
        size: tuple[int, int] = (64, 36),
    ) -> ContentFile:
        out = io.BytesIO()
        Image.new("RGB", size, colour).save(out, "JPEG")
        return ContentFile(out.getvalue(), name=name)

    return make
