"""Annotations and their revisions: create, revise (with a base-revision check), revert, read."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from imagemonkey.plugin import (
    ApiError,
    ImageLabel,
    can_see,
    catalog_label,
    conflict,
    isoformat,
    not_found,
    parse_id,
    record_contribution,
    utcnow,
)

from . import bridge, candidates
from .counters import count_outline, count_revision
from .history import revision_shapes, store_shapes
from .models import Annotation, Revision


def dump(shapes: list[dict[str, Any]]) -> str:
    """Shapes as stored JSON."""
    return json.dumps(shapes, separators=(",", ":"))


def to_json(annotation: Annotation, revision: Revision | None = None, dbsession: Any = None) -> dict[str, Any]:
    """The API form of an annotation, at its current revision or at ``revision`` (read through ``dbsession``)."""
    shown = revision or annotation
    shapes = revision_shapes(dbsession, revision) if revision is not None else json.loads(annotation.shapes)
    return {"id": str(annotation.id), "image_label_id": str(annotation.image_label_id),
            "image_id": str(annotation.image_id), "label": annotation.label,
            "revision": shown.revision, "latest_revision": annotation.revision,
            "shapes": shapes,
            "updated_at": isoformat(revision.created_at if revision else annotation.updated_at)}


def visible_image_label(request: Any, raw_id: str) -> ImageLabel:
    """The image label ``raw_id`` if its image is visible to the caller, else a 404."""
    image_label = request.dbsession.get(ImageLabel, parse_id(raw_id, "image label"))
    if image_label is None or not can_see(request.contributor, image_label.image):
        raise not_found("image label")
    return image_label


def visible_annotation(request: Any, raw_id: str) -> Annotation:
    """The annotation ``raw_id`` if its image is visible to the caller, else a 404."""
    annotation = request.dbsession.get(Annotation, parse_id(raw_id, "annotation"))
    if annotation is None:
        raise not_found("annotation")
    image_label = request.dbsession.get(ImageLabel, annotation.image_label_id)
    if not can_see(request.contributor, image_label.image):
        raise not_found("annotation")
    return annotation


def read_revision(request: Any, annotation: Annotation, number: int) -> Revision:
    """Revision ``number`` of ``annotation``, or a 404."""
    revision = request.dbsession.scalar(select(Revision).where(Revision.annotation_id == annotation.id,
                                                               Revision.revision == number))
    if revision is None:
        raise ApiError(404, "not_found", f"Annotation {annotation.id} has no revision {number}.")
    return revision


def _add_revision(request: Any, annotation: Annotation, shapes: list[dict[str, Any]], number: int) -> None:
    contributor = request.contributor
    shape_ids = store_shapes(request.dbsession, annotation.id, shapes)
    request.dbsession.add(Revision(annotation_id=annotation.id, revision=number, shape_ids=json.dumps(shape_ids),
                                   shape_count=len(shapes), contributor_id=contributor.id))
    record_contribution(request, "annotate.revision", annotation.id, label=annotation.label)
    count_revision(request.dbsession, annotation, len(shapes))
    candidates.refresh_done(request.dbsession, annotation.image_label_id)
    bridge.subject_changed(request, annotation, contributor.id)


def refuse_scene_label(request: Any, label: str) -> None:
    """422 ``scene_label`` when the catalog says ``label`` is a whole-picture label (nothing to outline)."""
    entry = catalog_label(request, label)
    if entry is not None and entry.scene:
        raise ApiError(422, "scene_label", f"{label!r} is a scene label: it describes the whole picture, so it has "
                       "no outline.", label=label)


def create(request: Any, image_label: ImageLabel, shapes: list[dict[str, Any]]) -> Annotation:
    """The first revision of the annotation of ``image_label``; 409 when it already has one, 422 ``scene_label``
    for a scene label."""
    refuse_scene_label(request, image_label.label)
    dbsession = request.dbsession
    existing = dbsession.scalar(select(Annotation.id).where(Annotation.image_label_id == image_label.id))
    if existing is not None:
        raise already_annotated(existing)
    now = utcnow()
    annotation = Annotation(image_label_id=image_label.id, image_id=image_label.image_id, label=image_label.label,
                            revision=1, last_revision=1, shapes=dump(shapes), shape_count=len(shapes),
                            contributor_id=request.contributor.id, created_at=now, updated_at=now)
    try:
        with dbsession.begin_nested():
            dbsession.add(annotation)
            dbsession.flush()
    except IntegrityError:
        existing = dbsession.scalar(select(Annotation.id).where(Annotation.image_label_id == image_label.id))
        raise already_annotated(existing) from None
    count_outline(dbsession, annotation, False, bool(shapes))
    _add_revision(request, annotation, shapes, 1)
    return annotation


def already_annotated(annotation_id: int | None) -> ApiError:
    """409: the image label has an annotation; change it with PUT."""
    return conflict("This image label already has an annotation; change it with PUT /api/v1/annotations/{id}.",
                    annotation_id=str(annotation_id))


def revise(request: Any, annotation: Annotation, shapes: list[dict[str, Any]], base_revision: int) -> Annotation:
    """A new revision with ``shapes``; 409 ``conflict`` when ``base_revision`` is not the current one, 422
    ``scene_label`` when the catalog has made the label a scene label since it was outlined."""
    refuse_scene_label(request, annotation.label)
    number = annotation.last_revision + 1
    had_shapes = annotation.shape_count > 0
    changed = request.dbsession.execute(
        update(Annotation).where(Annotation.id == annotation.id, Annotation.revision == base_revision,
                                 Annotation.last_revision == annotation.last_revision)
        .values(revision=number, last_revision=number, shapes=dump(shapes), shape_count=len(shapes),
                contributor_id=request.contributor.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        request.dbsession.refresh(annotation)
        raise conflict(f"Someone saved revision {annotation.revision} after revision {base_revision}; "
                       "load it and apply your change again.", revision=annotation.revision,
                       annotation_id=str(annotation.id))
    request.dbsession.refresh(annotation)
    count_outline(request.dbsession, annotation, had_shapes, bool(shapes))
    _add_revision(request, annotation, shapes, number)
    return annotation
