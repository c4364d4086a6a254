"""annotate adds each outlined image label's shapes to its JSON (one query per batch); the image page carries them."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import RECT, annotate, donate, label_id  # noqa: E402

from imagemonkey.testing import new_client  # noqa: E402


def test_outline_in_image_json_and_on_the_image_page(app_factory: Any) -> None:
    app = app_factory(plugins=("annotate",))
    token = new_client(app)
    image = donate(app, token, ["dog", "cat"], seed=71)
    annotate(app, token, label_id(image, "dog"), [RECT])
    labels = {il["label"]: il for il in app.get(f"/api/v1/images/{image['id']}").json["labels"]}
    assert labels["dog"]["outline"]["shapes"] == [RECT] and labels["dog"]["outline"]["revision"] == 1
    assert "outline" not in labels["cat"]
    page = app.get(f"/images/{image['id']}")
    items = {item["data-label"]: item for item in page.html.select("ul.labels li")}
    assert json.loads(items["dog"]["data-shapes"]) == [RECT]
    assert not items["cat"].has_attr("data-shapes")
    assert items["dog"].select_one("input[data-toggle]") is not None


def test_plugins_add_actions_to_the_image_page_and_a_section_to_me(app_factory: Any) -> None:
    app = app_factory(plugins=("validate", "annotate"))
    image = donate(app, new_client(app), ["dog"], seed=72)
    page = app.get(f"/images/{image['id']}").html
    actions = {slot["data-slot-id"]: slot for slot in page.select(".slot-actions .slot-action")}
    assert actions["annotate-outline"].select_one("a")["href"] == f"/annotate/{image['id']}"
    assert actions["validate-check"].select_one("a")["href"] == "/validate?label=dog"
    me = app.get("/me").html
    section = me.select_one('[data-slot-id="validate-agreement"]')
    assert section.select_one("#validate-agreement")["data-api"] == "/api/v1/validate/agreement"
    assert section.select_one('script[type="module"]')["src"].endswith("agreement.js")
