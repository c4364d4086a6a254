"""OpenAPI path items for validate's API routes."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import ID, TEXT, obj, op, parameter

VOTE = {"type": "string", "enum": ["yes", "no", "unsure"]}
BATCH_ITEM = {"oneOf": [obj(required=["image_label_id", "vote"], image_label_id=ID, vote=VOTE),
                        obj(required=["kind", "subject_id", "vote"], kind=TEXT, subject_id=ID, vote=VOTE)]}
SKIP = parameter("skip", schema={"type": "string", "pattern": "^([a-z_]*:?[0-9]{1,18})?(,[a-z_]*:?[0-9]{1,18}){0,49}$",
                                 "description": "Subjects the client skipped: kind:id,... (bare ids: image labels)"})

PATHS: dict[str, Any] = {
    "/api/v1/validate/agreement": {"get": op(
        "Your answers, how many are on settled subjects, and how many agreed with the result", auth=True)},
    "/api/v1/image-labels/{id}/votes": {"post": op(
        "Vote on an image label (a second vote replaces the first); answers the vote and the label's last settled "
        "state with settlement: pending (votes are counted right after the commit)",
        auth=True, params=["id"], body=obj(required=["vote"], vote=VOTE))},
    "/api/v1/votes": {"post": op(
        "Up to 100 votes at once: items {image_label_id, vote} or {kind, subject_id, vote}; a result per item",
        auth=True, body=obj(required=["votes"], votes={"type": "array", "minItems": 1, "maxItems": 100,
                                                      "items": BATCH_ITEM}))},
    "/api/v1/tasks/grid": {"get": op(
        "Up to n (1-25, default 9) images of one label to judge at once", auth=True,
        query=[parameter("label", required=True), parameter("n", schema={"type": "integer", "minimum": 1,
                                                                         "maximum": 25}), SKIP])},
}
