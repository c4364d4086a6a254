"""The playground's implementations of core's hooks."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import chart, hookimpl, public_route_url, render_fragment

from .cli import COMMANDS
from .data import verified_only
from .duplicate_review import KIND as DUPLICATES_DECISION
from .duplicates import DUPLICATE_JOBS
from .jobs import JOBS
from .models import Embedding, ModelVersion, SharedIndex
from .openapi import PATHS
from .similar_jobs import SIMILAR_JOBS, similar_prefix
from .spread import SPREAD_JOBS
from .uncertainty import imagemonkey_task_preference  # noqa: F401  (core's hook, in its own module)
from .validate_hooks import validate_state_changed, validate_subject_kinds  # noqa: F401  (validate's hooks)

HISTORY = 50


def accuracy_history(request: Any) -> list[dict[str, Any]]:
    """mAP against the verified labels trained on, for the last ``HISTORY`` trained versions, oldest first."""
    rows = request.dbsession.execute(
        select(ModelVersion.version, ModelVersion.map, ModelVersion.snapshot, ModelVersion.status)
        .where(ModelVersion.status.in_(("ready", "active"))).order_by(ModelVersion.id.desc()).limit(HISTORY)).all()
    return [{"version": version, "map": value, "image_labels": snapshot.get("image_labels"),
             "images": snapshot.get("images"), "active": status == "active"}
            for version, value, snapshot, status in reversed(rows)]


def map_chart(request: Any, history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The statistics page's chart of ``history``: each version's validation mAP against the (verified) image labels
    it learnt from; no chart before the first trained version."""
    points = [point for point in history if point["map"] is not None and point["image_labels"] is not None]
    if not points:
        return []
    learnt = "Verified image labels learnt" if verified_only(request) else "Image labels learnt"
    return [chart("playground-map", "Model versions: validation mAP against the labels learnt", "xy",
                  [point["image_labels"] for point in points], {"mAP": [round(point["map"], 4) for point in points]},
                  x_title=learnt, y_title="validation mAP")]


@hookimpl
def imagemonkey_cli_commands() -> list[Any]:
    return COMMANDS


@hookimpl
def imagemonkey_jobs() -> list[Any]:
    return JOBS + SIMILAR_JOBS + SPREAD_JOBS + DUPLICATE_JOBS


@hookimpl
def imagemonkey_query_prefixes(registry: Any) -> list[Any]:
    return [similar_prefix(registry)]


@hookimpl
def imagemonkey_statistics(request: Any) -> dict[str, Any]:
    history = accuracy_history(request)
    return {"playground": {"history": history, "charts": map_chart(request, history)}}


@hookimpl
def imagemonkey_navigation(request: Any) -> list[dict[str, Any]]:
    return [{"title": "Playground", "href": request.route_path("playground.page"),
             "description": "Show the model a picture and see what it has learnt from the dataset."}]


@hookimpl
def imagemonkey_extension_actions(request: Any) -> list[dict[str, Any]]:
    """On any picture, "What does ImageMonkey see?": the extension posts the picture to the predictions API and
    shows the answer next to it (kind ``predict``), and "Find similar in ImageMonkey" (kind ``similar``), which
    opens a page of its look-alikes; on any page, a link to the playground."""
    return [{"id": "playground-predict", "title": "What does ImageMonkey see?", "contexts": ["image"],
             "kind": "predict", "method": "POST", "api": "/api/v1/playground/predictions"},
            {"id": "playground-similar", "title": "Find similar in ImageMonkey", "contexts": ["image"],
             "kind": "similar", "method": "POST", "api": "/api/v1/playground/similar"},
            {"id": "playground", "title": "ImageMonkey playground", "contexts": ["page"],
             "kind": "link", "url": public_route_url(request, "playground.page")}]


@hookimpl
def imagemonkey_contribution_kinds() -> dict[str, str]:
    return {DUPLICATES_DECISION: "near-duplicate reviews"}


@hookimpl
def imagemonkey_page_slots(request: Any, page: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The image page: a "More like this" strip of its nearest public neighbours (filled in the browser once the
    picture is embedded; until then a sentence says when, and the browser asks nothing). ``/moderate``: the
    near-duplicate review (shown to moderators only, filled in the browser)."""
    if page == "moderate":
        return [{"id": "playground-duplicates", "slot": "section", "html": render_fragment(
            request, "imagemonkey_playground:templates/duplicates_section.jinja2", {})}]
    if page != "image" or context["image"]["status"] != "public":
        return None
    image_id = int(context["image"]["id"])
    embedded = request.dbsession.scalar(select(Embedding.image_id).where(Embedding.image_id == image_id).limit(1))
    return [{"id": "playground-similar", "slot": "panel", "html": render_fragment(
        request, "imagemonkey_playground:templates/similar_strip.jinja2",
        {"image_id": image_id, "embedded": embedded is not None})}]


@hookimpl
def imagemonkey_openapi_paths() -> dict[str, Any]:
    return PATHS


@hookimpl
def imagemonkey_blobs_in_use(request: Any, keys: list[str]) -> list[str]:
    """Model weights and the similar-pictures index published to object storage are blobs: gc must keep them."""
    weights = request.dbsession.scalars(select(ModelVersion.weights_key).where(ModelVersion.weights_key.in_(keys)))
    segments = {key for listed in request.dbsession.scalars(select(SharedIndex.blob_keys))  # a row per backbone
                for key in json.loads(listed)}
    return [*weights, *(key for key in keys if key in segments)]
