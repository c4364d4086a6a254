"""A training run against the site: select data, fill the embedding cache, train, store, compare, maybe activate.

Each database step runs in its own short transaction (``scope()`` yields a request, committed at exit), so the
version's status (``training``, then ``ready``/``active`` or ``failed``) is visible while the head trains outside
any transaction. Weights are stored as a blob through the site's blob store (disk or S3).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from imagemonkey.plugin import utcnow

from . import data, embeddings, registry
from .activation import queue_follow_ups
from .backbone import decode
from .finetune import finetune, gpu_available
from .head import HeadParams, Progress
from .metrics import evaluate
from .model_file import ModelFile
from .models import ModelVersion
from .predictor import Predictor
from .providers import DEFAULT, BackboneProvider, backbone_of
from .settings import setting
from .torch_runtime import torch
from .training import Example, TrainingResult, targets_of, train

log = logging.getLogger(__name__)
Scope = Callable[[], AbstractContextManager[Any]]


def run_training(scope: Scope, model_id: int, progress: Progress | None = None) -> dict:
    """Train version ``model_id`` (queued); returns ``{"id", "version", "status", "map"}``. Failures are recorded."""
    report = progress or (lambda share, message: None)
    try:
        with scope() as request:
            provider = backbone_of(request.registry)
            model = request.dbsession.get(ModelVersion, model_id)
            model.status = "training"
            settings = {key: setting(request, f"playground.{key}")
                        for key in ("min_images", "max_labels", "max_images")}
            labels = data.select_labels(request, settings["min_images"], settings["max_labels"])
            examples = data.select_examples(request, labels, settings["max_images"])
        if len(labels) < data.MIN_LABELS or not examples:
            raise ValueError(f"{len(labels)} labels have {settings['min_images']} eligible images; "
                             f"a model needs at least {data.MIN_LABELS}")
        fill_cache(scope, [i for i, _ in examples], provider, report)
        with scope() as request:
            ids = [i for i, _ in examples]
            vectors = embeddings.cached(request.dbsession, ids, provider.version)
            store = request.registry["blobstore"]
            tune = (gpu_finetune(store, embeddings.medium_keys(request.dbsession, ids))
                    if gpu_available() and provider is DEFAULT else None)
        result = train(examples, labels, lambda ids: embeddings.matrix(vectors, ids, provider.features), HeadParams(),
                       lambda share, message: report(0.3 + 0.6 * share, message), finetune=tune,
                       backbone=provider.version)
        with scope() as request:
            outcome = store_result(request, model_id, result, vectors, examples)
        report(1.0, outcome["status"])
        return outcome
    except Exception as error:  # recorded on the version, then raised to the caller (job or CLI)
        log.exception("playground training of model %s failed", model_id)
        with scope() as request:
            model = request.dbsession.get(ModelVersion, model_id)
            model.status, model.error, model.finished_at = "failed", str(error)[:500], utcnow()
        raise


def fill_cache(scope: Scope, image_ids: list[int], provider: BackboneProvider, report: Progress) -> None:
    """Embed the images not cached yet, a committed transaction per chunk (progress is reported between them)."""
    with scope() as request:
        todo = embeddings.missing(request.dbsession, image_ids, provider.version)
    for start in range(0, len(todo), embeddings.EMBED_CHUNK):
        with scope() as request:
            embeddings.compute(request, todo[start:start + embeddings.EMBED_CHUNK], provider)
        done = min(len(todo), start + embeddings.EMBED_CHUNK)
        report(0.3 * done / len(todo), f"embedded {done} of {len(todo)} new images")


def gpu_finetune(store: Any, keys: dict[int, str]) -> Callable[..., Any]:
    """The fine-tuning step bound to an image loader reading the medium renditions through the blob store."""
    return lambda model, train_set, val_set: finetune(model, train_set, val_set, lambda i: decode(store.get(keys[i])))


def store_result(request: Any, model_id: int, result: TrainingResult, vectors: dict[int, torch.Tensor],
                 examples: list[Example]) -> dict:
    """Save the weights blob and the metrics, then activate the version if it beats the active one."""
    dbsession = request.dbsession
    model = dbsession.get(ModelVersion, model_id)
    model.weights_key = request.registry["blobstore"].put(result.model.to_bytes(), "application/octet-stream")
    model.labels, model.snapshot, model.hyperparameters = result.model.labels, result.snapshot, result.params
    model.backbone, model.map = result.model.backbone, result.metrics["map"]
    model.status, model.finished_at = "ready", utcnow()
    metrics = dict(result.metrics)
    active = registry.active_model(dbsession, lock=True)
    val = [e for e in examples if e[0] in set(result.val_image_ids)]
    if active is None:
        promote = result.metrics["map"] is not None
    else:
        comparison = compare(request, result.model, active, val, vectors)
        metrics["comparison"] = comparison.as_dict(active.id)
        promote = registry.may_auto_activate(active) and registry.beats(
            comparison, len(result.model.labels), len(active.labels))
    if promote:
        registry.activate(dbsession, model, pinned=False)
        queue_follow_ups(request, model)  # questions and uncertainty from the new model, jobs after this commit
    model.metrics = metrics
    dbsession.flush()
    return {"id": model.id, "version": model.version, "status": model.status, "map": model.map}


def compare(request: Any, candidate: ModelFile, active: ModelVersion, val: list[Example],
            vectors: dict[int, torch.Tensor]) -> registry.Comparison:
    """Both models on the candidate's validation images, over the labels both know."""
    shared = [label for label in candidate.labels if label in set(active.labels)]
    if not shared or not val:
        return registry.Comparison(None if not val else 0.0, None, len(shared), len(val))
    ids = [image_id for image_id, _ in val]
    targets = targets_of(val, shared)
    scores = {}
    provider = backbone_of(request.registry)
    for name, model_file in (("candidate", candidate), ("active", load_model_file(request, active))):
        if model_file.tail_start is None and model_file.backbone not in (provider.version, DEFAULT.version):
            return registry.Comparison(scores.get("candidate"), None, 0, len(ids))  # its backbone is gone
        predictor = Predictor(model_file, provider)
        if model_file.tail_start is None and model_file.backbone == provider.version:
            probabilities = predictor.from_embeddings(embeddings.matrix(vectors, ids, provider.features))
        else:
            probabilities = predictor.probabilities([decode(read_image(request, i)) for i in ids])
        columns = [model_file.labels.index(label) for label in shared]
        scores[name] = evaluate(probabilities[:, columns], targets, shared)["map"]
    return registry.Comparison(scores["candidate"], scores["active"], len(shared), len(ids))


def load_model_file(request: Any, model: ModelVersion) -> ModelFile:
    """A version's model file from the blob store."""
    return ModelFile.from_bytes(request.registry["blobstore"].get(model.weights_key))


def read_image(request: Any, image_id: int) -> bytes:
    """The medium rendition of an image."""
    return request.registry["blobstore"].get(embeddings.medium_keys(request.dbsession, [image_id])[image_id])
