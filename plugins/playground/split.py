"""The deterministic train/validation split by image id.

The formula is the one of validate's ``imagefolder`` exporter (``imagemonkey_validate.exporter.split_of``), repeated
here because a plugin may not import another plugin (a test checks that the two agree): the first two bytes of
SHA-256 of the decimal image id, big-endian, modulo 100; below 20 is validation.
"""
from __future__ import annotations

import hashlib

VAL_PERCENT = 20


def split_of(image_id: int) -> str:
    """``"train"`` or ``"val"`` for an image id (about 80/20, the same in every export and every training)."""
    bucket = int.from_bytes(hashlib.sha256(str(image_id).encode()).digest()[:2], "big") % 100
    return "val" if bucket < VAL_PERCENT else "train"
