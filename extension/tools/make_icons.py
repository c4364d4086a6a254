"""Draw the ImageMonkey toolbar icons (a monkey face on a rounded square).

Run from the repository root:  python extension/tools/make_icons.py
Needs Pillow. Writes extension/icons/icon-{16,32,48,128}.png; commit them.
Each size is drawn at 8x and scaled down, so edges stay smooth; the small sizes
drop fine details (nostrils, highlights) that would only turn into noise.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "icons"
SIZES = (16, 32, 48, 128)
SCALE = 8

BLUE = (55, 104, 230, 255)
BLUE_DARK = (36, 74, 178, 255)
FUR = (122, 74, 40, 255)
FUR_DARK = (92, 54, 28, 255)
SKIN = (245, 205, 160, 255)
EAR_INNER = (232, 170, 128, 255)
EYE = (30, 24, 20, 255)
WHITE = (255, 255, 255, 255)


def circle(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: tuple[int, int, int, int]) -> None:
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)


def draw(size: int) -> Image.Image:
    s = size * SCALE
    u = s / 128  # design grid: 128 units
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = 2 * u if size > 16 else 0
    d.rounded_rectangle((pad, pad, s - pad, s - pad), radius=28 * u, fill=BLUE)
    d.rounded_rectangle((pad, s * 0.55, s - pad, s - pad), radius=28 * u, fill=BLUE_DARK)
    d.rectangle((pad, s * 0.55, s - pad, s * 0.7), fill=BLUE_DARK)
    d.rounded_rectangle((pad, pad, s - pad, s * 0.62), radius=28 * u, fill=BLUE)
    # ears
    for cx in (26, 102):
        circle(d, cx * u, 62 * u, 19 * u, FUR)
        circle(d, cx * u, 62 * u, 11 * u, EAR_INNER)
    # head
    circle(d, 64 * u, 62 * u, 44 * u, FUR)
    d.pieslice((20 * u, 18 * u, 108 * u, 106 * u), 200, 340, fill=FUR_DARK)
    circle(d, 64 * u, 62 * u, 40 * u, FUR)
    # face: two eye lobes and a muzzle
    circle(d, 49 * u, 56 * u, 20 * u, SKIN)
    circle(d, 79 * u, 56 * u, 20 * u, SKIN)
    d.ellipse((30 * u, 62 * u, 98 * u, 104 * u), fill=SKIN)
    # eyes
    er = 7.5 * u if size > 16 else 9 * u
    circle(d, 50 * u, 56 * u, er, EYE)
    circle(d, 78 * u, 56 * u, er, EYE)
    if size >= 32:
        circle(d, 52.5 * u, 53 * u, 2.6 * u, WHITE)
        circle(d, 80.5 * u, 53 * u, 2.6 * u, WHITE)
    if size >= 48:
        circle(d, 59 * u, 76 * u, 2.8 * u, FUR_DARK)
        circle(d, 69 * u, 76 * u, 2.8 * u, FUR_DARK)
    # smile
    w = max(3 * u, 5 * u if size <= 32 else 4 * u)
    d.arc((48 * u, 72 * u, 80 * u, 96 * u), 25, 155, fill=FUR_DARK, width=int(w))
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for size in SIZES:
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(OUT / f"icon-{size}.png")


if __name__ == "__main__":
    main()
