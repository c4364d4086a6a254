"""Uncertain and diverse: the order in which active learning offers the images that still need answers.

The images a model is least sure about tend to be look-alikes (one blurry kind of picture, one pair of labels it
confuses), so offering them by uncertainty alone spends a round of answers on one question asked many times. The
candidates' embeddings are grouped (spherical k-means, as many groups as the pool of preferred tasks holds, seeded
so the order is repeatable) and taken round-robin: first the most uncertain image of every group, the most
uncertain of those first, then the second most uncertain of every group, and so on. With one group this is the
plain uncertainty order. The uncertainty is weighted by ``density`` first (information density): an uncertain
outlier teaches the next model less than an uncertain picture with many look-alikes.
"""
from __future__ import annotations

import numpy as np

ITERATIONS = 10
#: how many most similar candidates a candidate's density (``density``) averages over
DENSITY_K = 10
DENSITY_CHUNK = 1024


def seeds(unit: np.ndarray, count: int, seed: int) -> np.ndarray:
    """``count`` starting centres among the rows of ``unit`` (unit vectors), k-means++ on the cosine distance: each
    next one drawn (with ``seed``) in proportion to its squared distance to the nearest centre chosen so far, so a
    small group of look-alikes gets a centre of its own instead of a large group getting two."""
    rng = np.random.default_rng(seed)
    chosen = [int(rng.integers(len(unit)))]
    nearest = np.clip(1.0 - unit @ unit[chosen[0]], 0.0, None) ** 2
    for _ in range(count - 1):
        total = float(nearest.sum())
        pick = int(rng.choice(len(unit), p=nearest / total)) if total > 0 else int(rng.integers(len(unit)))
        chosen.append(pick)
        nearest = np.minimum(nearest, np.clip(1.0 - unit @ unit[pick], 0.0, None) ** 2)
    return unit[chosen].copy()


def groups(vectors: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """The group (0 .. ``count`` - 1) of each row of ``vectors``: spherical k-means (cosine) from ``count``
    k-means++ centres drawn with ``seed`` (``seeds``), ``ITERATIONS`` rounds."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    count = max(1, min(count, len(unit)))
    centres = seeds(unit, count, seed)
    for _ in range(ITERATIONS):
        assigned = (unit @ centres.T).argmax(axis=1)
        for group in range(count):
            members = unit[assigned == group]
            if len(members):  # an empty group keeps its centre
                total = members.sum(axis=0)
                centres[group] = total / max(float(np.linalg.norm(total)), 1e-12)
    return (unit @ centres.T).argmax(axis=1)


def priorities(uncertainty: np.ndarray, vectors: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """Per candidate, a priority in [0, 1] (higher first) that takes ``count`` groups of look-alikes round-robin:
    every group's most uncertain candidate comes before any group's second one, and within a round the more
    uncertain candidate comes first. ``uncertainty`` is in [0, 1] (``uncertainty.scores``), ``vectors`` the
    candidates' embeddings, one row each."""
    uncertainty = np.clip(np.asarray(uncertainty, dtype=np.float64), 0.0, 1.0)
    if len(uncertainty) == 0:
        return uncertainty
    assigned = groups(np.asarray(vectors, dtype=np.float32), count, seed)
    rounds = np.zeros(len(uncertainty), dtype=np.int64)
    for group in np.unique(assigned):
        members = np.flatnonzero(assigned == group)
        rounds[members[np.argsort(-uncertainty[members], kind="stable")]] = np.arange(len(members))
    last = int(rounds.max())
    return (last - rounds + uncertainty) / (last + 1)


def density(vectors: np.ndarray, k: int = DENSITY_K, chunk: int = DENSITY_CHUNK) -> np.ndarray:
    """Per row of ``vectors``, its mean cosine similarity to its ``k`` most similar other rows, clipped to [0, 1]:
    high in a crowd of look-alikes, low for an outlier (computed ``chunk`` rows at a time, bounding memory)."""
    unit = np.asarray(vectors, dtype=np.float32)
    unit = unit / np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    if len(unit) < 2:
        return np.ones(len(unit))
    k = max(1, min(k, len(unit) - 1))
    result = np.empty(len(unit))
    for start in range(0, len(unit), chunk):
        similarity = unit[start:start + chunk] @ unit.T
        rows = np.arange(len(similarity))
        similarity[rows, rows + start] = -np.inf  # not its own neighbour
        result[start:start + len(similarity)] = np.partition(similarity, -k, axis=1)[:, -k:].mean(axis=1)
    return np.clip(result, 0.0, 1.0)
