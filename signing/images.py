"""Demo seal and signature images (PNG, transparent), made outside production for a unit
that has none of its own: a red ring with the unit's name around it and a star in the
middle, clearly not a real seal; a blue pen stroke as the signature (Decree 30/2020,
Appendix I: the seal red, the signature blue, both PNG on a transparent background)."""

from __future__ import annotations

import hashlib
import io
import math
import random
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RED = (218, 37, 29, 255)
BLUE = (20, 50, 160, 255)
# Fonts with Vietnamese glyphs, from Debian (fonts-dejavu-core, fonts-liberation2).
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)
SEAL_PX = 600  # drawn at 600 px for a seal printed 34 mm across: about 450 dpi
DEMO_WORD = "MẪU - DEMO"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in FONT_FILES:
        if Path(name).exists():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default(size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=RED)


def demo_seal(unit_name: str) -> bytes:
    """A round red seal with ``unit_name`` along the upper ring, DEMO along the lower one."""
    size = SEAL_PX
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    outer, inner = size / 2 - 8, size / 2 - 110
    draw.ellipse((8, 8, size - 8, size - 8), outline=RED, width=14)
    draw.ellipse(
        (centre - inner, centre - inner, centre + inner, centre + inner), outline=RED, width=6
    )
    _star(draw, centre, centre, inner * 0.55)
    text = unicodedata.normalize("NFC", unit_name.upper())[:40]
    _ring_text(image, text, centre, (outer + inner) / 2, top=True)
    _ring_text(image, DEMO_WORD, centre, (outer + inner) / 2, top=False)
    return _png(image)


def _ring_text(image: Image.Image, text: str, centre: float, radius: float, *, top: bool) -> None:
    """Letters set along a circle, upright to a reader turning the seal: over the top from
    left to right, or under the bottom from left to right."""
    font_size = 46 if len(text) <= 24 else max(26, int(46 * 24 / len(text)))
    font = _font(font_size)
    widths = [font.getlength(ch) for ch in text]
    total = sum(widths) * 1.08
    span = min(total / radius, math.pi * 1.6)  # radians the text takes
    scale = span / (total / radius) if total else 1
    angle = (-math.pi / 2 - span / 2) if top else (math.pi / 2 + span / 2)
    for ch, width in zip(text, widths, strict=True):
        step = width * 1.08 * scale / radius
        middle = angle + step / 2 if top else angle - step / 2
        x = centre + radius * math.cos(middle)
        y = centre + radius * math.sin(middle)
        tile = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((font_size, font_size), ch, font=font, fill=RED, anchor="mm")
        turn = -math.degrees(middle) - 90 if top else -math.degrees(middle) + 90
        tile = tile.rotate(turn, resample=Image.Resampling.BICUBIC)
        image.alpha_composite(tile, (int(x - font_size), int(y - font_size)))
        angle = angle + step if top else angle - step


def demo_signature(unit_name: str) -> bytes:
    """A blue pen stroke, different for each unit, that no one would take for a real hand."""
    width, height = 600, 240
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    seed = int.from_bytes(hashlib.sha256(unit_name.encode()).digest()[:8], "big")
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    points = []
    x = 40.0
    for i in range(90):
        x += rng.uniform(3, 9)
        y = height / 2 + 55 * math.sin(i / 4.0 + rng.uniform(-0.3, 0.3)) * (1 - i / 140)
        points.append((min(x, width - 40), y))
    draw.line(points, fill=BLUE, width=7, joint="curve")
    draw.line([(70, height - 60), (width - 80, height - 80)], fill=BLUE, width=5, joint="curve")
    return _png(image)
