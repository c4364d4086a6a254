"""Refine's step is a page slot of the validate page and the annotate editor (only where refine is enabled)."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from webtest import TestApp

from imagemonkey.testing import donate, new_client

pytest.importorskip("imagemonkey_validate")
pytest.importorskip("imagemonkey_annotate")


@pytest.mark.parametrize("plugins", [("validate", "annotate", "refine"), ("validate", "annotate")])
def test_the_step_is_in_the_validate_page_and_the_editor(app_factory: Callable[..., TestApp],
                                                          plugins: tuple[str, ...]) -> None:
    app = app_factory(plugins=plugins)
    image = donate(app, new_client(app), labels=("dog",)).json["image"]
    pages = [app.get("/validate"), app.get(f"/annotate/{image['id']}", {"label": "dog"})]
    for page in pages:
        step = page.html.select("#refine-step")
        assert len(step) == ("refine" in plugins)
        if step:
            assert step[0].has_attr("hidden") and step[0]["data-state"] == "idle"
            assert page.html.select_one("script[src*='refine/static/step.js']")["type"] == "module"
    assert 'id="refine-step"' not in app.get(f"/images/{image['id']}")  # the image page has no task to follow up
