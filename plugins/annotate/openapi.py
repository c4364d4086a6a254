"""OpenAPI path items for the annotate plugin's routes."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import ID, obj, op

SHAPES = {"type": "array", "maxItems": 200, "items": {"type": "object", "description":
          "{type: rect, x, y, width, height} | {type: ellipse, cx, cy, rx, ry} | {type: polygon, points: [[x, y]]}, "
          "in pixels of the upright image; a shape outside the image is 422 invalid_shape"}}
REVISION = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
NUMBER = {"type": "number"}
POLYLINES = {"type": "array", "maxItems": 50, "items": {"type": "array", "minItems": 1, "items": {
    "type": "array", "minItems": 2, "maxItems": 2, "items": NUMBER}}}
SEGMENT = obj(required=["image_id", "box"],
              image_id=ID,
              box=obj(required=["x", "y", "width", "height"], x=NUMBER, y=NUMBER, width=NUMBER, height=NUMBER),
              scribbles=obj(inside=POLYLINES, outside=POLYLINES))

PATHS: dict[str, Any] = {
    "/api/v1/image-labels/{id}/annotations": {
        "get": op("The annotation of an image label", params=["id"]),
        "post": op("Annotate an image label (409 with annotation_id when it has one; 422 scene_label for a "
                   "scene label, which describes the whole picture)", auth=True, params=["id"],
                   body=obj(required=["shapes"], shapes=SHAPES), ok="201")},
    "/api/v1/annotations/{id}": {
        "get": op("An annotation, at its current revision or at ?revision=N", params=["id"], query=["revision"]),
        "put": op("A new revision (409 conflict when base_revision is not the latest)", auth=True, params=["id"],
                  body=obj(required=["shapes", "base_revision"], shapes=SHAPES, base_revision=REVISION))},
    "/api/v1/annotations/{id}/revert": {
        "post": op("A new revision equal to revision N", auth=True, params=["id"],
                   body=obj(required=["revision"], revision=REVISION, base_revision=REVISION))},
    "/api/v1/images/{id}/annotations": {
        "get": op("Every annotation of an image", params=["id"], query=["limit", "cursor"])},
    "/api/v1/image-labels/{id}/skip": {
        "post": op("Never offer this image label to me as an annotate task again", auth=True, params=["id"])},
    "/api/v1/annotate/backlog": {
        "get": op("Whether outline work is ready, or waits for validation (?label=)", query=["label"])},
    "/api/v1/image-labels/{id}/not-annotatable": {
        "post": op("This label makes no sense to outline (three marks retire it)", auth=True, params=["id"])},
    "/api/v1/annotate/segment": {
        "post": op("An outline proposal (GrabCut) for a box on an image, {polygon, found, ms}; nothing is saved "
                   "(422 empty_box, box_outside; 429 past annotate.segment_rate)", auth=True, body=SEGMENT)},
}
