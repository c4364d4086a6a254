"""The core hooks refine implements: its task kind, settled values in image-label JSON, in exports and in the query
language, its OpenAPI paths, its contribution kind, and undoing a reverted contributor's answers."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, exists, select

from imagemonkey.plugin import TEXT, ImageLabel, hookimpl, obj, op, public_route_url, render_fragment, write

from . import tasks
from .answers import settled_values, shape_values
from .merge import merge_contributor
from .models import NAME_MAX, Answer, Settled
from .settlement import resettle


@hookimpl
def imagemonkey_task_kinds() -> list[str]:
    """Refine serves ``refine`` tasks: one property of one image label."""
    return ["refine"]


@hookimpl
def imagemonkey_next_task(request: Any, kind: str, label: str | None) -> dict[str, Any] | None:
    """The next unsettled, unanswered property of an image label (``{}`` when none is left)."""
    return tasks.next_task(request, label) if kind == "refine" else None


@hookimpl
def imagemonkey_serialize_image_labels(request: Any, image_labels: list[Any], documents: list[dict[str, Any]]) -> None:
    """Each image label's settled values as ``"properties": {"color": "brown"}`` (one query per batch)."""
    found = settled_values(request, [image_label.id for image_label in image_labels])
    for image_label, document in zip(image_labels, documents, strict=True):
        document["properties"] = found.get(image_label.id, {})


@hookimpl
def imagemonkey_export_attributes(request: Any, image_label_ids: list[int]) -> dict[int, dict[str, str]]:
    """Exports carry each image label's settled values (``{"color": "brown"}``); unsettled ones are left out."""
    return settled_values(request, image_label_ids)


@hookimpl
def imagemonkey_export_shape_attributes(request: Any, shape_ids: list[int]) -> dict[int, dict[str, str]]:
    """Exports carry each outlined object's own settled values (laid over its image label's)."""
    return shape_values(request, shape_ids)


@hookimpl
def imagemonkey_query_property_clause(label: str, property: str, value: str, image_id: Any) -> Any:
    """``dog[color=brown]``: an EXISTS on ``refine_settled (label, property, value, image_id)``."""
    return exists(select(Settled.id).where(Settled.label == label, Settled.property == property,
                                           Settled.value == value, Settled.image_id == image_id))


@hookimpl
def imagemonkey_openapi_paths() -> dict[str, Any]:
    """``/api/v1/image-labels/{id}/properties`` and ``/api/v1/shapes/{id}/properties`` (GET and POST)."""
    name = {**TEXT, "minLength": 1, "maxLength": NAME_MAX}
    body = obj(required=["property", "value"], property=name, value=name)
    return {"/api/v1/image-labels/{id}/properties": {
        "get": op("An image label's properties: answer counts per value, your answer and the settled value",
                  params=["id"]),
        "post": op("Answer one property of an image label (a second answer replaces the first); answers the "
                   "summary with the settled values", auth=True, params=["id"], body=body),
    }, "/api/v1/shapes/{id}/properties": {
        "get": op("One outlined object's properties (a shape of a current outline): answer counts per value, your "
                  "answer and the settled value", params=["id"]),
        "post": op("Answer one property of one outlined object (a second answer replaces the first); answers the "
                   "summary with the settled values", auth=True, params=["id"], body=body),
    }}


STEP_PAGES = ("validate", "annotate")


@hookimpl
def imagemonkey_page_slots(request: Any, page: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The image page: a panel with the settled properties of its labels (from the image-label JSON). The
    validate page and the editor: the refine step, which follows up a "yes" or a saved outline with one open
    property of that image label (when the catalog declares any properties)."""
    if page in STEP_PAGES and tasks.property_pairs(request, None):
        html = render_fragment(request, "imagemonkey_refine:templates/step.jinja2", {})
        return [{"id": "refine-step", "slot": "panel", "html": html}]
    if page != "image":
        return None
    items = [label for label in context["image"].get("labels", []) if label.get("properties")]
    if not items:
        return None
    html = render_fragment(request, "imagemonkey_refine:templates/image_panel.jinja2", {"items": items})
    return [{"id": "refine-panel", "slot": "panel", "html": html}]


@hookimpl
def imagemonkey_navigation(request: Any) -> list[dict[str, Any]]:
    """The ``/refine`` page in the site's navigation."""
    return [{"title": "Refine", "href": request.route_path("refine.page"),
             "description": "What colour is this dog? One property at a time."}]


@hookimpl
def imagemonkey_extension_actions(request: Any) -> list[dict[str, Any]]:
    """A question card for the extension's popup: each refine task brings its own choices (number keys), answered
    with ``{"property", "value"}`` at the image label's or the outlined object's properties."""
    return [{"id": "refine", "kind": "task", "title": "Refine", "contexts": ["popup"],
             "url": public_route_url(request, "refine.page"),
             "task": {"kind": "refine", "answer": {
                 "path": "/api/v1/image-labels/{image_label_id}/properties",
                 "shape_path": "/api/v1/shapes/{shape_id}/properties",
                 "field": "value", "from_task": ["property"], "choices": "task"}}}]


@hookimpl
def imagemonkey_contribution_kinds() -> dict[str, str]:
    """How a count of refine answers reads for people."""
    return {"refine.answer": "property answers"}


@hookimpl
def imagemonkey_revert_contributor(request: Any, contributor: Any) -> dict[str, int]:
    """Remove the contributor's answers and settle each property they had answered again (idempotent)."""
    touched = request.dbsession.execute(
        select(Answer.image_label_id, Answer.shape_id, Answer.image_id, Answer.property, ImageLabel.label).distinct()
        .join(ImageLabel, ImageLabel.id == Answer.image_label_id).where(Answer.contributor_id == contributor.id)).all()
    removed = write(request, delete(Answer).where(Answer.contributor_id == contributor.id)).rowcount
    for row in touched:
        resettle(request, row.image_label_id, row.image_id, row.label, row.property, row.shape_id)
    return {"refine.answer": removed}


@hookimpl
def imagemonkey_contributor_merged(request: Any, source_id: int, target_id: int) -> dict[str, int]:
    """A claim on log-in: the anonymous contributor's answers become the account's."""
    return merge_contributor(request, source_id, target_id)
