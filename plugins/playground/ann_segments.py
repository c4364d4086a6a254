"""Several usearch indexes searched as one: the segments of the similar-pictures index (``ann``).

:class:`Segments` answers the part of usearch's ``Index`` interface that the playground uses — ``len``,
``contains``, ``get``, ``add`` and ``search`` of one vector or a batch — over a list of segments: additions fill
the newest segment up to ``segment_size`` and then start a new one (remembered in ``changed``, so only those are
saved), and a search asks every segment for ``count`` neighbours and keeps the ``count`` nearest of them all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Matches:
    """Nearest neighbours, nearest first: for one query ``keys`` and ``distances`` are 1-D; for a batch they are
    (queries, count) and ``counts`` says how many of each row are real."""

    keys: np.ndarray
    distances: np.ndarray
    counts: np.ndarray


@dataclass
class Segments:
    """The segments of one index, oldest first; ``new_segment()`` makes an empty one."""

    segments: list[Any]
    new_segment: Callable[[], Any]
    segment_size: int
    changed: set[int] = field(default_factory=set)

    def __len__(self) -> int:
        return sum(len(segment) for segment in self.segments)

    def contains(self, keys: Any) -> Any:
        """Whether each of ``keys`` is in some segment (a bool for one key, an array for several)."""
        wanted = np.atleast_1d(np.asarray(keys, dtype=np.uint64))
        found = np.zeros(len(wanted), dtype=bool)
        for segment in self.segments:
            if len(segment):
                found |= np.atleast_1d(segment.contains(wanted))
        return bool(found[0]) if np.ndim(keys) == 0 else found

    def get(self, key: int) -> np.ndarray | None:
        """The stored vector of ``key`` (None when no segment holds it)."""
        for segment in self.segments:
            if len(segment) and segment.contains(key):
                return segment.get(key)
        return None

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        """Add ``keys`` (not present yet) with their ``vectors`` to the newest segment, starting new segments as
        each fills up."""
        start = 0
        while start < len(keys):
            if not self.segments or len(self.segments[-1]) >= self.segment_size:
                self.segments.append(self.new_segment())
            newest = len(self.segments) - 1
            stop = min(len(keys), start + self.segment_size - len(self.segments[newest]))
            self.segments[newest].add(keys[start:stop], vectors[start:stop])
            self.changed.add(newest)
            start = stop

    def search(self, vectors: np.ndarray, count: int) -> Matches:
        """The ``count`` nearest neighbours of one vector (1-D) or of each row of a batch (2-D)."""
        queries = np.atleast_2d(vectors)
        keys, distances, counts = [], [], np.zeros(len(queries), dtype=np.int64)
        for segment in self.segments:
            if not len(segment):
                continue
            found = segment.search(queries, min(count, len(segment)))
            width = min(count, len(segment))
            segment_keys = np.asarray(found.keys, dtype=np.uint64).reshape(len(queries), width)
            segment_distances = np.asarray(found.distances, dtype=np.float32).reshape(len(queries), width)
            real = np.asarray(getattr(found, "counts", [width]), dtype=np.int64).reshape(-1, 1)
            segment_distances = np.where(np.arange(width) < real, segment_distances, np.inf)
            keys.append(segment_keys)
            distances.append(segment_distances)
            counts += real[:, 0] if len(real) == len(queries) else real[0, 0]
        if not keys:
            empty = np.zeros((len(queries), 0))
            return self.shaped(vectors, empty.astype(np.uint64), empty.astype(np.float32), counts)
        all_keys, all_distances = np.concatenate(keys, axis=1), np.concatenate(distances, axis=1)
        order = np.argsort(all_distances, axis=1, kind="stable")[:, :count]
        return self.shaped(vectors, np.take_along_axis(all_keys, order, axis=1),
                           np.take_along_axis(all_distances, order, axis=1), np.minimum(counts, count))

    @staticmethod
    def shaped(vectors: np.ndarray, keys: np.ndarray, distances: np.ndarray, counts: np.ndarray) -> Matches:
        """One query's matches trimmed to its real ones, or the batch's as they are."""
        if np.ndim(vectors) == 1:
            return Matches(keys[0, :counts[0]], distances[0, :counts[0]], counts[:1])
        return Matches(keys, distances, counts)
