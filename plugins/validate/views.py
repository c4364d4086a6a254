"""Validate's API views (votes, the grid) and pages (the question game, the grid)."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from imagemonkey.plugin import invalid, json_body, parse_id, require_contributor

from . import batch, tasks
from .batch import MAX_BATCH, image_label_subject, read_vote
from .casting import cast


@view_config(route_name="validate.votes", request_method="POST", renderer="json")
def vote_on_image_label(request: Any) -> dict[str, Any]:
    """Vote on one image label; answers the vote and the label's last settled state (settlement pending)."""
    require_contributor(request)
    image_label_id = parse_id(request.matchdict["id"], "image label")
    vote = read_vote(json_body(request))
    return {"id": str(image_label_id), **cast(request, image_label_subject(request, image_label_id), vote,
                                              "image label")}


@view_config(route_name="validate.batch", request_method="POST", renderer="json")
def vote_batch(request: Any) -> dict[str, Any]:
    """Many votes at once (at most 100): a result per item, in order; a bad item does not stop the others."""
    require_contributor(request)
    items = json_body(request).get("votes")
    if not isinstance(items, list) or not items:
        raise invalid("votes must be a non-empty list.", field="votes")
    if len(items) > MAX_BATCH:
        raise invalid(f"At most {MAX_BATCH} votes at once.", field="votes", code="too_many_votes")
    return {"results": batch.vote_batch(request, items)}


@view_config(route_name="validate.grid", request_method="GET", renderer="json")
def grid(request: Any) -> dict[str, Any]:
    """Up to ``n`` images of one label to judge at once."""
    require_contributor(request)
    return tasks.grid(request)


@view_config(route_name="validate.page", renderer="imagemonkey_validate:templates/validate.jinja2")
def validate_page(request: Any) -> dict[str, Any]:
    """The question game."""
    return {"title": "Validate", "label": request.params.get("label", "")}


@view_config(route_name="validate.grid_page", renderer="imagemonkey_validate:templates/grid.jinja2")
def grid_page(request: Any) -> dict[str, Any]:
    """Nine pictures for one label: tick the ones that show it."""
    return {"title": "Validate in a grid", "label": request.params.get("label", "")}
