"""The report plugin's part of the OpenAPI document."""
from __future__ import annotations

from imagemonkey.plugin import obj, op

from .settings import DECISIONS, REASONS

STR = {"type": "string"}
PATHS = {
    "/api/v1/images/{id}/reports": {"post": op(
        "Report an image (one open report per contributor and image; a second one updates it)", auth=True,
        params=["id"], ok="201", body=obj(reason={"type": "string", "enum": list(REASONS)}, note=STR))},
    "/api/v1/moderation/queue": {"get": op(
        "The moderation queue: pending donations, screening hits and reported images", role="moderator",
        query=["kind", "reason", "order", "limit", "cursor"])},
    "/api/v1/moderation/decisions": {"post": op(
        "Decide on an image: keep, remove, or remove and revert its donor", role="moderator", ok="201",
        body=obj(image_id=STR, decision={"type": "string", "enum": list(DECISIONS)}, reason=STR))},
    "/api/v1/moderation/decisions/{id}/revert": {"post": op("Undo a decision", role="moderator", params=["id"])},
}
