"""Annotation size (issue 14, item 3): points capped per polygon and per annotation (settings), and a
revision stores only what changed, not every shape again."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import String, Text, func, select

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import RECT, annotate, donate, label_id  # noqa: E402

from imagemonkey.db.meta import Base  # noqa: E402
from imagemonkey.testing import auth, new_client  # noqa: E402

W, H = 640, 480


def polygon(points: int, offset: int = 0) -> dict[str, Any]:
    """A convex polygon of ``points`` points on a circle (always a valid, non-degenerate shape)."""
    import math

    cx, cy, r = 200 + offset % 200, 200, 150
    return {"type": "polygon", "points": [[round(cx + r * math.cos(2 * math.pi * k / points), 3),
                                           round(cy + r * math.sin(2 * math.pi * k / points), 3)]
                                          for k in range(points)]}


def setup(app_factory: Any, **settings: str) -> tuple[Any, str, str]:
    app = app_factory(plugins=("annotate",), **settings)
    token = new_client(app)
    return app, token, label_id(donate(app, token, ["dog"], seed=3, width=W, height=H), "dog")


def test_points_per_annotation_are_capped(app_factory: Any) -> None:
    app, token, dog = setup(app_factory, **{"annotate.max_points": "50"})
    error = annotate(app, token, dog, [polygon(30), polygon(30, 10)], status=422).json["error"]
    assert (error["code"], error["field"], error["max_points"]) == ("too_many_points", "shapes", 50)
    annotate(app, token, dog, [polygon(25), polygon(25, 10)])


def test_points_per_polygon_are_capped_by_a_setting(app_factory: Any) -> None:
    app, token, dog = setup(app_factory, **{"annotate.max_points_per_polygon": "10"})
    error = annotate(app, token, dog, [polygon(11)], status=422).json["error"]
    assert (error["code"], error["field"], error["shape"]) == ("invalid_shape", "points", 0)
    annotate(app, token, dog, [polygon(10)])


def test_the_default_cap_refuses_the_attack_size(app_factory: Any) -> None:
    app, token, dog = setup(app_factory)
    error = annotate(app, token, dog, [polygon(1000, k) for k in range(40)], status=422).json["error"]
    assert error["code"] == "too_many_points"


def annotate_text_bytes(app: Any) -> int:
    """Bytes of text in the annotate plugin's history tables (everything but the current annotation row)."""
    session = app.app.registry["dbsession_factory"]()
    total = 0
    try:
        for table in Base.metadata.sorted_tables:
            if not table.name.startswith("annotate_") or table.name == "annotate_annotation":
                continue
            for column in table.columns:
                if isinstance(column.type, (String, Text)):
                    total += session.scalar(select(func.coalesce(func.sum(func.length(column)), 0))) or 0
    finally:
        session.close()
    return total


def test_a_put_stores_only_the_changed_shape(app_factory: Any) -> None:
    app, token, dog = setup(app_factory)
    shapes = [polygon(100, k) for k in range(20)]
    annotation = annotate(app, token, dog, shapes).json["annotation"]
    first = annotate_text_bytes(app)
    moved = [*shapes[:-1], {**RECT, "x": 5}]
    for base in (1, 2):
        app.put_json(f"/api/v1/annotations/{annotation['id']}", {"shapes": moved if base == 1 else shapes,
                                                                 "base_revision": base}, headers=auth(token))
    growth = annotate_text_bytes(app) - first
    assert growth < first * 0.1, (first, growth)
    one = app.get(f"/api/v1/annotations/{annotation['id']}", {"revision": "1"}).json["annotation"]
    two = app.get(f"/api/v1/annotations/{annotation['id']}", {"revision": "2"}).json["annotation"]
    three = app.get(f"/api/v1/annotations/{annotation['id']}").json["annotation"]
    assert one["shapes"] == three["shapes"] and three["revision"] == 3
    assert two["shapes"][-1]["type"] == "rect" and two["shapes"][:-1] == one["shapes"][:-1]
    reverted = app.post_json(f"/api/v1/annotations/{annotation['id']}/revert", {"revision": 2},
                             headers=auth(token)).json["annotation"]
    assert reverted["shapes"] == two["shapes"] and reverted["revision"] == 4


def test_statistics_count_only_annotations_of_public_images(app_factory: Any) -> None:
    from imagemonkey.testing import new_moderator

    app = app_factory(plugins=("annotate",), **{"imagemonkey.moderation": "pre"})
    token = new_client(app)
    image = donate_pending(app, token)
    annotate(app, token, label_id(image, "dog"), [RECT])
    section = app.get("/api/v1/statistics").json["annotate"]
    assert section["annotated_labels"] == 0 and section["top_labels"] == [] and section["per_day"] == []
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "public"}, headers=auth(new_moderator(app)))
    section = app.get("/api/v1/statistics").json["annotate"]
    assert section["annotated_labels"] == 1 and section["top_labels"] == [{"label": "dog", "count": 1}]
    assert section["per_day"][0]["revisions"] == 1


def donate_pending(app: Any, token: str) -> dict[str, Any]:
    from annotate_support import picture

    return app.post("/api/v1/images", params=[("label", "dog")], upload_files=[("image", "p.jpg", picture(5))],
                    headers=auth(token), status=201).json["image"]
