"""The image hunt: ``GET /api/v1/me/hunt`` and the ``/hunt`` page."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from ..auth import require_contributor
from ..services import hunt as hunting


@view_config(route_name="api.me_hunt", request_method="GET", renderer="json")
def my_hunt(request: Any) -> dict[str, Any]:
    """The labels the dataset needs most (at most 20), then the caller's finds of labels that still need pictures
    (at most 20 more), each with the caller's progress."""
    contributor = require_contributor(request)
    items = hunting.hunt(request, contributor.id)
    return {"hunt": items, "verified": sum(item["status"] == "verified" for item in items), "total": len(items)}


@view_config(route_name="hunt", renderer="imagemonkey:templates/hunt.jinja2")
def hunt_page(request: Any) -> dict[str, Any]:
    """The hunt's labels (the page's script adds this browser's progress from the API)."""
    return {"title": "Image hunt", "description": "The labels the dataset needs most: donate a picture of each, and "
            "tick it off once others have verified the label on it.", "needed": hunting.needed_labels(request)}
