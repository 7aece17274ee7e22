"""``{% fragment "name" key … %}…{% endfragment %}``: a piece of a page kept rendered in memory.

The render path's cache (docs/decisions/0016): what a fragment shows depends only on its keys,
so its keys say when it changes — an article's own last save (``article.modified_at``), the
names generation (a reporter, section, series or keyword renamed, the outlet changed) or the
content generation (anything published). A fragment keyed on one article's save survives every
other article's publish, so the render after a publish redoes only what the publish changed.
Kept at most ``FRAGMENT_SECONDS`` (lists show relative times such as ``3분 전``).

Written by hand rather than Django's ``{% cache %}``: the desk's preview renders unsaved text
with the same templates and must never read or fill a fragment, and Django's caches pickle.
"""

import threading
import time

from django import template
from django.conf import settings

register = template.Library()

# This process's fragments: key -> (expires at, html). A plain dictionary rather than Django's
# local-memory cache, which pickles every value on the way in and out (a fragment is an
# immutable string; ten of them a page made unpickling the biggest cost of a render).
MAX_FRAGMENTS = 4000
_fragments: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()


def forget_all() -> None:
    """Drop every fragment (tests)."""
    _fragments.clear()


def _keep(key: str, html: str) -> None:
    with _lock:
        while len(_fragments) >= MAX_FRAGMENTS:
            _fragments.pop(next(iter(_fragments)))
        _fragments[key] = (time.monotonic() + settings.FRAGMENT_SECONDS, html)


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, keys):
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context):
        if settings.FRAGMENT_SECONDS <= 0 or context.get("preview"):
            return self.nodelist.render(context)
        parts = [self.name, *(str(key.resolve(context)) for key in self.keys)]
        key = ":".join(parts)
        kept = _fragments.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        html = self.nodelist.render(context)
        _keep(key, html)
        return html


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('사용법: {% fragment "이름" 키 … %}…{% endfragment %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]])
