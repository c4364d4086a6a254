"""A batch of votes (``POST /api/v1/votes``): its rows are locked in one fixed order, whatever order it came in.

Each vote marks its subject pending (``UPDATE ... RETURNING``: a row lock until commit) and then
writes the vote, the contribution log and its counters. Taken in the order the client sent them,
two batches naming the same subjects in opposite orders would each hold a subject the other waits
for, and the counters written between two subjects would join the cycle: on PostgreSQL one of the
two dies with a deadlock (issue 21, item 6). So a batch first reads every item (bad ones answer
their error and touch nothing), then takes all its subjects in key order, then casts its votes in
that order; the answer keeps the order the items came in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from imagemonkey.plugin import ApiError, ImageLabel, can_see, invalid, not_found, parse_id

from .casting import SubjectRow, cast, take_subject
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


@dataclass
class Item:
    """One batch item as read: its subject's key, the vote, and whether it named an image label."""

    index: int
    kind: str
    subject_id: int
    vote: str
    by_image_label: bool
    subject: SubjectRow | None = None

    @property
    def key(self) -> tuple[str, int]:
        """The order in which a batch locks its subjects."""
        return self.kind, self.subject_id


def read_item(index: int, raw: Any) -> Item:
    """One item of the body, checked before anything is written (an ApiError for a bad one)."""
    if not isinstance(raw, dict):
        raise invalid("Each vote must be an object.", field="votes")
    vote = read_vote(raw)
    if "image_label_id" in raw:
        return Item(index, IMAGE_LABEL, read_id(raw["image_label_id"], "image_label_id"), vote, True)
    kind = raw.get("kind")
    if not isinstance(kind, str) or "subject_id" not in raw:
        raise invalid("Each vote needs image_label_id, or kind and subject_id.", field="votes")
    return Item(index, kind, read_id(raw["subject_id"], "subject_id"), vote, False)


def _failure(exc: ApiError) -> dict[str, Any]:
    return {"ok": False, "status": exc.status, **exc.body()}


def _take(request: Any, item: Item) -> None:
    item.subject = (image_label_subject(request, item.subject_id) if item.kind == IMAGE_LABEL
                    else take_subject(request.dbsession, item.kind, item.subject_id))


def _cast(request: Any, item: Item) -> dict[str, Any]:
    if item.by_image_label:
        answer = cast(request, item.subject, item.vote, "image label")
        return {"ok": True, "image_label": {"id": str(item.subject_id), **answer}}
    return {"ok": True, **cast(request, item.subject, item.vote)}


def vote_batch(request: Any, raw_items: list[Any]) -> list[dict[str, Any]]:
    """Cast the votes of ``raw_items``; a result per item, in their order (a bad item does not stop the others)."""
    results: dict[int, dict[str, Any]] = {}
    items: list[Item] = []
    for index, raw in enumerate(raw_items):
        try:
            items.append(read_item(index, raw))
        except ApiError as exc:
            results[index] = _failure(exc)
    items.sort(key=lambda item: item.key)
    for step in (_take, _cast):
        for item in items:
            if item.index in results:  # refused at an earlier step
                continue
            try:
                answer = step(request, item)
            except ApiError as exc:
                results[item.index] = _failure(exc)
            else:
                if answer is not None:
                    results[item.index] = answer
    return [results[index] for index in range(len(raw_items))]
