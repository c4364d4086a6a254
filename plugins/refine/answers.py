"""Answering a property of an image label (or of one outlined object of it) and reading answers and settled values."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import (
    Image,
    ImageLabel,
    can_see,
    catalog_label,
    invalid,
    not_found,
    parse_id,
    record_contribution,
)

from .models import Answer, Settled
from .settlement import resettle


def properties_of(request: Any, label: str) -> dict[str, tuple[str, ...]]:
    """The properties the catalog declares for ``label`` with their allowed values (empty when none)."""
    entry = catalog_label(request, label)
    return dict(entry.properties) if entry is not None else {}


def visible_image_label(request: Any, raw_id: str) -> ImageLabel:
    """The image label ``raw_id`` when the caller may see its image; 404 otherwise (like everywhere)."""
    found = request.dbsession.execute(select(ImageLabel, Image).join(Image, Image.id == ImageLabel.image_id)
                                      .where(ImageLabel.id == parse_id(raw_id, "image label"))).first()
    if found is None or not can_see(request.contributor, found[1]):
        raise not_found("image label")
    return found[0]


def read_answer(body: dict[str, Any], declared: dict[str, tuple[str, ...]], label: str) -> tuple[str, str]:
    """``(property, value)`` from the body, checked against the catalog (422 with a clear code otherwise)."""
    prop, value = body.get("property"), body.get("value")
    if not isinstance(prop, str) or not prop:
        raise invalid("property must be a property name, e.g. \"color\".", field="property")
    if not isinstance(value, str) or not value:
        raise invalid("value must be one of the property's values.", field="value")
    if not declared:
        raise invalid(f"The label {label!r} declares no properties.", field="property", code="no_properties")
    if prop not in declared:
        raise invalid(f"{label!r} has no property {prop!r}; it has {', '.join(sorted(declared))}.",
                      field="property", code="unknown_property")
    if value not in declared[prop]:
        raise invalid(f"{value!r} is not a value of {label!r}'s {prop!r}: one of {', '.join(declared[prop])}.",
                      field="value", code="unknown_value")
    return prop, value


def answer(request: Any, image_label: ImageLabel, prop: str, value: str, shape_id: int = 0) -> dict[str, Any]:
    """Store (or change) the caller's answer about the image label (or its shape ``shape_id``), settle again and
    answer the summary of that subject."""
    who = request.contributor
    # one answerer at a time per image label: the settled row is recomputed from all answers (PostgreSQL row lock)
    request.dbsession.execute(select(ImageLabel.id).where(ImageLabel.id == image_label.id).with_for_update())
    mine = request.dbsession.scalar(select(Answer).where(
        Answer.image_label_id == image_label.id, Answer.shape_id == shape_id, Answer.property == prop,
        Answer.contributor_id == who.id))
    if mine is None:
        mine = Answer(image_label_id=image_label.id, shape_id=shape_id, image_id=image_label.image_id, property=prop,
                      value=value, contributor_id=who.id)
        request.dbsession.add(mine)
        request.dbsession.flush()
        record_contribution(request, "refine.answer", mine.id)
    else:
        mine.value = value
        request.dbsession.flush()
    resettle(request, image_label.id, image_label.image_id, image_label.label, prop, shape_id)
    return summary(request, image_label, shape_id)


def settled_values(request: Any, image_label_ids: list[int]) -> dict[int, dict[str, str]]:
    """``{image_label_id: {property: value}}`` of the settled values of these image labels themselves (one query;
    their outlined objects' values are :func:`shape_values`)."""
    found: dict[int, dict[str, str]] = {}
    if image_label_ids:
        rows = request.dbsession.execute(select(Settled.image_label_id, Settled.property, Settled.value)
                                         .where(Settled.image_label_id.in_(image_label_ids), Settled.shape_id == 0))
        for row in rows:
            found.setdefault(row.image_label_id, {})[row.property] = row.value
    return found


def shape_values(request: Any, shape_ids: list[int]) -> dict[int, dict[str, str]]:
    """``{shape_id: {property: value}}`` of the settled values of these outlined objects (one indexed query)."""
    found: dict[int, dict[str, str]] = {}
    wanted = [shape_id for shape_id in shape_ids if shape_id]
    if wanted:
        rows = request.dbsession.execute(select(Settled.shape_id, Settled.property, Settled.value)
                                         .where(Settled.shape_id.in_(wanted)))
        for row in rows:
            found.setdefault(row.shape_id, {})[row.property] = row.value
    return found


def summary(request: Any, image_label: ImageLabel, shape_id: int = 0) -> dict[str, Any]:
    """Per declared property of the image label (or of its shape ``shape_id``): the answer count of each value,
    the caller's own answer and the settled value."""
    declared = properties_of(request, image_label.label)
    subject = (Answer.image_label_id == image_label.id, Answer.shape_id == shape_id)
    counts = request.dbsession.execute(select(Answer.property, Answer.value, func.count()).where(*subject)
                                       .group_by(Answer.property, Answer.value)).all()
    mine: dict[str, str] = {}
    if request.contributor is not None:
        mine = dict(request.dbsession.execute(select(Answer.property, Answer.value).where(
            *subject, Answer.contributor_id == request.contributor.id)).all())
    settled = dict(request.dbsession.execute(select(Settled.property, Settled.value).where(
        Settled.image_label_id == image_label.id, Settled.shape_id == shape_id)).all())
    properties = {}
    for prop, values in declared.items():
        tally = {value: 0 for value in values}
        tally.update({value: n for p, value, n in counts if p == prop and value in tally})
        properties[prop] = {"choices": list(values), "answers": tally, "settled": settled.get(prop),
                            "mine": mine.get(prop)}
    document = {"image_label": str(image_label.id), "label": image_label.label, "properties": properties}
    if shape_id:
        document["shape"] = str(shape_id)
    return document
