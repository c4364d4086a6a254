"""The playground's API: the model registry, activation, training, and predictions."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pyramid.view import view_config
from sqlalchemy import select

from imagemonkey.plugin import (
    ApiError,
    check_rate,
    client_address,
    encode_cursor,
    enqueue_job,
    get_visible_image,
    invalid,
    isoformat,
    json_body,
    multipart_form,
    not_found,
    parse_id,
    process_site_upload,
    read_cursor,
    read_limit,
    require_role,
    reserve_pixels,
)

from . import registry
from .activation import queue_follow_ups
from .data import MIN_LABELS, trainable_labels
from .models import ModelVersion
from .serving import Loaded

MULTIPART_ALLOWANCE = 64 * 1024


def model_json(model: ModelVersion) -> dict[str, Any]:
    """A version as the API shows it."""
    return {"id": str(model.id), "version": model.version, "status": model.status, "pinned": model.pinned,
            "labels": model.labels, "map": model.map, "metrics": model.metrics, "snapshot": model.snapshot,
            "hyperparameters": model.hyperparameters, "backbone": model.backbone, "error": model.error,
            "created_at": isoformat(model.created_at), "finished_at": isoformat(model.finished_at),
            "activated_at": isoformat(model.activated_at)}


@view_config(route_name="playground.models", request_method="GET", renderer="json")
def list_models(request: Any) -> dict[str, Any]:
    """Versions, newest first (keyset pagination on the id)."""
    limit = read_limit(request, default=20)
    cursor = read_cursor(request)
    query = select(ModelVersion).order_by(ModelVersion.id.desc()).limit(limit + 1)
    if cursor is not None:
        if not isinstance(cursor, int):
            raise ApiError(400, "invalid_cursor", "The cursor is not one this server gave out.")
        query = query.where(ModelVersion.id < cursor)
    models = request.dbsession.scalars(query).all()
    body: dict[str, Any] = {"models": [model_json(m) for m in models[:limit]]}
    if len(models) > limit:
        body["next_cursor"] = encode_cursor(models[limit - 1].id)
    return body


@view_config(route_name="playground.models", request_method="POST", renderer="json")
def queue_training(request: Any) -> dict[str, Any]:
    """Moderators: queue a new version and the job that trains it (202).

    409 ``too_few_labels`` when fewer than two labels qualify, 409 ``training_busy`` while one is queued or running.
    """
    moderator = require_role(request, "moderator")
    labels = trainable_labels(request)
    if len(labels) < MIN_LABELS:
        raise ApiError(409, "too_few_labels",
                       f"{len(labels)} label(s) have enough eligible images; a model needs at least {MIN_LABELS}.",
                       labels=labels)
    model = registry.queue_exclusive(request.dbsession, created_by=moderator.id)
    if model is None:
        raise ApiError(409, "training_busy", "A training is already queued or running; wait until it ends.")
    job_id = enqueue_job(request, "playground.train", model_id=model.id)
    request.response.status_int = 202
    return {"model": model_json(model), "job": {"id": job_id}}


@view_config(route_name="playground.activate", request_method="POST", renderer="json")
def activate_model(request: Any) -> dict[str, Any]:
    """Moderators: make a version active (pinned unless ``{"pin": false}``); rollback is activating an older one."""
    require_role(request, "moderator")
    body = json_body(request) if request.body else {}
    pin = body.get("pin", True)
    if not isinstance(pin, bool):
        raise invalid("pin must be true or false.", field="pin")
    model_id = parse_id(request.matchdict["id"], "model")
    model = request.dbsession.get(ModelVersion, model_id, with_for_update=True)
    if model is None:
        raise not_found("model")
    from .providers import DEFAULT, backbone_of  # torch: loaded by the first activation or prediction

    if model.backbone not in (None, DEFAULT.version, backbone_of(request.registry).version):
        raise ApiError(409, "other_backbone", f"Version {model.version} was trained on backbone {model.backbone}, "
                                              "which this site no longer serves.")
    try:
        registry.activate(request.dbsession, model, pinned=pin)
    except ValueError as error:
        raise ApiError(409, "not_ready", str(error)) from None
    queue_follow_ups(request, model)
    return {"model": model_json(model)}


def uploaded_image(request: Any) -> Callable[[], bytes]:
    """The multipart ``image``, read but not decoded: a function giving its medium rendition (core's checks, within
    the process-wide decode budget)."""
    limit = int(request.registry.settings["imagemonkey.max_upload_bytes"])
    if request.content_length is not None and request.content_length > limit + MULTIPART_ALLOWANCE:
        raise ApiError(413, "too_large", "The image is larger than this server accepts.", max_upload_bytes=limit)
    upload = multipart_form(request).get("image")
    if upload is None or not hasattr(upload, "file"):
        raise invalid("The multipart field 'image' must hold the image file.", field="image", code="missing_image")
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, "too_large", "The image is larger than this server accepts.", max_upload_bytes=limit)
    return lambda: process_site_upload(request, data).medium.data


def dataset_image(request: Any) -> Callable[[], bytes]:
    """``{"image_id"}``: a reader of the medium rendition of an image the caller may see (404 once removed)."""
    body = json_body(request)
    raw = body.get("image_id")
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise invalid("image_id must be an image id.", field="image_id")
    image = get_visible_image(request, str(raw))
    if image.status == "removed":  # its files are deleted; moderators still see the row
        raise not_found("image")
    key = image.medium_key

    def read() -> bytes:
        try:
            return request.registry["blobstore"].get(key)
        except KeyError:
            raise not_found("image") from None

    return read


def picture_source(request: Any) -> Callable[[], bytes]:
    """What to predict on, read and checked but not decoded yet: an upload or a dataset image (415 otherwise)."""
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        return uploaded_image(request)
    if content_type == "application/json":
        return dataset_image(request)
    raise ApiError(415, "unsupported_media_type",
                   "Send multipart/form-data with a field 'image', or JSON {\"image_id\": ...}.")


@view_config(route_name="playground.predictions", request_method="POST", renderer="json")
def predict(request: Any) -> dict[str, Any]:
    """The active model's labels for an uploaded picture or a dataset image.

    The model is looked up before any picture is decoded: without one the answer is a 409 at no decoding cost.
    """
    started = time.perf_counter()
    check_rate(request.registry["playground.limiter"], client_address(request), "predictions")
    source = picture_source(request)
    loaded: Loaded | None = request.registry["playground.holder"].current(request)
    if loaded is None:
        raise ApiError(409, "no_model", "No model is active yet: train one first.")
    data = source()
    from .backbone import decode, pixels  # loaded with the model above

    limit = min(len(loaded.predictor.labels), 10)
    with reserve_pixels(request, pixels(data)):  # a rendition (at most medium size), within the same budget
        picture = decode(data)
    predictions = loaded.predictor.predict(picture, limit=limit)
    return {"model": {"id": str(loaded.id), "version": loaded.version}, "predictions": predictions,
            "ms": round((time.perf_counter() - started) * 1000, 1)}


@view_config(route_name="playground.page", renderer="imagemonkey_playground:templates/playground.jinja2")
def playground_page(request: Any) -> dict[str, Any]:
    """The playground: predict a picture, correct it, and the model's history."""
    return {"title": "Playground"}
