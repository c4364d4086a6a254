"""Draw the extension's toolbar icons from the site's logo (core/static/logo.svg), so both look the same.

Run from the repository root:  python extension/tools/make_icons.py
Needs Pillow. Writes extension/icons/icon-{16,32,48,128}.png; commit them.
The logo uses a few SVG shapes (rect with rx, circle, ellipse, and a stroked path of M and q commands),
which are drawn here at 8x and scaled down so edges stay smooth; anything else in the SVG is an error,
so a change to the logo that this cannot draw is noticed rather than dropped.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
LOGO = ROOT / "core" / "static" / "logo.svg"
OUT = ROOT / "extension" / "icons"
SIZES = (16, 32, 48, 128)
SCALE = 8
CURVE_STEPS = 24


def _path_points(d: str, unit: float) -> list[tuple[float, float]]:
    """The points along a path of ``M x y`` and relative ``q dx1 dy1 dx dy`` commands, in pixels."""
    tokens = re.findall(r"[A-Za-z]|-?[\d.]+", d)
    points: list[tuple[float, float]] = []
    x = y = 0.0
    i = 0
    while i < len(tokens):
        command = tokens[i]
        if command == "M":
            x, y = float(tokens[i + 1]), float(tokens[i + 2])
            points.append((x, y))
            i += 3
        elif command == "q":
            cx, cy, ex, ey = (float(value) for value in tokens[i + 1:i + 5])
            cx, cy, ex, ey = x + cx, y + cy, x + ex, y + ey
            for step in range(1, CURVE_STEPS + 1):
                t = step / CURVE_STEPS
                points.append(((1 - t) ** 2 * x + 2 * (1 - t) * t * cx + t * t * ex,
                               (1 - t) ** 2 * y + 2 * (1 - t) * t * cy + t * t * ey))
            x, y = ex, ey
            i += 5
        else:
            raise ValueError(f"{LOGO.name}: path command {command!r} is not supported")
    return [(px * unit, py * unit) for px, py in points]


def draw(size: int, logo: Path = LOGO) -> Image.Image:
    """The logo as a ``size`` × ``size`` RGBA image."""
    root = ET.parse(logo).getroot()
    _, _, width, _ = (float(value) for value in root.attrib["viewBox"].split())
    s = size * SCALE
    unit = s / width
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    for node in root:
        tag = node.tag.rsplit("}", 1)[-1]
        a = dict(node.attrib)
        num = {key: float(value) * unit for key, value in a.items() if re.fullmatch(r"-?[\d.]+", value)}
        fill = ImageColor.getrgb(a["fill"]) if a.get("fill", "none") != "none" else None
        if tag == "rect":
            box = (num.get("x", 0), num.get("y", 0), num.get("x", 0) + num["width"], num.get("y", 0) + num["height"])
            d.rounded_rectangle(box, radius=num.get("rx", 0), fill=fill)
        elif tag in ("circle", "ellipse"):
            rx, ry = (num["r"], num["r"]) if tag == "circle" else (num["rx"], num["ry"])
            d.ellipse((num["cx"] - rx, num["cy"] - ry, num["cx"] + rx, num["cy"] + ry), fill=fill)
        elif tag == "path" and fill is None:
            stroke = ImageColor.getrgb(a["stroke"])
            line = max(1, round(num["stroke-width"]))
            points = _path_points(a["d"], unit)
            d.line(points, fill=stroke, width=line, joint="curve")
            if a.get("stroke-linecap") == "round":
                for px, py in (points[0], points[-1]):
                    d.ellipse((px - line / 2, py - line / 2, px + line / 2, py + line / 2), fill=stroke)
        else:
            raise ValueError(f"{logo.name}: <{tag}> is not supported by {Path(__file__).name}")
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    """Write every icon size."""
    OUT.mkdir(exist_ok=True)
    for size in SIZES:
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(OUT / f"icon-{size}.png")


if __name__ == "__main__":
    main()
