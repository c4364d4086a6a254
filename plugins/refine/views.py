"""``/api/v1/image-labels/{id}/properties``: answer a property of an image label, read the answers."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from imagemonkey.plugin import json_body, require_contributor

from .answers import answer, properties_of, read_answer, summary, visible_image_label


@view_config(route_name="refine.page", renderer="imagemonkey_refine:templates/refine.jinja2")
def refine_page(request: Any) -> dict[str, Any]:
    """The question page: one property of one labelled object at a time, number keys pick a value."""
    return {"title": "Refine", "label": request.params.get("label", "")}


@view_config(route_name="refine.properties", request_method="GET", renderer="json")
def read_properties(request: Any) -> dict[str, Any]:
    """Per declared property of the image label: answer counts per value, the caller's answer, the settled value."""
    return summary(request, visible_image_label(request, request.matchdict["id"]))


@view_config(route_name="refine.properties", request_method="POST", renderer="json")
def answer_property(request: Any) -> dict[str, Any]:
    """``{"property", "value"}``: the caller's answer (replacing their earlier one); answers the new summary."""
    require_contributor(request)
    image_label = visible_image_label(request, request.matchdict["id"])
    prop, value = read_answer(json_body(request), properties_of(request, image_label.label), image_label.label)
    return answer(request, image_label, prop, value)
