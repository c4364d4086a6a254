"""The approximate nearest-neighbour index of one backbone version: usearch HNSW segments in the data dir.

Keys are image ids, vectors the backbone's embeddings (cosine distance, stored as float16). An index is a list of
segments of at most ``segment_size`` vectors each (:class:`Segments`, searched together and merged, as Lucene,
Milvus and Qdrant search their segments): an HNSW graph's recall falls as it grows (bench_similar.py: recall@10
0.99 at 200,000 clustered vectors, 0.943 at 1,000,000 with the same settings), and only the newest segment
changes when pictures are added, so an update rewrites (and uploads) one segment, not the whole index.

Files: segment 0 is ``similar-<digest>.usearch`` (a site's single file from before the segments), segment N
``similar-<digest>.N.usearch``; the manifest ``similar-<digest>.json`` beside them names how many segments there
are and the ``watermark`` (the embedding time up to which every embedding is in the index). Each file is written
whole to a temporary name and renamed into place, segments before the manifest, so a reader never sees half a
file; readers memory-map the segments (``view``) and notice a change by the manifest's modification time. Nothing
here touches the database; usearch loads on first use.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .ann_segments import Segments

if TYPE_CHECKING:  # usearch imports tqdm: loaded on the first use of an index, not when the app is built
    from usearch.index import Index

#: HNSW parameters (bench_similar.py): connectivity 16 and expansion 64 while adding; expansion 128 while searching
#: each segment (read when a file is opened, so it applies to existing files): at 1,000,000 clustered vectors in 4
#: segments recall@10 0.980 at a p50 of 4.3 ms (256: 0.988 at 9.6 ms), where one graph of them all reached 0.943
#: at expansion 512. Expansion 32 while adding built about 1.9x more vectors per CPU second, but recall@10 fell to
#: 0.76 at 400,000; usearch's int8 scales components by a fixed factor, which cost recall (about 0.85 at 50,000),
#: so vectors stay float16.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 128
#: the most vectors one segment holds (``playground.similar_segment_size`` sets it on a site)
SEGMENT_SIZE = 250_000
#: the faster build bench_similar.py measures beside the playground's (dtype, connectivity, expansion add, search)
FAST_BUILD = ("f16", 16, 32, EXPANSION_SEARCH)


def index_path(data_dir: str | Path, backbone: str) -> Path:
    """Where the index of ``backbone`` lives (its first segment; the manifest and the other segments sit beside
    it): one index per backbone version (a new version starts a new index)."""
    digest = hashlib.sha256(backbone.encode()).hexdigest()[:16]
    return Path(data_dir) / "playground" / f"similar-{digest}.usearch"


def segment_path(path: Path, number: int) -> Path:
    """The file of segment ``number`` of the index whose first segment is ``path``."""
    return path if number == 0 else path.with_name(f"{path.stem}.{number}{path.suffix}")


def manifest_path(path: Path) -> Path:
    """The JSON manifest (segment count, watermark, size) of the index whose first segment is ``path``."""
    return path.with_suffix(".json")


def new_index(ndim: int, settings: tuple[str, int, int, int] | None = None) -> Index:
    """An empty cosine index of ``ndim`` dimensions, with the playground's settings unless ``settings`` gives
    (dtype, connectivity, expansion add, expansion search)."""
    from usearch.index import Index

    dtype, connectivity, expansion_add, expansion_search = settings or ("f16", CONNECTIVITY, EXPANSION_ADD,
                                                                        EXPANSION_SEARCH)
    return Index(ndim=ndim, metric="cos", dtype=dtype, connectivity=connectivity,
                 expansion_add=expansion_add, expansion_search=expansion_search)


def restore(path: Path, ndim: int, *, view: bool) -> Index | None:
    """The segment stored at ``path`` (memory-mapped when ``view``), or None when it is missing, unreadable or of
    another size."""
    from usearch.index import Index

    index = Index.restore(str(path), view=view) if path.exists() else None
    if index is None or index.ndim != ndim:
        return None
    index.expansion_add, index.expansion_search = EXPANSION_ADD, EXPANSION_SEARCH
    return index


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest beside ``path`` ({} when there is none); an index from before the segments has one segment."""
    manifest = manifest_path(path)
    content = json.loads(manifest.read_text()) if manifest.exists() else {}
    content.setdefault("segments", 1 if path.exists() else 0)
    return content


def write_manifest(path: Path, content: dict[str, Any]) -> None:
    """Write the manifest beside ``path`` atomically: ``segments``, ``watermark``, ``count`` and, for a copy of an
    index published to object storage, the blob ``keys`` of its segments."""
    text = json.dumps(content)
    replace_atomically(manifest_path(path), lambda temporary: temporary.write_text(text))


def replace_atomically(path: Path, write: Any) -> None:
    """``write(temporary path)``, then the temporary file renamed to ``path``."""
    temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
    write(temporary)
    os.replace(temporary, path)


@dataclass
class AnnFile:
    """One index opened for reading (every segment ``view``) or writing (the newest segment loaded, the others
    memory-mapped), with its watermark and its manifest's modification time."""

    path: Path
    index: Segments
    watermark: str | None
    mtime: float

    @classmethod
    def empty(cls, path: Path, ndim: int, segment_size: int = SEGMENT_SIZE) -> AnnFile:
        """A new index with nothing in it, to be saved at ``path``."""
        return cls(path, Segments([], lambda: new_index(ndim), segment_size), None, 0.0)

    @classmethod
    def open(cls, path: Path, ndim: int, *, view: bool = False, segment_size: int = SEGMENT_SIZE) -> AnnFile:
        """The index stored at ``path`` (every segment memory-mapped when ``view``), or an empty one when there is
        none or a segment is unreadable (a rebuild fills it again)."""
        content = read_manifest(path)
        count = int(content["segments"])
        indexes = [restore(segment_path(path, n), ndim, view=view or n < count - 1) for n in range(count)]
        if any(index is None for index in indexes):
            return cls.empty(path, ndim, segment_size)
        mtime = manifest_path(path).stat().st_mtime if manifest_path(path).exists() else 0.0
        return cls(path, Segments(indexes, lambda: new_index(ndim), segment_size), content.get("watermark"), mtime)

    @classmethod
    def of_files(cls, path: Path, files: list[Path], ndim: int, watermark: str | None) -> AnnFile:
        """An index for reading whose segments are ``files`` (a host's copies of published segments), memory-mapped;
        ``path`` names it. An unreadable file leaves it empty."""
        indexes = [restore(file, ndim, view=True) for file in files]
        if any(index is None for index in indexes):
            return cls.empty(path, ndim)
        return cls(path, Segments(indexes, lambda: new_index(ndim), SEGMENT_SIZE), watermark, 0.0)

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

    def save(self, watermark: str | None) -> list[Path]:
        """Write the segments that changed, then the manifest (each atomically), and remove segment files the
        manifest no longer names (after a rebuild into fewer segments); returns the segment files written."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        written = []
        for number in sorted(self.index.changed):
            target = segment_path(self.path, number)
            replace_atomically(target, lambda temporary, n=number: self.index.segments[n].save(str(temporary)))
            written.append(target)
        count = len(self.index.segments)
        write_manifest(self.path, {"watermark": watermark, "count": len(self.index), "segments": count})
        stale = count
        while segment_path(self.path, stale).exists():
            segment_path(self.path, stale).unlink()
            stale += 1
        self.index.changed.clear()
        self.watermark = watermark
        self.mtime = manifest_path(self.path).stat().st_mtime
        return written
