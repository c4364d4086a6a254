"""OpenAPI path items for the playground's API routes."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import ID, TEXT, obj, op

PREDICT = op("The active model's labels for a picture: multipart field 'image', or JSON {image_id}; answers "
             "{model: {id, version}, predictions: [{label, probability}], ms}",
             body=obj(required=["image_id"], image_id=ID))
PREDICT["requestBody"]["content"]["multipart/form-data"] = {
    "schema": obj(required=["image"], image={"type": "string", "format": "binary"})}
PREDICT["responses"]["503"] = {"description": "Busy decoding other large images: retry after Retry-After seconds",
                               "content": {"application/json": {"schema": {"type": "object"}}}}

SIMILAR = op("The public pictures nearest to an uploaded picture (multipart field 'image', embedded on the fly, at "
             "most imagemonkey.max_upload_bytes): {images: [{image, distance}]}, nearest first (cosine distance)",
             query=["limit"], body=obj(required=["image"], image={"type": "string", "format": "binary"}),
             multipart=True)
SIMILAR["responses"]["503"] = PREDICT["responses"]["503"]

PATHS: dict[str, Any] = {
    "/api/v1/playground/models": {
        "get": op("Model versions, newest first: labels, snapshot, hyperparameters, metrics (mAP), status",
                  query=["limit", "cursor"]),
        "post": op("Queue a training (answers the queued version and its job id); 409 too_few_labels when fewer "
                   "than two labels have enough eligible images, 409 training_busy while one is queued or running",
                   role="moderator", ok="202"),
    },
    "/api/v1/playground/models/{id}/activate": {"post": op(
        "Moderators: make a ready version active; pinned (no automatic activation) unless pin is false",
        role="moderator", params=["id"], body=obj(pin={"type": "boolean"}))},
    "/api/v1/playground/predictions": {"post": PREDICT},
    "/api/v1/playground/similar": {"post": SIMILAR},
    "/api/v1/images/{id}/similar": {"get": op(
        "The public pictures nearest to image id by the playground's embeddings: {images: [{image, distance}]}, "
        "nearest first; 409 not_embedded until the playground has embedded it (every few minutes)",
        params=["id"], query=["limit"])},
    "/api/v1/playground/duplicates": {"get": op(
        "Moderators: open clusters of near-duplicate pictures (by the playground's embeddings) with at least two "
        "public pictures, oldest first: {clusters: [{id, state, created_at, images: [{image, distance}]}], "
        "next_cursor}", role="moderator", query=["limit", "cursor"])},
    "/api/v1/playground/duplicates/{id}/decision": {"post": op(
        "Moderators: decide an open cluster: merge (keep_image_id is kept and gets the others' labels; the others "
        "are hidden) or keep (they are different; never paired again); 409 when decided already",
        role="moderator", params=["id"], body=obj(required=["decision"], decision={
            "type": "string", "enum": ["merge", "keep"]}, keep_image_id=ID, reason={**TEXT, "maxLength": 500}))},
}
