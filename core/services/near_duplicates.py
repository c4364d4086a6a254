"""Near-duplicate lookup by perceptual hash, through indexed 16-bit bands (never a table scan).

Any two 64-bit hashes within Hamming distance ``d`` share at least one of their four
16-bit bands within radius ``d // 4`` (pigeonhole), so the candidates are the rows whose
band column equals one of the probe values; only those are compared bit by bit.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from ..images.perceptual import band_probes, bands, hamming, to_signed64
from ..models import Image

BAND_COLUMNS = (Image.phash_b0, Image.phash_b1, Image.phash_b2, Image.phash_b3)


def band_columns(phash: int) -> dict[str, int]:
    """The values of the four band columns for an unsigned hash."""
    return {f"phash_b{i}": value for i, value in enumerate(bands(phash))}


def find_near_duplicates(dbsession: Any, phash: int, max_distance: int, *, limit: int = 20,
                         exclude_id: int | None = None) -> list[tuple[int, int, str]]:
    """``(image_id, distance, status)`` of stored images within ``max_distance`` of ``phash``, nearest first."""
    probes = band_probes(phash, max_distance)
    condition = or_(*(column.in_(values) for column, values in zip(BAND_COLUMNS, probes, strict=True)))
    query = select(Image.id, Image.phash).where(condition)  # read from the (band, phash) indexes alone
    if exclude_id is not None:
        query = query.where(Image.id != exclude_id)
    near = {}
    for image_id, stored in dbsession.execute(query):
        distance = hamming(phash, stored)
        if distance <= max_distance:
            near[image_id] = distance
    if not near:
        return []
    nearest = sorted(near, key=lambda image_id: (near[image_id], image_id))[:limit]
    statuses = dict(dbsession.execute(select(Image.id, Image.status).where(Image.id.in_(nearest))).all())
    return [(image_id, near[image_id], statuses[image_id]) for image_id in nearest if image_id in statuses]


def stored_hash(phash: int) -> int:
    """The signed form of the hash that fits a BIGINT column."""
    return to_signed64(phash)
