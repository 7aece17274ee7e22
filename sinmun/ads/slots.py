"""The named banner positions of the reader's site and the size each reserves per breakpoint.

A slot's box has its size from the first paint (CSS ``aspect-ratio`` and ``max-width`` in
``static/ads/ads.css``), so nothing moves when a banner arrives, is slow or never comes. The
phone layout runs below ``DESKTOP_MIN_WIDTH`` and the two-column one from it, the breakpoint of
``public/site.css``.
"""

from dataclasses import dataclass

DESKTOP_MIN_WIDTH = 960
MOBILE = "m"
DESKTOP = "d"
BREAKPOINTS = (MOBILE, DESKTOP)
BREAKPOINT_LABELS = {MOBILE: "휴대폰", DESKTOP: "PC"}


@dataclass(frozen=True)
class Format:
    """A banner shape: the pixel size at each breakpoint (None: not shown there)."""

    name: str
    label: str
    sizes: dict[str, tuple[int, int] | None]

    def size(self, breakpoint: str) -> tuple[int, int] | None:
        return self.sizes.get(breakpoint)


LEADERBOARD = Format("leaderboard", "띠 배너", {MOBILE: (320, 100), DESKTOP: (728, 90)})
RECTANGLE = Format("rectangle", "사각 배너", {MOBILE: (300, 250), DESKTOP: (300, 250)})
STICKY = Format("sticky", "하단 고정 배너", {MOBILE: (320, 50), DESKTOP: None})
FORMATS = {f.name: f for f in (LEADERBOARD, RECTANGLE, STICKY)}


@dataclass(frozen=True)
class Slot:
    name: str
    label: str
    format: Format

    @property
    def breakpoints(self) -> tuple[str, ...]:
        return tuple(b for b in BREAKPOINTS if self.format.size(b))


SLOTS = {
    s.name: s
    for s in (
        Slot("header", "상단 띠 (헤더 아래)", LEADERBOARD),
        Slot("rail-top", "오른쪽 날개 1", RECTANGLE),
        Slot("rail-bottom", "오른쪽 날개 2", RECTANGLE),
        Slot("article-inline", "본문 중간", RECTANGLE),
        Slot("article-below", "본문 아래", LEADERBOARD),
        Slot("related-above", "관련기사 위", LEADERBOARD),
        Slot("home-middle", "첫 화면 중간", LEADERBOARD),
        Slot("mobile-sticky", "휴대폰 하단 고정", STICKY),
    )
}
SLOT_CHOICES = [(s.name, s.label) for s in SLOTS.values()]
FORMAT_CHOICES = [(f.name, f.label) for f in FORMATS.values()]
