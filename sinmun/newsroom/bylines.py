"""The Korean news byline ``[매체명=기자명 기자]`` and its multi-reporter forms."""

from collections.abc import Sequence
from typing import Protocol


class _Named(Protocol):
    name: str
    title: str


def byline(outlet_name: str, reporters: Sequence[_Named]) -> str:
    """Return ``[매체명=기자명 기자]`` for the article's reporters, in byline order.

    Reporters sharing one title are joined with ``·`` before it
    (``[새나루일보=김민준·이서연 기자]``);
    mixed titles keep each title (``[새나루일보=김민준 기자·박하준 특파원]``). Without reporters
    the byline is the outlet alone (``[새나루일보]``), as sites print for desk-written briefs.
    """
    if not reporters:
        return f"[{outlet_name}]" if outlet_name else ""
    titles = {reporter.title for reporter in reporters}
    if len(titles) == 1:
        names = "·".join(reporter.name for reporter in reporters)
        credit = f"{names} {reporters[0].title}"
    else:
        credit = "·".join(f"{reporter.name} {reporter.title}" for reporter in reporters)
    return f"[{outlet_name}={credit}]" if outlet_name else f"[{credit}]"
