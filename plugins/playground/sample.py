"""A small labelled image set built offline from scikit-image's sample photographs (tests, benchmarks, demos).

Each picture is a random crop of one photograph (random scale, flip, colour jitter) or, for a share of them, two
such crops side by side carrying both labels (multi-label). Deterministic for a seed; nothing is downloaded
(only the photographs bundled with scikit-image are used).
"""
from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image as PILImage
from PIL import ImageEnhance

#: label -> scikit-image sample function name
SOURCES = {"cat": "chelsea", "cup": "coffee", "rocket": "rocket", "person": "astronaut",
           "motorcycle": "stereo_motorcycle", "coin": "coins", "brick": "brick", "grass": "grass",
           "rock": "gravel", "moon": "moon", "galaxy": "hubble_deep_field", "cells": "immunohistochemistry"}
#: the six object classes (the rest are textures and scenes, for harder sets)
OBJECTS = ["cat", "cup", "rocket", "person", "motorcycle", "coin"]


def photograph(name: str) -> PILImage.Image:
    """A bundled scikit-image photograph as RGB."""
    from skimage import data

    array = getattr(data, name)()
    if isinstance(array, tuple):
        array = array[0]
    return PILImage.fromarray(np.asarray(array)).convert("RGB")


def crop(source: PILImage.Image, rng: random.Random, side: int, scale: tuple[float, float]) -> PILImage.Image:
    """A random square crop of ``scale`` (share of the shorter side), maybe mirrored, jittered, resized."""
    width, height = source.size
    size = int(min(width, height) * rng.uniform(*scale))
    left, top = rng.randint(0, width - size), rng.randint(0, height - size)
    piece = source.crop((left, top, left + size, top + size)).resize((side, side))
    if rng.random() < 0.5:
        piece = piece.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT)
    piece = ImageEnhance.Brightness(piece).enhance(rng.uniform(0.75, 1.25))
    return ImageEnhance.Color(piece).enhance(rng.uniform(0.7, 1.3))


def encode(image: PILImage.Image, quality: int = 85) -> bytes:
    """JPEG bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def build(count: int, seed: int = 0, labels: list[str] | None = None, pair_share: float = 0.25,
          side: int = 128, scale: tuple[float, float] = (0.35, 0.9)) -> list[tuple[bytes, list[str]]]:
    """``count`` pictures as (JPEG bytes, labels), classes in turn so every label is about equally frequent."""
    rng = random.Random(seed)
    names = labels or OBJECTS
    sources = {label: photograph(SOURCES[label]) for label in names}
    out: list[tuple[bytes, list[str]]] = []
    for index in range(count):
        first = names[index % len(names)]
        if len(names) > 1 and rng.random() < pair_share:
            second = rng.choice([n for n in names if n != first])
            canvas = PILImage.new("RGB", (side * 2, side))
            canvas.paste(crop(sources[first], rng, side, scale), (0, 0))
            canvas.paste(crop(sources[second], rng, side, scale), (side, 0))
            out.append((encode(canvas), sorted([first, second])))
        else:
            out.append((encode(crop(sources[first], rng, side, scale)), [first]))
    return out
