"""Near-duplicate lookup by perceptual hash, through indexed bands (never a table scan).

Any two 64-bit hashes within Hamming distance ``d`` share at least one of their three
bands within radius ``d // 3`` (pigeonhole, see :mod:`imagemonkey.images.perceptual`), so
the candidates are the rows whose band column equals one of the probe values; only those
are compared bit by bit. Each band index also carries the full hash, so candidates are
read from the indexes alone, through the driver's cursor: at a million stored hashes a
lookup reads a few hundred candidate rows, and per-row overhead is what would grow.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..images.perceptual import band_probes, bands, hamming, to_signed64
from ..models import Image


def band_columns(phash: int) -> dict[str, int]:
    """The values of the band columns for an unsigned hash."""
    return {f"phash_b{i}": value for i, value in enumerate(bands(phash))}


def candidate_query(probes: list[list[int]], paramstyle: str) -> tuple[str, list[int]]:
    """The SQL selecting ``(id, phash)`` of rows whose band matches a probe, with its parameters."""
    mark = "?" if paramstyle == "qmark" else "%s"
    clauses = [f"phash_b{i} IN ({', '.join([mark] * len(values))})" for i, values in enumerate(probes)]
    return f"SELECT id, phash FROM image WHERE {' OR '.join(clauses)}", [v for values in probes for v in values]


def find_near_duplicates(dbsession: Any, phash: int, max_distance: int, *,
                         limit: int = 20) -> list[tuple[int, int, str]]:
    """``(image_id, distance, status)`` of stored images within ``max_distance`` of ``phash``, nearest first."""
    probes = band_probes(phash, max_distance)
    connection = dbsession.connection()
    sql, params = candidate_query(probes, connection.dialect.paramstyle)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    near = {}
    for image_id, stored in rows:
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
