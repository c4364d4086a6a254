"""The extension's toolbar icons are the site's logo: drawn from core/static/logo.svg, in its orange."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageColor

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "extension" / "tools"))
from make_icons import LOGO, SIZES, draw  # noqa: E402


def logo_colour() -> tuple[int, int, int]:
    """The fill of the logo's background square."""
    match = re.search(r'<rect [^>]*fill="(#[0-9a-fA-F]{6})"', LOGO.read_text())
    assert match, "the logo has a filled background <rect>"
    return ImageColor.getrgb(match.group(1))


@pytest.mark.parametrize("size", SIZES)
def test_each_icon_is_the_logo_in_its_colour(size: int) -> None:
    icon = np.asarray(Image.open(ROOT / "extension" / "icons" / f"icon-{size}.png").convert("RGBA"), dtype=int)
    # above the face, inside the square: the logo's background colour
    top = icon[max(1, round(size * 0.08)), size // 2]
    assert top[3] == 255 and np.abs(top[:3] - logo_colour()).max() <= 6, (size, top)
    # and the whole icon is what make_icons.py draws from the logo today (run it after changing the logo)
    drawn = np.asarray(draw(size), dtype=int)
    assert np.abs(icon - drawn).max() <= 8, f"icon-{size}.png is not the logo: run extension/tools/make_icons.py"
