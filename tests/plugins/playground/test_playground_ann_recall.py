"""The similar-pictures index's settings (``imagemonkey_playground.ann``) on real embeddings: recall@10 against exact
cosine search stays at least 0.95 (bench/bench_similar.py measures the same on 1,000,000 synthetic vectors)."""
from __future__ import annotations

import random

import numpy as np
import pytest
from imagemonkey_playground import ann, backbone
from imagemonkey_playground.sample import SOURCES, crop, photograph

pytestmark = pytest.mark.training

CROPS = 10  # per photograph: 120 real embeddings, in look-alike groups like a photo collection's


def embeddings() -> np.ndarray:
    """The backbone's features of ``CROPS`` random crops of each of scikit-image's photographs."""
    rng = random.Random(25)
    pictures = [crop(photograph(name), rng, 128, (0.3, 0.9)) for name in SOURCES.values() for _ in range(CROPS)]
    return backbone.embed(pictures).numpy()


def test_recall_at_10_on_real_embeddings() -> None:
    vectors = embeddings()
    index = ann.new_index(vectors.shape[1])  # the playground's settings, float16 as it stores them
    assert (index.connectivity, index.expansion_add, index.expansion_search) == (
        ann.CONNECTIVITY, ann.EXPANSION_ADD, ann.EXPANSION_SEARCH)
    index.add(np.arange(len(vectors), dtype=np.uint64), vectors.astype(np.float16))
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = np.argsort(-(unit @ unit.T), axis=1, kind="stable")[:, :10]
    found = index.search(vectors, 10)
    recall = np.mean([len(set(found.keys[row].tolist()) & set(exact[row].tolist())) / 10
                      for row in range(len(vectors))])
    assert recall >= 0.95, recall
