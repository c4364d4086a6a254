"""Synthetic image rows for query tests and benchmarks: no files, just ``image`` and ``image_label`` rows.

Rows go in with Core ``INSERT`` statements in batches (the way a bulk import would), so a
benchmark can build a million image labels in seconds; the statistics counters are added to per
batch (one upsert per status, label name and day), so they stay equal to the tables. The images have no stored
renditions: serving their files answers 404, everything else treats them like donations.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import insert

from ..db.transactions import mark_changed
from ..models import Image, ImageLabel
from ..models.types import utcnow
from ..services.counters import PUBLIC_BY_DAY, add_daily, add_status, count_labels

BATCH = 5000


def image_row(image_id: int, width: int, height: int, status: str = "public") -> dict[str, Any]:
    """The column values of one synthetic image."""
    digest = hashlib.sha256(str(image_id).encode()).hexdigest()
    return {"id": image_id, "status": status, "format": "jpeg", "width": width, "height": height,
            "upload_sha256": digest, "original_key": digest, "medium_key": digest, "thumb_key": digest,
            "phash": image_id, "phash_b0": image_id & 0xFFFF, "phash_b1": 0, "phash_b2": 0,
            "label_count": 0, "created_at": utcnow()}


def insert_images(dbsession: Any, images: Sequence[tuple[int, int, int, str, Iterable[str]]]) -> None:
    """Insert ``(id, width, height, status, labels)`` images with their labels, in batches."""
    now = utcnow()
    for start in range(0, len(images), BATCH):
        chunk = images[start:start + BATCH]
        rows, labels = [], []
        for image_id, width, height, status, names in chunk:
            names = sorted(set(names))
            rows.append({**image_row(image_id, width, height, status), "label_count": len(names)})
            labels.extend({"image_id": image_id, "label": name, "created_at": now} for name in names)
        dbsession.connection().execute(insert(Image), rows)
        if labels:
            dbsession.connection().execute(insert(ImageLabel), labels)
        _count(dbsession, chunk, now.strftime("%Y-%m-%d"))
    mark_changed(dbsession)


def _count(dbsession: Any, chunk: Sequence[tuple[int, int, int, str, Iterable[str]]], day: str) -> None:
    """Add a batch to the counters that donations and labels keep (statuses, public images by day, labels)."""
    for status, n in Counter(status for _, _, _, status, _ in chunk).items():
        add_status(dbsession, status, n)
        if status == "public":
            add_daily(dbsession, day, PUBLIC_BY_DAY, n)
    count_labels(dbsession, [name for _, _, _, status, names in chunk if status == "public" for name in set(names)])
