"""Active learning's cold start (``imagemonkey_playground.coldstart``): before any model, each look-alike group's most
typical picture first, round-robin, the larger groups first."""
from __future__ import annotations

import numpy as np
from imagemonkey_playground.coldstart import representativeness


def look_alikes(per_group: list[int], spread: float = 0.05, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Vectors around orthogonal directions (``per_group[g]`` rows in group g), and each row's group."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for group, count in enumerate(per_group):
        direction = np.zeros(32)
        direction[group] = 1.0
        rows.append(direction + rng.normal(0, spread, (count, 32)))
        truth += [group] * count
    return np.concatenate(rows).astype(np.float32), np.array(truth)


def test_one_picture_of_every_group_first_the_larger_groups_first() -> None:
    vectors, truth = look_alikes([3, 7, 5])
    order = np.argsort(-representativeness(vectors, 3), kind="stable")
    assert truth[order[:3]].tolist() == [1, 2, 0]  # every group once, by size, before any second picture
    assert sorted(truth[order[3:6]].tolist()) == [0, 1, 2]


def test_the_most_typical_picture_of_a_group_first() -> None:
    axis = np.eye(32, dtype=np.float32)
    group0 = [axis[0] + 0.2 * axis[6], axis[0] + 0.6 * axis[5], axis[0], axis[0] - 0.2 * axis[6]]
    group1 = [axis[1] + 0.1 * axis[7], axis[1] - 0.1 * axis[7]]
    scores = representativeness(np.stack(group0 + group1), 2)
    order = np.argsort(-scores[:4], kind="stable").tolist()
    assert order[0] == 2 and order[-1] == 1  # the central picture first, the outlier (index 1) last
    assert set(order[1:3]) == {0, 3}


def test_scores_are_priorities_in_the_unit_interval() -> None:
    vectors, _ = look_alikes([2, 2])
    scores = representativeness(vectors, 2)
    assert ((scores >= 0) & (scores < 1)).all() and len(set(scores.tolist())) == 4
    assert len(representativeness(np.zeros((0, 8)), 5)) == 0
    single = representativeness(vectors[:1], 50)  # more groups than pictures
    assert single.shape == (1,) and 0 <= single[0] < 1
