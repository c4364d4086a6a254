"""The plugins' query prefixes over HTTP: ``verified:`` (validate) and ``annotated:`` (annotate), with their plans."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import RECT, annotate, donate, label_id  # noqa: E402
from test_annotate_with_validate import verify  # noqa: E402

from imagemonkey.query import image_query  # noqa: E402
from imagemonkey.scripting import app_request  # noqa: E402
from imagemonkey.testing import auth, new_client  # noqa: E402

pytest.importorskip("imagemonkey_validate")


def found(app: Any, query: str) -> list[str]:
    return [image["id"] for image in app.get("/api/v1/images", {"q": query}).json["images"]]


def test_verified_and_annotated_prefixes(app_factory: Any) -> None:
    app = app_factory(plugins=("validate", "annotate"))
    token = new_client(app)
    first = donate(app, token, ["dog", "person"], seed=51)
    second = donate(app, token, ["dog", "cat"], seed=52)
    third = donate(app, token, ["person"], seed=53)
    verify(app, label_id(first, "dog"))
    annotate(app, token, label_id(first, "person"), [RECT])
    annotate(app, token, label_id(third, "person"), [RECT])
    assert found(app, "verified:dog") == [first["id"]]
    assert found(app, "unverified:hound") == [second["id"]]  # alias resolved before the plugin sees it
    assert found(app, "annotated:person") == [third["id"], first["id"]]
    assert found(app, "dog & ~cat & annotated:person") == [first["id"]]
    assert found(app, "~verified:dog & (cat | person)") == [third["id"], second["id"]]
    error = app.get("/api/v1/images", {"q": "dog & annotated:zorblax"}, status=400).json["error"]
    assert (error["code"], error["position"]) == ("unknown_label", 16)
    assert app.get("/api/v1/images", {"q": "dog & ~cat"}, headers=auth(token)).json["images"]


def test_prefix_plans_use_indexes(app_factory: Any) -> None:
    app = app_factory(plugins=("validate", "annotate"))
    registry = app.app.registry
    with app_request(registry) as request:
        statement, _ = image_query(registry, "dog & ~cat & annotated:person & verified:dog")
        bind = request.dbsession.get_bind()
        sql = statement.limit(50).compile(bind, compile_kwargs={"literal_binds": True})
        if bind.dialect.name == "sqlite":
            plan = "\n".join(str(row[-1]) for row in request.dbsession.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "SCAN" not in plan, plan
            assert "ix_annotate_annotation_image_id_id" in plan and "ix_validate_subject_image_id" in plan
        else:
            request.dbsession.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(row[0] for row in request.dbsession.execute(text(f"EXPLAIN {sql}")))
            assert "Seq Scan" not in plan, plan
            assert "annotate_annotation" in plan and "validate_subject" in plan
