"""``GET /api/v1/annotate/backlog``: why there is nothing to outline (labels waiting for validation)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import donate, label_id  # noqa: E402
from test_annotate_with_validate import verify  # noqa: E402

from imagemonkey.testing import new_client  # noqa: E402

pytest.importorskip("imagemonkey_validate")


def test_backlog_says_labels_wait_for_validation(app_factory: Any) -> None:
    app = app_factory(plugins=("validate", "annotate"))
    token = new_client(app)
    image = donate(app, token, ["dog", "cat"], seed=81)
    assert app.get("/api/v1/annotate/backlog").json == {"label": None, "validate_enabled": True, "ready": False,
                                                        "waiting_for_validation": True}
    verify(app, label_id(image, "dog"))
    assert app.get("/api/v1/annotate/backlog", {"label": "puppy"}).json == {
        "label": "dog", "validate_enabled": True, "ready": True, "waiting_for_validation": False}
    assert app.get("/api/v1/annotate/backlog", {"label": "cat"}).json["waiting_for_validation"] is True
    assert app.get("/api/v1/annotate/backlog", {"label": "zorblax"}, status=404).json["error"]["code"] == \
        "unknown_label"


def test_backlog_without_validate(app_factory: Any) -> None:
    app = app_factory(plugins=("annotate",))
    donate(app, new_client(app), ["dog"], seed=82)
    assert app.get("/api/v1/annotate/backlog").json == {"label": None, "validate_enabled": False, "ready": True,
                                                        "waiting_for_validation": False}
