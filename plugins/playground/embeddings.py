"""The embedding cache: backbone features of each image, computed once per (image, backbone version).

Images are read through the blob store (the ``medium`` rendition), so the cache fills the same way on disk and
on S3. Vectors are stored as float16 bytes (2.5 KB per image) in ``playground_embedding``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from sqlalchemy import select

from imagemonkey.plugin import Image, insert_once

from .backbone import FEATURES, decode
from .models import Embedding
from .providers import BackboneProvider
from .torch_runtime import torch

CHUNK = 256
#: images embedded (and committed) at a time
EMBED_CHUNK = 64


def chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    """``ids`` in lists of at most ``size``."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def to_bytes(vector: torch.Tensor) -> bytes:
    """float16 bytes of a 1280-d vector."""
    return vector.to(torch.float16).numpy().tobytes()


def from_bytes(data: bytes) -> torch.Tensor:
    """The float32 vector back."""
    return torch.from_numpy(np.frombuffer(data, dtype=np.float16).astype(np.float32))


def cached(dbsession: Any, image_ids: Iterable[int], backbone: str) -> dict[int, torch.Tensor]:
    """The cached vectors of the given images (missing ones left out), chunked ``IN`` queries on the primary key."""
    found: dict[int, torch.Tensor] = {}
    for chunk in chunks(list(image_ids)):
        for image_id, data in dbsession.execute(select(Embedding.image_id, Embedding.vector).where(
                Embedding.backbone == backbone, Embedding.image_id.in_(chunk))):
            found[image_id] = from_bytes(data)
    return found


def medium_keys(dbsession: Any, image_ids: list[int]) -> dict[int, str]:
    """Blob keys of the medium renditions of the given images, chunked ``IN`` queries."""
    keys: dict[int, str] = {}
    for chunk in chunks(image_ids):
        keys.update(dbsession.execute(select(Image.id, Image.medium_key).where(Image.id.in_(chunk))).all())
    return keys


def missing(dbsession: Any, image_ids: list[int], backbone: str) -> list[int]:
    """The images among ``image_ids`` without a cached vector for ``backbone``."""
    have = set(cached(dbsession, image_ids, backbone))
    return [i for i in image_ids if i not in have]


def compute(request: Any, image_ids: list[int], provider: BackboneProvider) -> None:
    """Embed these images (read through the blob store) and store their vectors in the request's transaction.

    A training and the similar-pictures update may embed the same new image at once: a row the other committed
    first is skipped (a savepoint per row), not an error that fails the training.
    """
    keys = medium_keys(request.dbsession, image_ids)
    present = [i for i in image_ids if i in keys]
    store = request.registry["blobstore"]
    vectors = provider.embed([decode(store.get(keys[i])) for i in present])
    for image_id, vector in zip(present, vectors, strict=True):
        insert_once(request.dbsession, Embedding(image_id=image_id, backbone=provider.version, vector=to_bytes(vector)))


def matrix(vectors: dict[int, torch.Tensor], image_ids: list[int], features: int = FEATURES) -> torch.Tensor:
    """The (N, features) matrix of ``image_ids`` in order."""
    return torch.stack([vectors[i] for i in image_ids]) if image_ids else torch.empty(0, features)
