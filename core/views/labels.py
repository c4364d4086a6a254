"""The label catalog, suggestions, and labelling images."""
from __future__ import annotations

from typing import Any

from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import select

from ..auth import require_contributor, require_role
from ..errors import invalid, not_found
from ..models import ImageLabel, LabelSuggestion
from ..services import labeling, promotion
from ..services.pagination import encode_cursor, read_cursor, read_limit
from ..services.serialize import image_labels_json
from ..services.visibility import can_see, get_visible_image, parse_id
from . import json_body


@view_config(route_name="api.labels", request_method="GET")
def label_catalog(request: Any) -> Response:
    """The catalog, served from memory with an ``ETag`` (``If-None-Match`` → 304)."""
    catalog = request.registry["catalog"]
    etag = f'"{catalog.version}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60"}
    if etag in request.headers.get("If-None-Match", ""):
        return Response(status=304, headers=headers)
    response = Response(body=catalog.document, content_type="application/json", charset="utf-8")
    response.headers.update(headers)  # passing headers= to Response would drop the Content-Type
    return response


@view_config(route_name="api.label_suggestions", request_method="POST", renderer="json")
def suggest_label(request: Any) -> dict[str, Any]:
    """Suggest a name the catalog lacks; a name it has answers which label it is."""
    require_contributor(request)
    raw = json_body(request).get("name")
    if not isinstance(raw, str):
        raise invalid("name must be a string.", field="name")
    name = labeling.clean_names([raw])[0]
    known = request.registry["catalog"].resolve(name)
    if known is not None:
        return {"name": name, "in_catalog": True, "label": known}
    usage_count = labeling.suggest_name(request, name)
    request.response.status_int = 201
    return {"name": name, "in_catalog": False, "usage_count": usage_count}


@view_config(route_name="api.label_suggestions", request_method="GET", renderer="json")
def list_suggestions(request: Any) -> dict[str, Any]:
    """Suggestions, most used first, paginated."""
    limit = read_limit(request)
    cursor = read_cursor(request, items=2)
    query = select(LabelSuggestion).order_by(LabelSuggestion.usage_count.desc(), LabelSuggestion.id.desc())
    if cursor is not None:
        count, last_id = cursor
        query = query.where((LabelSuggestion.usage_count < count)
                            | ((LabelSuggestion.usage_count == count) & (LabelSuggestion.id < last_id)))
    rows = list(request.dbsession.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return {"suggestions": [{"name": r.name, "usage_count": r.usage_count} for r in rows],
            "next_cursor": encode_cursor([rows[-1].usage_count, rows[-1].id]) if more else None}


@view_config(route_name="api.image_labels", request_method="POST", renderer="json")
def label_image(request: Any) -> dict[str, Any]:
    """Add labels to an image the caller can see."""
    require_contributor(request)
    image = get_visible_image(request, request.matchdict["id"])
    names = labeling.clean_names(json_body(request).get("labels"))
    if not names:
        raise invalid("Give at least one label.", field="labels")
    created, suggested = labeling.add_labels(request, image, names)
    request.response.status_int = 201
    return {"labels": image_labels_json(request, created), "suggested": suggested}


@view_config(route_name="api.image_label", request_method="GET", renderer="json")
def get_image_label(request: Any) -> dict[str, Any]:
    """One image label, with what plugins add."""
    image_label = request.dbsession.get(ImageLabel, parse_id(request.matchdict["id"], "image label"))
    if image_label is None or not can_see(request.contributor, image_label.image):
        raise not_found("image label")
    return image_labels_json(request, [image_label])[0]


@view_config(route_name="api.label_suggestion_promote", request_method="POST", renderer="json")
def promote_suggestion(request: Any) -> dict[str, Any]:
    """A moderator promotes a suggested name into the catalog under a parent (``{"is_a": "animal"}``)."""
    require_role(request, "moderator")
    request.response.status_int = 201
    return promotion.promote(request, request.matchdict["name"], json_body(request))
