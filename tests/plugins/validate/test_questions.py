"""Questions phrased from the catalog: mass nouns without an article, "a pair of" scissors, a/an by sound."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from webtest import TestApp

sys.path.insert(0, str(Path(__file__).parent))
from validate_support import PLUGINS, donate, next_task, vote  # noqa: E402

from imagemonkey.labels.catalog import CatalogError, load_catalog  # noqa: E402
from imagemonkey.testing import new_client  # noqa: E402


def test_questions_follow_the_catalogs_article(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS)
    donor, voter = new_client(app), new_client(app)
    for seed, label in enumerate(("grass", "scissors", "apple", "dog")):
        donate(app, donor, (label,), seed=400 + seed)
    asked = set()
    for _ in range(4):
        task = next_task(app, voter)
        asked.add(task["question"])
        vote(app, voter, task["image_label"]["id"], "unsure")  # answered: the next task is another label
    assert asked == {"Is there grass in this picture?", "Is there a pair of scissors in this picture?",
                     "Is there an apple in this picture?", "Is there a dog in this picture?"}
    labels = {label["name"]: label for label in app.get("/api/v1/labels").json["labels"]}
    assert labels["grass"]["article"] == "" and "article" not in labels["dog"]


@pytest.mark.parametrize("article", ["A", "an old big red", 3, "x-y"])
def test_catalog_refuses_a_bad_article(tmp_path: Path, article: object) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"labels": [
        {"name": "grass", "description": "Green.", "plural": "grass", "article": article}]}))
    with pytest.raises(CatalogError, match="article"):
        load_catalog(tmp_path)


def test_the_default_catalogs_mass_nouns_read_without_an_article(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS)
    donor, voter = new_client(app), new_client(app)
    for seed, label in enumerate(("sky", "coffee")):
        donate(app, donor, (label,), seed=420 + seed)
    asked = set()
    for _ in range(2):
        task = next_task(app, voter)
        asked.add(task["question"])
        vote(app, voter, task["image_label"]["id"], "unsure")
    assert asked == {"Is there sky in this picture?", "Is there coffee in this picture?"}
