"""Demo photos drawn with Pillow: abstract scenes seeded by a string, the same on every machine."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTES = [
    ((18, 52, 86), (96, 160, 200), (240, 200, 120)),
    ((40, 70, 40), (120, 170, 90), (230, 220, 170)),
    ((70, 30, 40), (190, 90, 80), (250, 210, 180)),
    ((30, 30, 50), (110, 100, 170), (220, 200, 240)),
    ((60, 50, 30), (180, 140, 70), (245, 235, 200)),
]


def scene_jpeg(seed: str, *, width: int = 1200, height: int = 675) -> bytes:
    """Return a JPEG of a sky gradient over a skyline of blocks, seeded by ``seed``."""
    rng = random.Random(seed)
    dark, mid, light = rng.choice(PALETTES)
    image = Image.new("RGB", (width, height), dark)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(light[i] * (1 - t) + mid[i] * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    x = 0
    while x < width:
        w = rng.randint(40, 140)
        h = rng.randint(height // 5, int(height * 0.7))
        shade = tuple(max(0, c - rng.randint(0, 40)) for c in dark)
        draw.rectangle([x, height - h, x + w, height], fill=shade)
        for wy in range(height - h + 12, height - 10, 22):
            for wx in range(x + 8, x + w - 8, 18):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 7, wy + 10], fill=light)
        x += w + rng.randint(0, 12)
    sun_x, sun_r = rng.randint(100, width - 100), rng.randint(30, 70)
    draw.ellipse([sun_x - sun_r, 60, sun_x + sun_r, 60 + 2 * sun_r], fill=light)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=78, optimize=True, progressive=True)
    return out.getvalue()


def portrait_png(seed: str, *, size: int = 192) -> bytes:
    """Return a PNG silhouette portrait on a seeded background colour."""
    rng = random.Random(seed)
    _, mid, light = rng.choice(PALETTES)
    image = Image.new("RGB", (size, size), light)
    draw = ImageDraw.Draw(image)
    draw.ellipse([size * 0.3, size * 0.15, size * 0.7, size * 0.55], fill=mid)
    draw.ellipse([size * 0.12, size * 0.58, size * 0.88, size * 1.3], fill=mid)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
