"""Adversaries (20%) must not settle a wrong value: a crowd simulation through HTTP, and a large one on the rule."""
from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from imagemonkey_refine.settlement import decide, weight
from webtest import TestApp

from imagemonkey.testing import auth, donate, new_client

COLOURS = ["black", "brown", "white", "grey", "golden", "mixed"]


def crowd_answer(rng: random.Random, truth: str, wrong: str, coordinated: bool) -> str:
    """One answer: 20% adversaries (never the truth), 80% honest people right 95% of the time."""
    others = [colour for colour in COLOURS if colour != truth]
    if rng.random() < 0.2:
        return wrong if coordinated else rng.choice(others)
    return truth if rng.random() < 0.95 else rng.choice(others)


def simulate(margin: float, coordinated: bool, items: int = 20000) -> tuple[float, float]:
    """Answers per settled value and precision of the settlement rule over ``items`` image labels."""
    rng = random.Random(7)
    answers = right = 0
    for _ in range(items):
        truth = rng.choice(COLOURS)
        wrong = rng.choice([colour for colour in COLOURS if colour != truth])
        given: list[tuple[str, float]] = []
        while (value := decide(given, margin)) is None:
            given.append((crowd_answer(rng, truth, wrong, coordinated), 1.0))
        answers += len(given)
        right += value == truth
    return answers / items, right / items


def test_independent_adversaries_settle_no_wrong_value_within_six_answers() -> None:
    per_value, precision = simulate(3, coordinated=False)
    assert per_value <= 6 and precision >= 0.99


def test_coordinated_adversaries_need_a_margin_of_four() -> None:
    assert simulate(3, coordinated=True)[1] < 0.99  # the worst case: all adversaries pick the same wrong value
    per_value, precision = simulate(4, coordinated=True)
    assert precision >= 0.99 and per_value <= 8


def test_a_margin_of_one_would_let_adversaries_through() -> None:
    assert simulate(1, coordinated=False, items=5000)[1] < 0.99


@pytest.mark.parametrize("reliability, evidence, expected", [(0.9, 0, 1.0), (2 / 3, 10, 1.0), (0.5, 10, 0.0),
                                                             (0.1, 10, 0.0), (0.999, 10, 3.0)])
def test_standing_weights(reliability: float, evidence: float, expected: float) -> None:
    assert weight(reliability, evidence) == pytest.approx(expected)


def test_a_crowd_with_adversaries_settles_the_truth_through_http(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",))
    rng = random.Random(3)
    donor = new_client(app)
    truth = {}
    for _ in range(12):
        image = donate(app, donor, labels=("dog",)).json["image"]
        truth[image["labels"][0]["id"]] = rng.choice(COLOURS)
    people = [(new_client(app), i < 4) for i in range(20)]  # 4 of 20 are adversaries, answering in random turns
    answers = 0
    while people:
        token, adversary = person = rng.choice(people)
        response = app.get("/api/v1/tasks/next", {"kind": "refine"}, headers=auth(token))
        if response.status_int == 204:
            people.remove(person)
            continue
        il = response.json["task"]["image_label"]
        value = rng.choice([c for c in COLOURS if c != truth[il]]) if adversary else truth[il]
        app.post_json(f"/api/v1/image-labels/{il}/properties", {"property": "color", "value": value},
                      headers=auth(token))
        answers += 1
    settled = {il: app.get(f"/api/v1/image-labels/{il}").json["properties"].get("color") for il in truth}
    assert settled == truth  # every one settled, and to the truth
    assert answers / len(truth) <= 6
