"""Validation tasks: one question (``/tasks/next?kind=validate``) or a grid of images for one label."""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select

from imagemonkey.plugin import (
    ApiError,
    Image,
    ImageLabel,
    ascii_int,
    bad_request,
    image_labels_json,
    images_json,
    resolve_label,
    task_image_clause,
    task_preference_clause,
)

from . import selection
from .models import Subject
from .subjects import IMAGE_LABEL, question, subject_kinds

MAX_SKIP = 50
MAX_GRID = 25
DEFAULT_GRID = 9
ATTEMPTS = 3


def read_skip(request: Any) -> set[tuple[str, int]]:
    """``?skip=image_label:12,annotation:5`` (or bare ids for image labels): subjects the client skipped."""
    raw = request.params.get("skip", "")
    keys: set[tuple[str, int]] = set()
    for part in filter(None, (p.strip() for p in raw.split(","))):
        kind, _, sid = part.rpartition(":")
        number = ascii_int(sid)
        if number is None:
            raise bad_request("skip must be a comma-separated list of kind:id entries.", code="invalid_skip")
        keys.add((kind or IMAGE_LABEL, number))
    if len(keys) > MAX_SKIP:
        raise bad_request(f"skip holds at most {MAX_SKIP} entries.", code="invalid_skip")
    return keys


def describe_image_labels(request: Any, subject_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The built-in kind's descriptions: ``{"image_id", "label", "image_label": ImageLabel}``."""
    image_labels = list(request.dbsession.scalars(select(ImageLabel).where(ImageLabel.id.in_(subject_ids))))
    docs = image_labels_json(request, image_labels)
    return {il.id: {"image_id": il.image_id, "label": il.label, "image_label": doc}
            for il, doc in zip(image_labels, docs, strict=True)}


def describe(request: Any, subjects: list[Subject]) -> list[tuple[Subject, dict[str, Any], dict[str, Any]]]:
    """``(subject, description, Image JSON)`` for the subjects that still exist, in order."""
    kinds = subject_kinds(request)
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for kind in {s.kind for s in subjects}:
        if kind in kinds:
            ids = [s.subject_id for s in subjects if s.kind == kind]
            found.update(((kind, sid), doc) for sid, doc in kinds[kind]["describe"](request, ids).items())
    alive = [s for s in subjects if (s.kind, s.subject_id) in found]
    images = {image.id: image for image in request.dbsession.scalars(
        select(Image).where(Image.id.in_({found[(s.kind, s.subject_id)]["image_id"] for s in alive})))}
    alive = [s for s in alive if found[(s.kind, s.subject_id)]["image_id"] in images]
    docs = dict(zip([s.id for s in alive], images_json(request, [images[found[(s.kind, s.subject_id)]["image_id"]]
                                                                 for s in alive]), strict=True))
    return [(s, found[(s.kind, s.subject_id)], docs[s.id]) for s in alive]


def pick_one(request: Any, label: str | None, skip: set[tuple[str, int]]) -> list[Subject]:
    """One subject: among the images a plugin prefers first (``task_preference_clause``), then in the usual order."""
    allowed = task_image_clause(request, Subject.image_id)
    preferred = task_preference_clause(request, "validate", Subject.image_id)
    for image_filter in ([and_(allowed, preferred)] if preferred is not None else []) + [allowed]:
        picked = selection.pick(request.dbsession, request.contributor, n=1, label=label, skip=skip,
                                image_filter=image_filter)
        if picked:
            return picked
    return []


def next_task(request: Any, label: str | None) -> dict[str, Any]:
    """The next question for the request's contributor, or ``{}`` when nothing is left."""
    skip = read_skip(request)
    for _ in range(ATTEMPTS):
        picked = pick_one(request, label, skip)
        if not picked:
            return {}
        described = describe(request, picked)
        if described:
            subject, description, image = described[0]
            extra = {k: v for k, v in description.items() if k not in ("image_id", "label")}
            return {"kind": "validate", "subject_kind": subject.kind, "subject_id": str(subject.subject_id),
                    "label": subject.label, "question": question(request, subject.kind, subject.label),
                    "image": image, **extra}
        skip.add((picked[0].kind, picked[0].subject_id))
    return {}


def read_grid_size(request: Any) -> int:
    """``?n=`` within 1..25 (default 9)."""
    raw = request.params.get("n")
    if raw is None:
        return DEFAULT_GRID
    n = ascii_int(raw)
    if n is None or not 1 <= n <= MAX_GRID:
        raise bad_request(f"n must be an integer from 1 to {MAX_GRID}.", code="invalid_n")
    return n


def grid(request: Any) -> dict[str, Any]:
    """Up to ``n`` image labels of one label for the contributor to tick: ``{"label", "question", "items"}``."""
    raw = request.params.get("label") or ""
    if not raw:
        raise bad_request("Give the label: ?label=dog", code="missing_label")
    label = resolve_label(request, raw)
    if label is None:
        raise ApiError(404, "unknown_label", f"{raw!r} is not in the label catalog.")
    n = read_grid_size(request)
    kinds = grid_kinds(request)
    picked = selection.pick(request.dbsession, request.contributor, n=n, label=label, kinds=kinds,
                            image_filter=and_(task_image_clause(request, Subject.image_id), Subject.kind.in_(kinds)),
                            skip=read_skip(request))
    return {"label": label, "question": question(request, IMAGE_LABEL, label),
            "items": [grid_item(request, subject, description, image)
                      for subject, description, image in describe(request, picked)]}


def grid_kinds(request: Any) -> list[str]:
    """The subject kinds the grid serves: image labels, and the kinds a plugin declares with ``"grid": True``."""
    return [IMAGE_LABEL] + sorted(kind for kind, spec in subject_kinds(request).items() if spec.get("grid"))


def grid_item(request: Any, subject: Subject, description: dict[str, Any], image: dict[str, Any]) -> dict[str, Any]:
    """One tile: the image, its subject's kind, id and question, and the kind's description (``image_label`` for
    image labels)."""
    extra = {k: v for k, v in description.items() if k not in ("image_id", "label")}
    return {"image": image, "kind": subject.kind, "subject_id": str(subject.subject_id),
            "question": question(request, subject.kind, subject.label), **extra}
