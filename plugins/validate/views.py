"""Validate's API views (votes, the grid) and pages (the question game, the grid)."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from imagemonkey.plugin import (
    ApiError,
    ImageLabel,
    can_see,
    image_labels_json,
    invalid,
    json_body,
    not_found,
    parse_id,
    require_contributor,
)

from . import tasks
from .consensus import VOTES
from .models import Subject
from .subjects import IMAGE_LABEL, get_subject, new_subject
from .voting import cast

MAX_BATCH = 100


def read_vote(item: dict[str, Any], field: str = "vote") -> str:
    """The ``vote`` of a body or batch item: yes, no or unsure (422 otherwise)."""
    vote = item.get("vote")
    if vote not in VOTES:
        raise invalid("vote must be one of yes, no, unsure.", field=field, code="invalid_vote")
    return vote


def read_id(raw: Any, what: str) -> int:
    """An id given in a JSON body (a string of digits or an integer); anything else is unknown (404)."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise invalid(f"{what} must be an id.", field=what)
    return parse_id(str(raw), what.replace("_", " "))


IMAGE_LABEL_WITH_IMAGE = (select(ImageLabel).options(joinedload(ImageLabel.image))
                          .where(ImageLabel.id == bindparam("id")))


def image_label_subject(request: Any, image_label_id: int) -> tuple[ImageLabel, Subject]:
    """A visible image label and its subject row, locked (created for labels older than the plugin); 404 otherwise."""
    image_label = request.dbsession.scalar(IMAGE_LABEL_WITH_IMAGE, {"id": image_label_id})
    if image_label is None or not can_see(request.contributor, image_label.image):
        raise not_found("image label")
    subject = get_subject(request.dbsession, IMAGE_LABEL, image_label.id, lock=True)
    if subject is None:
        subject = new_subject(request, IMAGE_LABEL, image_label.id, image_label.image, image_label.label,
                              image_label.contributor_id, image_label_id=image_label.id)
        request.dbsession.flush()
    return image_label, subject


def subject_json(subject: Subject) -> dict[str, Any]:
    """What a vote on a subject of any kind answers."""
    return {"kind": subject.kind, "subject_id": str(subject.subject_id), "state": subject.state,
            "confidence": round(subject.confidence, 6),
            "votes": {"yes": subject.yes_count, "no": subject.no_count, "unsure": subject.unsure_count}}


@view_config(route_name="validate.votes", request_method="POST", renderer="json")
def vote_on_image_label(request: Any) -> dict[str, Any]:
    """Vote on one image label; answers the updated ImageLabel."""
    require_contributor(request)
    image_label_id = parse_id(request.matchdict["id"], "image label")
    vote = read_vote(json_body(request))
    image_label, subject = image_label_subject(request, image_label_id)
    cast(request, subject, vote)
    return image_labels_json(request, [image_label])[0]


def vote_item(request: Any, item: Any) -> dict[str, Any]:
    """Apply one batch item; raises ApiError for a bad one (before anything is written)."""
    if not isinstance(item, dict):
        raise invalid("Each vote must be an object.", field="votes")
    vote = read_vote(item)
    if "image_label_id" in item:
        image_label, subject = image_label_subject(request, read_id(item["image_label_id"], "image_label_id"))
        cast(request, subject, vote)
        return {"ok": True, "image_label": image_labels_json(request, [image_label])[0]}
    kind = item.get("kind")
    if not isinstance(kind, str) or "subject_id" not in item:
        raise invalid("Each vote needs image_label_id, or kind and subject_id.", field="votes")
    subject_id = read_id(item["subject_id"], "subject_id")
    if kind == IMAGE_LABEL:
        _, subject = image_label_subject(request, subject_id)
    else:
        subject = get_subject(request.dbsession, kind, subject_id, lock=True)
    subject = cast(request, subject, vote)
    return {"ok": True, **subject_json(subject)}


@view_config(route_name="validate.batch", request_method="POST", renderer="json")
def vote_batch(request: Any) -> dict[str, Any]:
    """Many votes at once (at most 100): a result per item, in order; a bad item does not stop the others."""
    require_contributor(request)
    items = json_body(request).get("votes")
    if not isinstance(items, list) or not items:
        raise invalid("votes must be a non-empty list.", field="votes")
    if len(items) > MAX_BATCH:
        raise invalid(f"At most {MAX_BATCH} votes at once.", field="votes", code="too_many_votes")
    results = []
    for item in items:
        try:
            results.append(vote_item(request, item))
        except ApiError as exc:
            results.append({"ok": False, "status": exc.status, **exc.body()})
    return {"results": results}


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
