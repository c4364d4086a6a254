"""Active learning's order (``imagemonkey_playground.diversity``): uncertain images first, spread over look-alikes."""
from __future__ import annotations

import numpy as np
from imagemonkey_playground.diversity import density, groups, priorities, seeds


def look_alikes(per_group: list[int], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Vectors in tight groups around orthogonal directions (``per_group[g]`` rows in group g), and each row's
    group."""
    rng = np.random.default_rng(seed)
    dimension = 64
    rows, truth = [], []
    for group, count in enumerate(per_group):
        direction = np.zeros(dimension)
        direction[group] = 1.0
        rows.append(direction + rng.normal(0, 0.02, (count, dimension)))
        truth += [group] * count
    return np.concatenate(rows).astype(np.float32), np.array(truth)


def test_groups_find_the_look_alikes() -> None:
    vectors, truth = look_alikes([5, 5, 5])
    found = groups(vectors, 3)
    for group in range(3):  # the same group in both labellings: the partition is the same
        assert len(set(found[truth == group])) == 1
    assert len(set(found)) == 3


def test_every_group_before_any_second_look_alike() -> None:
    vectors, truth = look_alikes([6, 3, 3])
    uncertainty = np.array([0.9, 0.95, 0.85, 0.8, 0.97, 0.92] + [0.5, 0.4, 0.3] + [0.2, 0.1, 0.6])
    order = np.argsort(-priorities(uncertainty, vectors, 3), kind="stable")
    assert sorted(truth[order[:3]].tolist()) == [0, 1, 2]  # one of each group first ...
    assert order[:3].tolist() == [4, 11, 6]  # ... each group's most uncertain, the most uncertain first
    assert order[3] == 1  # then the second most uncertain of the most uncertain group
    # plain uncertainty would have offered five look-alikes of group 0 first
    assert truth[np.argsort(-uncertainty)[:5]].tolist() == [0] * 5


def test_one_group_is_the_uncertainty_order() -> None:
    vectors, _ = look_alikes([4, 4])
    uncertainty = np.array([0.1, 0.7, 0.3, 0.9, 0.5, 0.2, 0.8, 0.6])
    scores = priorities(uncertainty, vectors, 1)
    assert np.argsort(-scores).tolist() == np.argsort(-uncertainty).tolist()
    assert ((scores >= 0) & (scores <= 1)).all()


def test_no_candidates_and_more_groups_than_candidates() -> None:
    assert len(priorities(np.array([]), np.zeros((0, 8)), 50)) == 0
    vectors, _ = look_alikes([1, 1])
    scores = priorities(np.array([0.2, 0.9]), vectors, 50)  # each is its own group: the uncertain one first
    assert scores[1] > scores[0] and ((scores >= 0) & (scores <= 1)).all()


def test_a_small_group_gets_its_own_centre() -> None:
    vectors, truth = look_alikes([40, 2, 2])  # a random start would often put two centres in the large group
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    for seed in range(5):
        centres = seeds(unit, 3, seed)
        assert sorted((centres @ np.eye(64)[:3].T).argmax(axis=1).tolist()) == [0, 1, 2]
        found = groups(vectors, 3, seed)
        assert all(len(set(found[truth == group])) == 1 for group in range(3))


def test_density_is_high_among_look_alikes_and_low_for_an_outlier() -> None:
    vectors, _ = look_alikes([6, 1])  # six look-alikes and one picture unlike them
    values = density(vectors, 3)
    assert values.shape == (7,) and ((values >= 0) & (values <= 1)).all()
    assert values[:6].min() > 0.9 and values[6] < 0.1
    assert density(vectors[:1]).tolist() == [1.0] and len(density(np.zeros((0, 4)))) == 0


def test_density_in_chunks_is_the_same() -> None:
    vectors, _ = look_alikes([5, 4, 3])
    assert np.allclose(density(vectors, 2, chunk=5), density(vectors, 2))  # three chunks, the last one short
