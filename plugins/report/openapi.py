"""The report plugin's part of the OpenAPI document: every value the server takes, and only those."""
from __future__ import annotations

from imagemonkey.plugin import ID, TEXT, obj, op, parameter

from .queue import KINDS
from .reports import NOTE_MAX
from .settings import DECISIONS, REASONS

NOTE = {**TEXT, "maxLength": NOTE_MAX}
#: "other" needs a note with something in it besides spaces.
NOTE_GIVEN = {**NOTE, "not": {"pattern": "^\\s*$"}}
REPORT = {"oneOf": [
    obj(required=["reason"], reason={"type": "string", "enum": [r for r in REASONS if r != "other"]}, note=NOTE),
    obj(required=["reason", "note"], reason={"type": "string", "enum": ["other"]}, note=NOTE_GIVEN),
]}
DECISION = obj(required=["image_id", "decision"], image_id=ID, decision={"type": "string", "enum": list(DECISIONS)},
               reason={**TEXT, "maxLength": 500})
QUEUE_QUERY = [  # an empty value is no filter (kind, reason) or the default order, as a form sends it
    parameter("kind", schema={"type": "string", "enum": ["", *KINDS]}),
    parameter("reason", schema={"type": "string", "enum": ["", *REASONS]}),
    parameter("order", schema={"type": "string", "enum": ["", "oldest", "most_reported"]}),
    parameter("limit", schema={"type": "integer", "minimum": 1, "maximum": 100}),
    "cursor",
]
PATHS = {
    "/api/v1/images/{id}/reports": {"post": op(
        "Report an image (one open report per contributor and image; a second one updates it)", auth=True,
        params=["id"], ok="201", body=REPORT,
        responses={"200": {"description": "The caller's open report on this image, updated",
                           "content": {"application/json": {"schema": {"type": "object"}}}}})},
    "/api/v1/moderation/queue": {"get": op(
        "The moderation queue: pending donations, screening hits and reported images", role="moderator",
        query=QUEUE_QUERY)},
    "/api/v1/moderation/decisions": {"post": op(
        "Decide on an image: keep, remove, or remove and revert its donor", role="moderator", ok="201",
        body=DECISION)},
    "/api/v1/moderation/decisions/{id}/revert": {"post": op("Undo a decision", role="moderator", params=["id"])},
}
