"""A small bar chart as inline SVG, drawn on the server: no chart service, no script.

Hand-written because the chart is a few dozen rectangles and every Python charting library
(matplotlib, pygal) is a heavy dependency for that. Each bar carries a ``<title>`` with its
label and number (a tooltip, and read by screen readers); the whole chart has a text summary.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 720
HEIGHT = 220
LEFT = 48
BOTTOM = 28
TOP = 12


def _nice_max(value: int) -> int:
    """Return a round axis maximum at or above ``value`` (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def bar_chart(points: list[tuple[str, int]], *, title: str, label_every: int = 1) -> SafeString:
    """Return an SVG bar chart of ``points`` ([(label, value)]), labelling every n-th bar."""
    top = _nice_max(max((v for _, v in points), default=0))
    plot_w = WIDTH - LEFT - 8
    plot_h = HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(points), 1)
    bar_w = max(step * 0.8, 1)
    bars = []
    labels = []
    for n, (label, value) in enumerate(points):
        h = plot_h * value / top
        x = LEFT + n * step + (step - bar_w) / 2
        bars.append(
            (f"{x:.1f}", f"{TOP + plot_h - h:.1f}", f"{bar_w:.1f}", f"{h:.1f}", label, f"{value:,}")
        )
        if n % label_every == 0:
            labels.append((f"{x + bar_w / 2:.1f}", str(HEIGHT - 8), label))
    grid = [(str(TOP + plot_h * (1 - f)), f"{int(top * f):,}") for f in (0, 0.5, 1)]
    total = sum(v for _, v in points)
    return format_html(
        '<svg class="views-chart" viewBox="0 0 {w} {h}" role="img" aria-label="{summary}"'
        ' xmlns="http://www.w3.org/2000/svg">'
        "<title>{title}</title>"
        "{grid}{bars}{labels}"
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        title=title,
        summary=f"{title}: 합계 {total:,}회, 최대 {max((v for _, v in points), default=0):,}회",
        grid=format_html_join(
            "",
            '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>'
            '<text x="{}" y="{}" class="axis" text-anchor="end">{}</text>',
            ((LEFT, WIDTH - 8, y, y, LEFT - 6, float(y) + 4, text) for y, text in grid),
        ),
        bars=format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" class="bar"><title>{} {}회</title></rect>',
            bars,
        ),
        labels=format_html_join(
            "", '<text x="{}" y="{}" class="axis" text-anchor="middle">{}</text>', labels
        ),
    )
