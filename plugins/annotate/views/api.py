"""The annotations API: create, read at any revision, revise, revert, list an image's annotations."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import select

from imagemonkey.plugin import (
    MAX_INT32,
    ImageLabel,
    encode_cursor,
    get_setting,
    get_visible_image,
    invalid,
    json_body,
    not_found,
    read_cursor,
    read_limit,
    require_contributor,
)

from .. import service
from ..history import revision_shapes
from ..models import Annotation
from ..shapes import check_shapes


def point_caps(request: Any) -> dict[str, int]:
    """``annotate.max_points_per_polygon`` and ``annotate.max_points`` (settings with defaults)."""
    return {"max_points_per_polygon": get_setting(request, "annotate.max_points_per_polygon"),
            "max_points": get_setting(request, "annotate.max_points")}


def _shapes_for(request: Any, body: dict[str, Any], image_label: ImageLabel) -> list[dict[str, Any]]:
    if "shapes" not in body:
        raise invalid("Send the shapes: {\"shapes\": [...]}.", field="shapes", code="invalid_shape")
    return check_shapes(body["shapes"], image_label.image.width, image_label.image.height, **point_caps(request))


def _int_field(body: dict[str, Any], field: str) -> int:
    value = body.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_INT32:
        raise invalid(f"{field} must be a revision number (an integer from 1 to {MAX_INT32}).", field=field)
    return value


@view_config(route_name="annotate.image_label_annotations", request_method="POST", renderer="json")
def create_annotation(request: Any) -> dict[str, Any]:
    """The first revision of an image label's annotation; 409 with ``annotation_id`` when it has one."""
    require_contributor(request)
    image_label = service.visible_image_label(request, request.matchdict["id"])
    shapes = _shapes_for(request, json_body(request), image_label)
    annotation = service.create(request, image_label, shapes)
    request.response.status_int = 201
    return {"annotation": service.to_json(annotation)}


@view_config(route_name="annotate.image_label_annotations", request_method="GET", renderer="json")
def image_label_annotation(request: Any) -> dict[str, Any]:
    """The annotation of one image label (404 when it has none yet)."""
    image_label = service.visible_image_label(request, request.matchdict["id"])
    annotation = request.dbsession.scalar(select(Annotation).where(Annotation.image_label_id == image_label.id))
    if annotation is None:
        raise not_found("annotation")
    return {"annotation": service.to_json(annotation)}


@view_config(route_name="annotate.annotation", request_method="GET", renderer="json")
def get_annotation(request: Any) -> dict[str, Any]:
    """An annotation at its current revision or at ``?revision=N``."""
    annotation = service.visible_annotation(request, request.matchdict["id"])
    raw = request.params.get("revision")
    if raw is None:
        return {"annotation": service.to_json(annotation)}
    if not raw.isdigit() or len(raw) > 9:
        raise invalid("revision must be a revision number.", field="revision")
    revision = service.read_revision(request, annotation, int(raw))
    return {"annotation": service.to_json(annotation, revision, request.dbsession)}


@view_config(route_name="annotate.annotation", request_method="PUT", renderer="json")
def put_annotation(request: Any) -> dict[str, Any]:
    """A new revision; 409 ``conflict`` when ``base_revision`` is not the latest."""
    require_contributor(request)
    annotation = service.visible_annotation(request, request.matchdict["id"])
    body = json_body(request)
    image_label = request.dbsession.get(ImageLabel, annotation.image_label_id)
    shapes = _shapes_for(request, body, image_label)
    base = _int_field(body, "base_revision")
    return {"annotation": service.to_json(service.revise(request, annotation, shapes, base))}


@view_config(route_name="annotate.annotation_revert", request_method="POST", renderer="json")
def revert_annotation(request: Any) -> dict[str, Any]:
    """A new revision equal to revision ``N`` (``base_revision`` optional, checked like PUT)."""
    require_contributor(request)
    annotation = service.visible_annotation(request, request.matchdict["id"])
    body = json_body(request)
    target = service.read_revision(request, annotation, _int_field(body, "revision"))
    base = _int_field(body, "base_revision") if "base_revision" in body else annotation.revision
    revised = service.revise(request, annotation, revision_shapes(request.dbsession, target), base)
    return {"annotation": service.to_json(revised)}


@view_config(route_name="annotate.image_annotations", request_method="GET", renderer="json")
def image_annotations(request: Any) -> dict[str, Any]:
    """Every annotation of an image, oldest first, paginated (``limit``, ``cursor``)."""
    image = get_visible_image(request, request.matchdict["id"])
    limit = read_limit(request)
    cursor = read_cursor(request)
    query = select(Annotation).where(Annotation.image_id == image.id)
    if cursor is not None:
        query = query.where(Annotation.id > cursor)
    rows = list(request.dbsession.scalars(query.order_by(Annotation.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return {"annotations": [service.to_json(row) for row in rows],
            "next_cursor": encode_cursor(rows[-1].id) if more else None}
