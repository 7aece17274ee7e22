"""``{% fragment "name" key … %}…{% endfragment %}``: a piece of a page kept rendered in memory.

The render path's cache (docs/decisions/0016): what a fragment shows depends only on its keys,
so its keys say when it changes — an article's own last save (``article.modified_at``), the
names generation (a reporter, section, series or keyword renamed, the outlet changed) or the
content generation (anything published). A fragment keyed on one article's save survives every
other article's publish, so the render after a publish redoes only what the publish changed.
Kept at most ``FRAGMENT_SECONDS`` (lists show relative times such as ``3분 전``).

Written by hand rather than Django's ``{% cache %}``: the desk's preview renders unsaved text
with the same templates and must never read or fill a fragment, and Django's caches pickle.

A render from kept fragments spends most of its time around them, so a fragment's own work is
kept small: its keys are resolved without Django's exceptions for the usual cases (a name, a
missing name, a model's field; ``_Key``), and ``{% extends %}``, which walks the base
template's nodes for its blocks on every render, does not walk into fragments (a block may not
be inside one: the fragment would keep one page's version of it for every page).
"""

import threading
import time

from django import template
from django.conf import settings
from django.db.models import Model
from django.template.loader_tags import BlockNode

register = template.Library()
BLOCK_INSIDE = (
    "{% fragment %} 안에는 {% block %}을 둘 수 없습니다 "
    "(조각은 한 페이지의 블록을 모든 페이지에 보여 줍니다)."
)

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


_SLOW = object()


class _Key:
    """One key of a fragment, resolved to what ``{{ key }}`` would give.

    Django's variable lookup tries ``value[bit]`` before ``getattr``, and answers a missing name
    through three exceptions and a ``dir()`` of the context: ~5 µs for ``section.pk`` on a
    page without a section, with ~30 keys a page. Here a name, a missing name, ``None`` and a
    model instance's attributes are looked up directly, with Django's rules (a callable is
    called, ``alters_data`` is refused); anything else (filters, dictionaries, a failing
    lookup) is left to Django.
    """

    def __init__(self, expression: template.base.FilterExpression):
        self.expression = expression
        var = expression.var
        plain = expression.is_var and not expression.filters and not var.translate
        self.lookups = var.lookups if plain else None
        if self.lookups is not None:
            self.first, *self.rest = self.lookups

    def resolve(self, context):
        if self.lookups is None:
            return self.expression.resolve(context)
        try:
            value = self._looked_up(context)
        except Exception:  # Django's own rules for a failing lookup (silent failures)
            value = _SLOW
        return self.expression.resolve(context) if value is _SLOW else value

    def _looked_up(self, context):
        for values in reversed(context.dicts):
            if self.first in values:
                value = _called(values[self.first], context)
                break
        else:
            return _invalid(self.expression, context)
        for bit in self.rest:
            if value is None:
                return _invalid(self.expression, context)
            if value is _SLOW or not isinstance(value, Model):
                return _SLOW
            value = _called(getattr(value, bit), context)
        return value


def _called(value, context):
    if not callable(value) or getattr(value, "do_not_call_in_templates", False):
        return value
    if getattr(value, "alters_data", False):
        return context.template.engine.string_if_invalid
    try:
        return value()
    except TypeError:
        return _SLOW  # Django tells a call needing arguments from a failing one


def _invalid(expression, context):
    """Return what Django's ``FilterExpression`` gives for a name that is not there."""
    invalid = context.template.engine.string_if_invalid
    return invalid % expression.var if "%s" in invalid else invalid


class FragmentNode(template.Node):
    # Not walked by ``get_nodes_by_type`` (``{% extends %}`` looks for blocks on every render).
    child_nodelists = ()

    def __init__(self, nodelist, name, keys):
        self.nodelist = nodelist
        self.name = name
        self.keys = [_Key(key) for key in keys]

    def render(self, context):
        if settings.FRAGMENT_SECONDS <= 0 or context.get("preview"):
            return self.nodelist.render(context)
        key = ":".join([self.name, *[str(key.resolve(context)) for key in self.keys]])
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
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError(BLOCK_INSIDE)
    return FragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]])
