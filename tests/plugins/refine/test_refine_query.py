"""``dog[color=X]`` equals a brute-force evaluation over a random dataset of answers."""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

from webtest import TestApp

from imagemonkey.testing import auth, donate, new_client

COLOURS = ["black", "brown", "white"]


def brute_settled(given: list[str]) -> str | None:
    """The colour ahead of every other by 3 answers, by counting."""
    counts = Counter(given)
    for colour in COLOURS:
        if all(counts[colour] - counts[other] >= 3 for other in COLOURS if other != colour):
            return colour
    return None


def test_property_queries_equal_a_brute_force_evaluation(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",))
    rng = random.Random(11)
    donor = new_client(app)
    crowd = [new_client(app) for _ in range(5)]
    expected: dict[str, set[str]] = {colour: set() for colour in COLOURS}
    for _ in range(14):
        labels = rng.choice([("dog",), ("dog", "cat"), ("cat",)])
        image = donate(app, donor, labels=labels).json["image"]
        for image_label in image["labels"]:
            if image_label["label"] not in ("dog", "cat"):
                continue
            prop_values = COLOURS if image_label["label"] == "dog" else ["black", "white"]
            given = []
            for token in rng.sample(crowd, rng.randint(0, 5)):
                value = rng.choice(prop_values[:2]) if rng.random() < 0.3 else prop_values[0]
                app.post_json(f"/api/v1/image-labels/{image_label['id']}/properties",
                              {"property": "color", "value": value}, headers=auth(token))
                given.append(value)
            settled = brute_settled(given)
            if image_label["label"] == "dog" and settled is not None:
                expected[settled].add(image["id"])
    assert sum(len(found) for found in expected.values()) >= 2  # the random dataset settles some dogs
    for colour in COLOURS:
        found = {image["id"] for image in app.get("/api/v1/images", {"q": f"dog[color={colour}]",
                                                                     "limit": "100"}).json["images"]}
        assert found == expected[colour], colour
