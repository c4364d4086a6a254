"""The annotate plugin's hook implementations (core's hooks, and validate's when it is enabled)."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import hookimpl, image_json, image_labels_json, render_fragment

from . import candidates, contribution_words, counters, query, recounts, revert, service, statistics
from .merge import merge_contributor
from .models import Annotation
from .openapi import PATHS
from .outline_shapes import current_shapes

TOP_LABELS = 50


@hookimpl
def imagemonkey_contribution_kinds() -> dict[str, str]:
    return contribution_words.KINDS


@hookimpl
def imagemonkey_describe_contributions(request: Any, documents: list[dict[str, Any]]) -> None:
    contribution_words.describe(request.dbsession, documents)


@hookimpl
def imagemonkey_task_kinds() -> list[str]:
    return ["annotate"]


@hookimpl
def imagemonkey_next_task(request: Any, kind: str, label: str | None) -> dict[str, Any] | None:
    if kind != "annotate":
        return None
    image_label = candidates.pick(request, label)
    if image_label is None:
        return {}
    return {"kind": "annotate", "image": image_json(request, image_label.image),
            "image_label": image_labels_json(request, [image_label])[0],
            "editor_url": request.route_path("annotate.editor", image_id=image_label.image_id,
                                             _query={"label": image_label.label})}


@hookimpl
def imagemonkey_image_labeled(request: Any, image: Any, image_labels: list[Any]) -> None:
    candidates.add(request, image_labels)


@hookimpl
def imagemonkey_statistics(request: Any) -> dict[str, Any]:
    return {"annotate": statistics.section(request)}


@hookimpl
def imagemonkey_image_labels_removed(request: Any, image_labels: list[Any]) -> None:
    counters.image_labels_removed(request.dbsession, [image_label.id for image_label in image_labels])


@hookimpl
def imagemonkey_statistics_counters() -> list[Any]:
    return recounts.recounts()


@hookimpl
def imagemonkey_extension_actions(request: Any) -> list[dict[str, Any]]:
    """Offered by the extension after a donation ("donated" context): open the editor on the new image."""
    return [{"id": "annotate", "kind": "task", "title": "Outline it now", "contexts": ["donated"],
             "url": "/annotate/{image_id}"}]


@hookimpl
def imagemonkey_navigation(request: Any) -> list[dict[str, Any]]:
    return [{"title": "Annotate", "href": request.route_path("annotate.start"),
             "description": "Outline where things are: pick a label and draw rectangles, ellipses and polygons."}]


@hookimpl
def imagemonkey_revert_contributor(request: Any, contributor: Any) -> dict[str, int]:
    return {"annotate.revision": revert.revert_revisions(request, contributor),
            "annotate.not_annotatable": revert.revert_marks(request, contributor)}


@hookimpl
def imagemonkey_openapi_paths() -> dict[str, Any]:
    return PATHS


def describe_annotations(request: Any, subject_ids: list[int]) -> dict[int, dict[str, Any]]:
    """For validate: what each annotation is, so a voter can judge it."""
    rows = request.dbsession.scalars(select(Annotation).where(Annotation.id.in_(list(subject_ids))))
    return {row.id: {"image_id": row.image_id, "label": row.label, "annotation": service.to_json(row)}
            for row in rows}


@hookimpl(optionalhook=True)
def validate_subject_kinds() -> list[dict[str, Any]]:
    return [{"kind": "annotation", "question": "Is this outline of {article} {label} right?",
             "describe": describe_annotations}]


@hookimpl(optionalhook=True)
def validate_state_changed(request: Any, kind: str, subject_id: int, image_id: int, label: str, old_state: str,
                           new_state: str, confidence: float) -> None:
    if kind == "image_label":
        candidates.set_eligible(request, int(subject_id), new_state == "verified")


@hookimpl
def imagemonkey_exporters() -> list[Any]:
    from .exporters import all_exporters

    return all_exporters()


@hookimpl
def imagemonkey_query_prefixes() -> list[Any]:
    return query.prefixes()


@hookimpl
def imagemonkey_query_count_fields() -> list[Any]:
    return query.count_fields()


@hookimpl
def imagemonkey_serialize_image_labels(request: Any, image_labels: list[Any], documents: list[dict[str, Any]]) -> None:
    """Each outlined image label gets ``"outline": {"annotation_id", "revision", "shapes"}`` (one query per batch)."""
    ids = [image_label.id for image_label in image_labels]
    found = {row.image_label_id: row for row in request.dbsession.execute(
        select(Annotation.image_label_id, Annotation.id, Annotation.revision, Annotation.shapes)
        .where(Annotation.image_label_id.in_(ids), Annotation.shape_count > 0))}
    for image_label, document in zip(image_labels, documents, strict=True):
        row = found.get(image_label.id)
        if row is not None:
            document["outline"] = {"annotation_id": str(row.id), "revision": row.revision,
                                   "shapes": json.loads(row.shapes)}


@hookimpl
def imagemonkey_page_slots(request: Any, page: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The image page: a button into the editor for this picture."""
    if page != "image" or not context["image"]["labels"]:
        return None
    return [{"id": "annotate-outline", "slot": "action", "html": render_fragment(
        request, "imagemonkey_annotate:templates/image_action.jinja2", {"image": context["image"]})}]


@hookimpl
def imagemonkey_image_status_changed(request: Any, image: Any, old_status: str, new_status: str,
                                     reason: str | None) -> None:
    """Statistics count outlines of public images only: they follow the image in and out of public."""
    if (old_status == "public") != (new_status == "public"):
        counters.image_visibility_changed(request.dbsession, image.id, 1 if new_status == "public" else -1)


@hookimpl
def imagemonkey_contributor_merged(request: Any, source_id: int, target_id: int) -> dict[str, int]:
    """A claim on log-in: the anonymous contributor's outlines, marks and skips become the account's."""
    return merge_contributor(request, source_id, target_id)


@hookimpl
def imagemonkey_outline_shapes(request: Any, image_label_ids: list[int], shape_ids: list[int]) -> list[dict[str, Any]]:
    """The shapes of current outlines, with the ids other plugins (refine) use for one outlined object."""
    return current_shapes(request.dbsession, image_label_ids, shape_ids)
