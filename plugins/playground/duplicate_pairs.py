"""Pairs of near-duplicate pictures from the nearest-neighbour index, and single-linkage groups of pairs.

Nothing here touches the database: :func:`find_pairs` asks the usearch index for each vector's nearest neighbours in
one batched search and keeps those within the distance threshold; :func:`components` groups pairs (a union-find),
which the benchmark times on synthetic vectors and the tests check against real photographs.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def find_pairs(index: Any, keys: list[int], vectors: np.ndarray, k: int,
               max_distance: float) -> list[tuple[int, int, float]]:
    """``(a, b, cosine distance)`` with ``a < b`` for each of ``keys`` and those of its ``k`` nearest neighbours in
    ``index`` that lie within ``max_distance`` (itself left out), each pair once, nearest first."""
    if not keys or len(index) == 0:
        return []
    count = min(k + 1, len(index))
    matches = index.search(np.asarray(vectors, dtype=np.float32), count)
    found = np.asarray(matches.keys, dtype=np.int64).reshape(len(keys), -1)
    distances = np.asarray(matches.distances, dtype=np.float32).reshape(len(keys), -1)
    counts = np.asarray(getattr(matches, "counts", [found.shape[1]]), dtype=np.int64).reshape(-1, 1)
    sources = np.asarray(keys, dtype=np.int64).reshape(-1, 1)
    near = ((distances <= max_distance) & (found != sources) & (np.arange(found.shape[1]) < counts))
    rows, columns = np.nonzero(near)
    best: dict[tuple[int, int], float] = {}
    for a, b, distance in zip(sources[rows, 0].tolist(), found[rows, columns].tolist(),
                              distances[rows, columns].tolist(), strict=True):
        pair = (a, b) if a < b else (b, a)
        if distance < best.get(pair, np.inf):
            best[pair] = distance
    return sorted(((a, b, d) for (a, b), d in best.items()), key=lambda pair: (pair[2], pair[0], pair[1]))


def components(pairs: list[tuple[int, int, float]]) -> list[set[int]]:
    """The groups that ``pairs`` link (single linkage: a chain of near pairs is one group), largest first."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b, _ in pairs:
        first, second = root(a), root(b)
        if first != second:
            parent[max(first, second)] = min(first, second)
    groups: dict[int, set[int]] = {}
    for node in parent:
        groups.setdefault(root(node), set()).add(node)
    return sorted(groups.values(), key=lambda group: (-len(group), min(group)))
