"""The playground's background jobs: a training, and the periodic check that queues retrainings."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import Image, ImageLabel, JobContext, JobSpec, enqueue_job, utcnow

from . import registry
from .data import MIN_LABELS, eligible_clause, trainable_labels
from .models import ModelVersion
from .settings import setting
from .suggestions import suggest
from .uncertainty import record

TRAIN = "playground.train"
CHECK = "playground.retrain_check"
SUGGEST = "playground.suggest"
UNCERTAINTY = "playground.uncertainty"


def train_job(ctx: JobContext, model_id: int | None = None) -> dict:
    """Train version ``model_id`` (a new version when None), reporting progress on the job."""
    from .runner import run_training  # torch: loaded by the first training

    if model_id is None:
        with ctx.request() as request:
            model_id = registry.queue_version(request.dbsession).id
    return run_training(ctx.request, int(model_id), ctx.progress)


def eligible_image_labels(request: Any) -> int:
    """How many image labels a training could use now."""
    return request.dbsession.scalar(select(func.count()).select_from(ImageLabel)
                                    .join(Image, Image.id == ImageLabel.image_id).where(eligible_clause(request)))


def retraining_due(request: Any) -> str | None:
    """Why a retraining is due now (``"schedule"``, ``"labels"``, ``"first"``), or None."""
    dbsession = request.dbsession
    if registry.training_busy(dbsession):
        return None
    last = dbsession.scalars(select(ModelVersion).where(ModelVersion.status != "failed")
                             .order_by(ModelVersion.id.desc()).limit(1)).first()
    every, after = setting(request, "playground.retrain_every"), setting(request, "playground.retrain_after_labels")
    current = eligible_image_labels(request)
    if last is None:
        return "first" if after and current >= after else None
    if every and utcnow() - last.created_at >= timedelta(seconds=every):
        return "schedule"
    if after and current - int(last.snapshot.get("image_labels", 0)) >= after:
        return "labels"
    return None


def retrain_check(ctx: JobContext) -> dict:
    """Hourly: queue a training when the schedule or the number of new eligible labels says so."""
    with ctx.request() as request:
        reason = retraining_due(request)
        if reason is None:
            return {"queued": None}
        if len(trainable_labels(request)) < MIN_LABELS:
            return {"queued": None, "reason": "too_few_labels"}
        model = registry.queue_exclusive(request.dbsession)
        if model is None:
            return {"queued": None}
        enqueue_job(request, TRAIN, model_id=model.id)
        return {"queued": model.id, "reason": reason}


def suggest_job(ctx: JobContext, model_id: int) -> dict:
    """The questions of a version a moderator activated (see :mod:`.suggestions`)."""
    with ctx.request() as request:
        model = request.dbsession.get(ModelVersion, int(model_id))
        if model is None or model.status != "active":
            return {"suggestions": 0}
        return {"suggestions": suggest(request, model)}


def uncertainty_job(ctx: JobContext, model_id: int) -> dict:
    """Active learning's scores for a newly active version (see :mod:`.uncertainty`)."""
    with ctx.request() as request:
        model = request.dbsession.get(ModelVersion, int(model_id))
        if model is None or model.status != "active":
            return {"scored": 0}
        return {"scored": record(request, model)}


JOBS = [JobSpec(SUGGEST, suggest_job, description="validation questions from the active model's predictions"),
        JobSpec(UNCERTAINTY, uncertainty_job, description="active learning: how unsure the active model is, per image"),
        JobSpec(TRAIN, train_job, description="train a playground model version"),
        JobSpec(CHECK, retrain_check, every_seconds=3600, description="queue a retraining when one is due")]
