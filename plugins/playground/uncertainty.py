"""Active learning: offer tasks where the active model is least sure first (``playground.active_learning``).

When a version becomes active, the job ``playground.uncertainty`` scores the public images that still need
answers — unlabeled ones (core's label tasks) and, with validate, ones with an unverified label (validate's
questions) — newest first, at most ``playground.uncertain_images``: each image's uncertainty is one minus the
margin between its two most probable labels, so 1.0 when the model cannot tell them apart and 0.0 when it is sure,
and its score a priority that weights it by how many look-alikes the image has among the candidates and spreads
the preferred images over look-alike groups (``diversity``). Before any model, the cold start (``coldstart``)
writes the same table. Task
choosers then look among the ``playground.uncertain_pool`` highest scores of images that still need an answer of
their kind first (core's ``imagemonkey_task_preference`` hook), except for a ``playground.exploration`` share of
tasks, which keep the usual order. Without the setting (or without scores) nothing changes.
"""
from __future__ import annotations

import random
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, delete, exists, insert, or_, select
from sqlalchemy.orm import aliased

from imagemonkey.plugin import Image, ImageLabel, hookimpl

from .data import verified_only
from .diversity import density, priorities
from .models import ModelVersion, Uncertainty
from .settings import setting

KINDS = ("label", "validate")
CHUNK = 512


def needs_answers(request: Any, kind: str | None, image_id: Any) -> ColumnElement[bool]:
    """Whether the image ``image_id`` still needs an answer of ``kind`` (None: of any kind) — a correlated clause."""
    image = aliased(Image)  # its own name: ``image_id`` may be ``Image.id`` of the enclosing query
    unlabeled = exists().where(image.id == image_id, image.label_count == 0)
    if kind == "label" or not verified_only(request):
        return unlabeled
    verified = request.registry.pm.hook.validate_verified_clause(request=request, image_label_id=ImageLabel.id)
    unverified = exists().where(ImageLabel.image_id == image_id, ~verified)
    return unverified if kind == "validate" else or_(unlabeled, unverified)


def scores(probabilities: Any) -> list[float]:
    """Per image (rows of an (N, L) probability matrix, a torch tensor): one minus the margin between its two most
    probable labels, so 1.0 when the model cannot tell two labels apart and 0.0 when one label is certain and every
    other impossible. (Margin ordering beat the largest binary entropy in ``bench_active_learning.py``.)"""
    if len(probabilities) == 0:
        return []
    top = probabilities.topk(min(2, probabilities.shape[1]), dim=1).values
    second = top[:, 1] if top.shape[1] > 1 else 0.0
    return (1 - (top[:, 0] - second)).clamp(0.0, 1.0).tolist()


def candidates(request: Any, limit: int) -> list[int]:
    """Public images that need answers, newest first, at most ``limit``."""
    return list(request.dbsession.scalars(
        select(Image.id).where(Image.status == "public", needs_answers(request, None, Image.id))
        .order_by(Image.id.desc()).limit(limit)))


def record(request: Any, model: ModelVersion) -> int:
    """Score the images that need answers with ``model`` (embedding those not cached yet): their uncertainty, weighted
    by their density among the candidates (``diversity.density``), spread over ``playground.uncertain_pool``
    look-alike groups (``diversity.priorities``); replace the table's rows and
    return how many were scored (0 for a fine-tuned model or one on another backbone)."""
    from . import embeddings
    from .model_file import ModelFile
    from .predictor import Predictor
    from .providers import backbone_of

    model_file = ModelFile.from_bytes(request.registry["blobstore"].get(model.weights_key))
    provider = backbone_of(request.registry)
    if model_file.tail_start is not None or model_file.backbone != provider.version:
        return 0
    predictor = Predictor(model_file, provider)
    dbsession = request.dbsession
    ids = candidates(request, setting(request, "playground.uncertain_images"))
    for chunk in embeddings.chunks(embeddings.missing(dbsession, ids, provider.version), embeddings.EMBED_CHUNK):
        embeddings.compute(request, chunk, provider)
    present: list[int] = []
    uncertain: list[float] = []
    rows: list[np.ndarray] = []
    for chunk in embeddings.chunks(ids, CHUNK):
        vectors = embeddings.cached(dbsession, chunk, provider.version)
        found = [i for i in chunk if i in vectors]
        matrix = embeddings.matrix(vectors, found, provider.features)
        uncertain += scores(predictor.from_embeddings(matrix))
        rows.append(matrix.numpy())
        present += found
    dbsession.execute(delete(Uncertainty))
    if not present:
        return 0
    vectors = np.concatenate(rows)
    weighted = np.asarray(uncertain) * density(vectors)
    priority = priorities(weighted, vectors, setting(request, "playground.uncertain_pool"))
    return write_scores(dbsession, present, priority, model.id)


def write_scores(dbsession: Any, ids: list[int], priority: np.ndarray, model_id: int | None) -> int:
    """Insert each of ``ids``' priority into ``playground_uncertainty`` (``model_id`` None for the cold start), in
    chunks; returns how many rows were written."""
    for start in range(0, len(ids), CHUNK):
        dbsession.execute(insert(Uncertainty), [
            {"image_id": i, "model_id": model_id, "score": round(float(p), 6)}
            for i, p in zip(ids[start:start + CHUNK], priority[start:start + CHUNK], strict=True)])
    return len(ids)


def preferred_images(request: Any, kind: str) -> Any:
    """The ids of the ``playground.uncertain_pool`` images with the highest scores (uncertain, spread over look-alike
    groups) that still need an answer of ``kind``."""
    pool = setting(request, "playground.uncertain_pool")
    return (select(Uncertainty.image_id).where(needs_answers(request, kind, Uncertainty.image_id))
            .order_by(Uncertainty.score.desc(), Uncertainty.image_id).limit(pool))


@hookimpl
def imagemonkey_task_preference(request: Any, kind: str, image_id: Any) -> ColumnElement[bool] | None:
    """With active learning on: the highest scores (uncertain and diverse) first, except for the exploration share of
    tasks."""
    if kind not in KINDS or not setting(request, "playground.active_learning"):
        return None
    if random.random() < setting(request, "playground.exploration"):
        return None
    return image_id.in_(preferred_images(request, kind))
