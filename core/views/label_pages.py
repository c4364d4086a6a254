"""The ``/labels`` pages: the catalog as a graph (parents, kinds, parts, scene labels), counts and examples."""
from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from ..services.label_pages import label_page, labels_page


@view_config(route_name="labels_page", renderer="imagemonkey:templates/labels.jinja2")
def labels(request: Any) -> dict[str, Any]:
    """Every catalog label, a page at a time (``?after=NAME``), with its links, count and a few pictures."""
    after = request.params.get("after") or None
    return {"title": "Labels", **labels_page(request, after[:200] if after else None)}


@view_config(route_name="label_page", renderer="imagemonkey:templates/label.jinja2")
def label(request: Any) -> Any:
    """One label (an alias or a plural redirects to its name); an unknown name is the 404 page."""
    raw = request.matchdict["name"]
    name = request.registry["catalog"].resolve_term(raw[:200])
    if name is None:
        raise HTTPNotFound()
    if name != raw:
        return HTTPFound(location=request.route_path("label_page", name=name))
    return {"title": f"Label: {name}", "label": label_page(request, name)}
