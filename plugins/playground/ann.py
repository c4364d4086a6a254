"""The approximate nearest-neighbour index of one backbone version: a usearch HNSW file in the data dir.

Keys are image ids, vectors the backbone's embeddings (cosine distance, stored as float16). The file is written
whole to a temporary name and renamed into place, so a reader never sees half a file; readers memory-map it
(``view``) and notice a newer file by its modification time. A JSON file beside it keeps the ``watermark``: the
embedding time up to which every embedding is in the index. Nothing here touches the database; usearch loads
on first use.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # usearch imports tqdm: loaded on the first use of an index, not when the app is built
    from usearch.index import Index

#: HNSW parameters (bench_similar.py): connectivity 16 and expansion 64 while adding; expansion 512 while searching
#: (read when a file is opened, so it applies to existing files) took recall@10 at 1,000,000 clustered vectors from
#: 0.884 (128) to 0.943 at a p50 of 2.4 ms. Expansion 32 while adding built about 1.9x more vectors per CPU second,
#: but recall@10 fell to 0.76 at 400,000; usearch's int8 scales components by a fixed factor, which cost recall
#: (about 0.85 at 50,000), so vectors stay float16.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 512
#: the faster build bench_similar.py measures beside the playground's (dtype, connectivity, expansion add, search)
FAST_BUILD = ("f16", 16, 32, EXPANSION_SEARCH)


def index_path(data_dir: str | Path, backbone: str) -> Path:
    """Where the index of ``backbone`` lives: one file per backbone version (a new version starts a new file)."""
    digest = hashlib.sha256(backbone.encode()).hexdigest()[:16]
    return Path(data_dir) / "playground" / f"similar-{digest}.usearch"


def new_index(ndim: int, settings: tuple[str, int, int, int] | None = None) -> Index:
    """An empty cosine index of ``ndim`` dimensions, with the playground's settings unless ``settings`` gives
    (dtype, connectivity, expansion add, expansion search)."""
    from usearch.index import Index

    dtype, connectivity, expansion_add, expansion_search = settings or ("f16", CONNECTIVITY, EXPANSION_ADD,
                                                                        EXPANSION_SEARCH)
    return Index(ndim=ndim, metric="cos", dtype=dtype, connectivity=connectivity,
                 expansion_add=expansion_add, expansion_search=expansion_search)


def read_meta(path: Path) -> dict:
    """The JSON beside the index at ``path``: ``watermark``, ``count`` and, for a copy of the index published to
    object storage, its blob ``key`` (empty when there is none)."""
    meta = path.with_suffix(".json")
    return json.loads(meta.read_text()) if meta.exists() else {}


def write_meta(path: Path, watermark: str | None, count: int, key: str | None = None) -> None:
    """Write the JSON beside the index at ``path`` atomically (a temporary file renamed into place)."""
    meta = path.with_suffix(".json")
    temporary = meta.with_name(meta.name + f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"watermark": watermark, "count": count, "key": key}))
    os.replace(temporary, meta)


@dataclass
class AnnFile:
    """One index file opened for reading (``view``) or writing, with its watermark and modification time."""

    path: Path
    index: Index
    watermark: str | None
    mtime: float

    @classmethod
    def open(cls, path: Path, ndim: int, *, view: bool = False) -> AnnFile:
        """The index stored at ``path`` (memory-mapped when ``view``), or an empty one when there is none."""
        if not path.exists():
            return cls(path, new_index(ndim), None, 0.0)
        from usearch.index import Index

        mtime = path.stat().st_mtime
        index = Index.restore(str(path), view=view)
        if index is None or index.ndim != ndim:  # unreadable or another size: start again (a rebuild fills it)
            return cls(path, new_index(ndim), None, 0.0)
        index.expansion_add, index.expansion_search = EXPANSION_ADD, EXPANSION_SEARCH
        return cls(path, index, read_meta(path).get("watermark"), mtime)

    def add(self, keys: list[int], vectors: np.ndarray) -> int:
        """Add the vectors whose keys are not in the index yet; returns how many were added."""
        if not keys:
            return 0
        present = np.atleast_1d(self.index.contains(np.asarray(keys, dtype=np.uint64)))
        fresh = [i for i, here in enumerate(present) if not here]
        if fresh:
            self.index.add(np.asarray(keys, dtype=np.uint64)[fresh], vectors[fresh])
        return len(fresh)

    def search(self, vector: np.ndarray, count: int) -> list[tuple[int, float]]:
        """Up to ``count`` ``(key, cosine distance)`` pairs, nearest first."""
        if len(self.index) == 0 or count <= 0:
            return []
        matches = self.index.search(vector.astype(np.float32), min(count, len(self.index)))
        return [(int(key), float(distance)) for key, distance in zip(matches.keys, matches.distances, strict=True)]

    def save(self, watermark: str | None) -> None:
        """Write the index and its watermark atomically (temporary files renamed into place)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        self.index.save(str(temporary))
        os.replace(temporary, self.path)  # the index first: a crash in between leaves an older watermark (harmless)
        write_meta(self.path, watermark, len(self.index))
        self.watermark = watermark
        self.mtime = self.path.stat().st_mtime
