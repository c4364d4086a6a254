"""Similar pictures: the nearest-neighbour index kept in step with the embedding cache, and its queries.

Writers (the ``playground.similar_update``/``playground.similar_rebuild`` jobs and ``imagemonkey playground index``)
hold a file lock, read the embeddings added since the index's watermark (keyset on ``(created_at, image_id)``),
add them and save the segments that changed; the web processes memory-map the segments and reopen them when the
manifest changes (:class:`~.index_holder.IndexHolder`). On object storage the segments are shared through the blob
store instead of the data dir (:mod:`.shared_index`).
Visibility is never baked into the index: results are filtered through the ``image`` table at query time, so a
picture hidden or quarantined a second ago does not appear.
"""
from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import and_, exists, or_, select

from imagemonkey.plugin import Image, get_setting

from .ann import AnnFile, index_path
from .models import Embedding
from .settings import setting
from .shared_index import publish, pull

#: embeddings committed up to this long before the watermark are read again (transactions commit out of order)
OVERLAP = timedelta(minutes=10)
BATCH = 2048
#: the most neighbours one search asks the index for while skipping pictures the caller may not see
MAX_CANDIDATES = 4096


def path_of(registry: Any, backbone: str) -> Path:
    """The index file of ``backbone`` in this site's data dir."""
    return index_path(get_setting(registry, "imagemonkey.data_dir"), backbone)


def vector_of(data: bytes) -> np.ndarray:
    """The float32 vector of a cached embedding (stored as float16 bytes)."""
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """One writer per index file at a time (an exclusive lock on a file beside it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_embeddings(dbsession: Any, backbone: str, since: datetime | None) -> Iterator[list[tuple]]:
    """``(image_id, vector bytes, created_at)`` of ``backbone``'s embeddings from ``since`` on, in keyset batches."""
    after: tuple[datetime, int] | None = None
    while True:
        query = (select(Embedding.image_id, Embedding.vector, Embedding.created_at)
                 .where(Embedding.backbone == backbone)
                 .order_by(Embedding.created_at, Embedding.image_id).limit(BATCH))
        if since is not None:
            query = query.where(Embedding.created_at >= since)
        if after is not None:
            query = query.where(or_(Embedding.created_at > after[0],
                                    and_(Embedding.created_at == after[0], Embedding.image_id > after[1])))
        rows = dbsession.execute(query).all()
        if not rows:
            return
        yield rows
        after = (rows[-1].created_at, rows[-1].image_id)


def update_index(request: Any, backbone: str, features: int, *, rebuild: bool = False) -> dict[str, Any]:
    """Add the embeddings of ``backbone`` that the index lacks (all of them when ``rebuild``); save the segments that
    changed (and publish them on object storage) when that added something or rebuilt it. On object storage an
    update starts from the published index when this host's segments are not that copy."""
    path = path_of(request.registry, backbone)
    with writing(path):
        if not rebuild:
            pull(request, backbone, path)
        size = setting(request, "playground.similar_segment_size")
        ann = AnnFile.empty(path, features, size) if rebuild else AnnFile.open(path, features, segment_size=size)
        since = datetime.fromisoformat(ann.watermark) - OVERLAP if ann.watermark else None
        newest, added = ann.watermark, 0
        for rows in new_embeddings(request.dbsession, backbone, since):
            added += ann.add([row.image_id for row in rows], np.stack([vector_of(row.vector) for row in rows]))
            newest = max(newest or "", rows[-1].created_at.isoformat())
        if added or rebuild:
            publish(request, backbone, ann, ann.save(newest))
    return {"backbone": backbone, "added": added, "size": len(ann.index)}


def embed_missing(request: Any, limit: int) -> int:
    """Embed up to ``limit`` public pictures (newest first) that have no embedding for this site's backbone yet."""
    from .embeddings import compute  # torch: loaded by the worker that embeds
    from .providers import backbone_of

    provider = backbone_of(request.registry)
    ids = list(request.dbsession.scalars(
        select(Image.id).where(Image.status == "public", ~exists().where(
            Embedding.image_id == Image.id, Embedding.backbone == provider.version))
        .order_by(Image.id.desc()).limit(limit)))
    if ids:
        compute(request, ids, provider)
    return len(ids)


def nearest_public(request: Any, ann: AnnFile, vector: np.ndarray, limit: int,
                   exclude: int | None = None) -> list[tuple[Image, float]]:
    """The ``limit`` public pictures nearest to ``vector`` (``exclude`` left out), nearest first, as
    ``(Image, distance)``; asks the index for more candidates while hidden ones crowd the answer."""
    count = limit + 1
    while True:
        found = [(key, distance) for key, distance in ann.search(vector, count) if key != exclude]
        ids = [key for key, _ in found]
        public = {image.id: image for image in request.dbsession.scalars(
            select(Image).where(Image.id.in_(ids), Image.status == "public"))} if ids else {}
        answer = [(public[key], distance) for key, distance in found if key in public][:limit]
        if len(answer) >= limit or count >= min(len(ann.index), MAX_CANDIDATES):
            return answer
        count = min(count * 4, MAX_CANDIDATES)
