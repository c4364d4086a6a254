"""Pictures for tests: ``jpeg(seed=..., size=...)`` makes a small photo-like JPEG in memory.

Re-exported by :mod:`imagemonkey.testing` for plugin authors' tests. Different seeds are different
pictures, far apart by perceptual hash, so core's near-duplicate check never takes one for another.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def photo_like(width: int, height: int, seed: int) -> Image.Image:
    """An RGB image with gradients, shapes, soft edges and grain, so it compresses and hashes like a photo."""
    rng = np.random.default_rng(seed)
    w, h = max(1, width // 2), max(1, height // 2)
    x = np.linspace(0, 3, w, dtype=np.float32)[None, :]
    y = np.linspace(0, 3, h, dtype=np.float32)[:, None]
    base = np.empty((h, w, 3), np.float32)
    for channel in range(3):
        a, b, c = rng.uniform(-1, 1, 3)
        base[..., channel] = 128 + 90 * np.sin(a * x + b * y + c * 6)
    img = Image.fromarray(base.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    scale = min(w, h)
    for _ in range(int(rng.integers(12, 24))):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        rx, ry = rng.uniform(0.04, 0.3) * scale, rng.uniform(0.04, 0.3) * scale
        box = (cx - rx, cy - ry, cx + rx, cy + ry)
        draw.ellipse(box, fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    img = img.filter(ImageFilter.BoxBlur(1)).resize((width, height), Image.Resampling.BICUBIC)
    grain = rng.standard_normal((height, width, 1), dtype=np.float32) * np.float32(6.0)
    return Image.fromarray((np.asarray(img, np.float32) + grain).clip(0, 255).astype(np.uint8), "RGB")


def jpeg(seed: int = 0, size: tuple[int, int] = (96, 72), quality: int = 90) -> bytes:
    """A photo-like JPEG of ``size`` (width, height) pixels; the same ``seed`` gives the same bytes."""
    buffer = io.BytesIO()
    photo_like(size[0], size[1], seed).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()
