"""The annotate pages: choose a label to work on, and the editor."""
from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config


@view_config(route_name="annotate.start", renderer="imagemonkey_annotate:templates/start.jinja2")
def start(request: Any) -> dict[str, Any]:
    """Choose a label to outline ("I want to outline dogs") or take random tasks."""
    return {"title": "Annotate", "label": request.params.get("label", "")}


@view_config(route_name="annotate.editor", renderer="imagemonkey_annotate:templates/editor.jinja2")
def editor(request: Any) -> dict[str, Any]:
    """The editor for one image; the page loads the image and its annotations through the API."""
    image_id = request.matchdict["image_id"]
    if not image_id.isdigit() or len(image_id) > 18:
        raise HTTPNotFound()
    return {"title": "Annotate", "image_id": image_id, "label": request.params.get("label", "")}
