"""64-bit perceptual hashes for near-duplicate detection, and their indexed lookup.

:func:`phash64` is ImageHash's pHash (DCT of a 32x32 greyscale image, low 8x8
frequencies against their median) packed into an unsigned 64-bit integer, first bit
most significant. The pipeline computes it on the upright 256 px thumbnail.

Indexed lookup (pigeonhole): the hash is cut into 3 bands of 22, 21 and 21 bits
(:func:`bands`, band 0 = the most significant bits). If two hashes differ in at most
``d`` bits, those differences fall into 3 bands, so at least one band differs in at
most ``d // 3`` bits. Store the band values in indexed integer columns (values up to
2**22 - 1: use ``INTEGER``) and the full hash as a signed ``BIGINT``
(:func:`to_signed64`); look up candidates with ``band_i IN (band_probes(h, d)[i])``
for any ``i``, then keep those with ``hamming(h, candidate) <= d``.

Why three wide bands: the number of probed values is fixed (718 for d = 6) while the
candidates per probed value shrink with the band width (a million random hashes give
about 350 candidates), so a lookup costs nearly the same at ten thousand and at a
million stored hashes. Four 16-bit bands probe fewer values but return about 1,000
candidates per million hashes, growing linearly with the table.
"""

from __future__ import annotations

from itertools import combinations

import imagehash
from PIL import Image

_MASK64 = (1 << 64) - 1
BAND_WIDTHS = (22, 21, 21)
BAND_COUNT = len(BAND_WIDTHS)


def phash64(image: Image.Image) -> int:
    """The 64-bit pHash of ``image`` as an unsigned integer (0 .. 2**64 - 1)."""
    bits = imagehash.phash(image, hash_size=8).hash.flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bool(bit))
    return value


def hamming(a: int, b: int) -> int:
    """The number of differing bits between two 64-bit hashes (signed or unsigned)."""
    return ((a ^ b) & _MASK64).bit_count()


def bands(h: int) -> tuple[int, ...]:
    """The bands of a 64-bit hash (22, 21 and 21 bits), most significant first."""
    h &= _MASK64
    found = []
    shift = 64
    for width in BAND_WIDTHS:
        shift -= width
        found.append((h >> shift) & ((1 << width) - 1))
    return tuple(found)


def _within(value: int, width: int, radius: int) -> list[int]:
    """Every ``width``-bit value within Hamming ``radius`` of ``value``, nearest first."""
    found = [value]
    for distance in range(1, min(radius, width) + 1):
        for positions in combinations(range(width), distance):
            flip = 0
            for position in positions:
                flip |= 1 << position
            found.append(value ^ flip)
    return found


def band_probes(h: int, max_distance: int) -> list[list[int]]:
    """For each band of ``h``, every value within ``max_distance // 3`` bits of it.

    Any hash within ``max_distance`` of ``h`` has at least one band in the matching
    list. Sizes for the 22/21/21-bit bands: 1 each (d < 3), 23/22/22 (d < 6),
    254/232/232 (d < 9).
    """
    if max_distance < 0:
        raise ValueError("max_distance must be >= 0")
    radius = max_distance // BAND_COUNT
    return [_within(band, width, radius) for band, width in zip(bands(h), BAND_WIDTHS, strict=True)]


def to_signed64(h: int) -> int:
    """An unsigned 64-bit hash as the signed value a ``BIGINT`` column stores."""
    if not 0 <= h <= _MASK64:
        raise ValueError(f"not an unsigned 64-bit value: {h}")
    return h - (1 << 64) if h >= 1 << 63 else h
