"""Validate's API views (votes, the grid) and pages (the question game, the grid)."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from imagemonkey.plugin import (
    ApiError,
    ImageLabel,
    can_see,
    invalid,
    json_body,
    not_found,
    parse_id,
    require_contributor,
)

from . import tasks
from .casting import cast, take_subject
from .consensus import VOTES
from .subjects import IMAGE_LABEL, new_subject

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


def image_label_subject(request: Any, image_label_id: int) -> Any:
    """The subject row of an image label, marked pending (created for labels older than the plugin); 404 when no such
    label (visibility is checked by :func:`.casting.cast`)."""
    subject = take_subject(request.dbsession, IMAGE_LABEL, image_label_id)
    return subject if subject is not None else _create_subject(request, image_label_id)


def _create_subject(request: Any, image_label_id: int) -> Any:
    dbsession = request.dbsession
    image_label = dbsession.scalar(IMAGE_LABEL_WITH_IMAGE, {"id": image_label_id})
    if image_label is None or not can_see(request.contributor, image_label.image):
        raise not_found("image label")
    try:
        with dbsession.begin_nested():  # two first votes at once: the second finds the first one's row
            new_subject(request, IMAGE_LABEL, image_label.id, image_label.image, image_label.label,
                        image_label.contributor_id, image_label_id=image_label.id)
    except IntegrityError:
        pass
    return take_subject(dbsession, IMAGE_LABEL, image_label_id)


@view_config(route_name="validate.votes", request_method="POST", renderer="json")
def vote_on_image_label(request: Any) -> dict[str, Any]:
    """Vote on one image label; answers the vote and the label's last settled state (settlement pending)."""
    require_contributor(request)
    image_label_id = parse_id(request.matchdict["id"], "image label")
    vote = read_vote(json_body(request))
    return {"id": str(image_label_id), **cast(request, image_label_subject(request, image_label_id), vote,
                                              "image label")}


def vote_item(request: Any, item: Any) -> dict[str, Any]:
    """Apply one batch item; raises ApiError for a bad one (before anything is written)."""
    if not isinstance(item, dict):
        raise invalid("Each vote must be an object.", field="votes")
    vote = read_vote(item)
    if "image_label_id" in item:
        image_label_id = read_id(item["image_label_id"], "image_label_id")
        answer = cast(request, image_label_subject(request, image_label_id), vote, "image label")
        return {"ok": True, "image_label": {"id": str(image_label_id), **answer}}
    kind = item.get("kind")
    if not isinstance(kind, str) or "subject_id" not in item:
        raise invalid("Each vote needs image_label_id, or kind and subject_id.", field="votes")
    subject_id = read_id(item["subject_id"], "subject_id")
    if kind == IMAGE_LABEL:
        subject = image_label_subject(request, subject_id)
    else:
        subject = take_subject(request.dbsession, kind, subject_id)
    return {"ok": True, **cast(request, subject, vote)}


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
