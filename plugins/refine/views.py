"""``/api/v1/image-labels/{id}/properties`` and ``/api/v1/shapes/{id}/properties``: answer a property of an image
label or of one outlined object, read the answers."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from imagemonkey.plugin import json_body, require_contributor

from .answers import answer, properties_of, read_answer, summary, visible_image_label
from .shapes import visible_shape


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


@view_config(route_name="refine.shape_properties", request_method="GET", renderer="json")
def read_shape_properties(request: Any) -> dict[str, Any]:
    """The same summary for one outlined object (a shape of a current outline; 404 otherwise)."""
    image_label, shape = visible_shape(request, request.matchdict["id"])
    return summary(request, image_label, int(shape["id"]))


@view_config(route_name="refine.shape_properties", request_method="POST", renderer="json")
def answer_shape_property(request: Any) -> dict[str, Any]:
    """``{"property", "value"}`` about one outlined object; settles like an image label's; answers its summary."""
    require_contributor(request)
    image_label, shape = visible_shape(request, request.matchdict["id"])
    prop, value = read_answer(json_body(request), properties_of(request, image_label.label), image_label.label)
    return answer(request, image_label, prop, value, int(shape["id"]))
