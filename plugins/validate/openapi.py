"""OpenAPI path items for validate's API routes."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import obj, op

STR = {"type": "string"}
VOTE = {"type": "string", "enum": ["yes", "no", "unsure"]}
BATCH_ITEM = obj(image_label_id=STR, kind=STR, subject_id=STR, vote=VOTE)

PATHS: dict[str, Any] = {
    "/api/v1/validate/agreement": {"get": op(
        "Your answers, how many are on settled subjects, and how many agreed with the result", auth=True)},
    "/api/v1/image-labels/{id}/votes": {"post": op(
        "Vote on an image label (a second vote replaces the first); answers the updated ImageLabel",
        auth=True, params=["id"], body=obj(vote=VOTE))},
    "/api/v1/votes": {"post": op(
        "Up to 100 votes at once: items {image_label_id, vote} or {kind, subject_id, vote}; a result per item",
        auth=True, body=obj(votes={"type": "array", "maxItems": 100, "items": BATCH_ITEM}))},
    "/api/v1/tasks/grid": {"get": op(
        "Up to n (1-25, default 9) images of one label to judge at once", auth=True, query=["label", "n", "skip"])},
}
