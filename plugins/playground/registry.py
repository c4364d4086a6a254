"""The model registry's rules: versions, one active model, pins, and when a new version may replace the active one.

A new version becomes active automatically only when no moderator pin is in force and its mAP beats the active
model's on the same validation images (see :func:`beats`). A moderator's activation pins the version (rollback is
activating an older one); activating with ``pin=False`` lifts the pin and lets automatic activation resume.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import insert_once, utcnow

from .models import ModelVersion

ACTIVATABLE = ("ready", "active")
#: A version in one of these states holds the site's one training slot.
BUSY = ("queued", "training")


def queue_version(dbsession: Any, created_by: int | None = None) -> ModelVersion:
    """A new ``queued`` version numbered one past the highest so far."""
    number = (dbsession.scalar(select(func.max(ModelVersion.version))) or 0) + 1
    model = ModelVersion(version=number, status="queued", created_by=created_by)
    dbsession.add(model)
    dbsession.flush()
    return model


def training_busy(dbsession: Any) -> bool:
    """Whether a training is queued or running."""
    return dbsession.scalar(select(ModelVersion.id).where(ModelVersion.status.in_(BUSY)).limit(1)) is not None


def queue_exclusive(dbsession: Any, created_by: int | None = None) -> ModelVersion | None:
    """:func:`queue_version` unless a training is queued or running; None then.

    Two concurrent callers read the same highest number, so the unique version number lets only one of them in.
    """
    if training_busy(dbsession):
        return None
    number = (dbsession.scalar(select(func.max(ModelVersion.version))) or 0) + 1
    model = ModelVersion(version=number, status="queued", created_by=created_by)
    return model if insert_once(dbsession, model) else None


def active_model(dbsession: Any, lock: bool = False) -> ModelVersion | None:
    """The active version (row-locked with ``lock`` so two activations serialise)."""
    query = select(ModelVersion).where(ModelVersion.status == "active").order_by(ModelVersion.id).limit(1)
    return dbsession.scalars(query.with_for_update() if lock else query).first()


def activate(dbsession: Any, model: ModelVersion, pinned: bool) -> ModelVersion | None:
    """Make ``model`` the active version; the previous one goes back to ``ready``. Returns the previous one.

    ``ValueError`` unless ``model`` is ``ready`` or already ``active``.
    """
    if model.status not in ACTIVATABLE:
        raise ValueError(f"version {model.version} is {model.status}; only a ready version can be activated")
    previous = active_model(dbsession, lock=True)
    if previous is not None and previous.id != model.id:
        previous.status = "ready"
        previous.pinned = False
    model.status = "active"
    model.pinned = pinned
    model.activated_at = utcnow()
    dbsession.flush()
    return previous if previous is not None and previous.id != model.id else None


@dataclass(frozen=True)
class Comparison:
    """Both models' mAP on the candidate's validation images, over the labels both know."""

    candidate_map: float | None
    active_map: float | None
    labels: int
    images: int

    def as_dict(self, active_id: int) -> dict:
        """JSON for the candidate's metrics."""
        return {"active_model": str(active_id), "candidate_map": self.candidate_map, "active_map": self.active_map,
                "labels": self.labels, "images": self.images}


def beats(comparison: Comparison, candidate_labels: int, active_labels: int) -> bool:
    """Whether the candidate should replace the active model.

    It must have a mAP; it wins with a higher mAP on the shared labels and images, or with an equal one while it
    knows more labels (it does as well on what both know and covers more). With no shared labels the candidate's
    own mAP is all there is and it wins.
    """
    if comparison.candidate_map is None:
        return False
    if comparison.active_map is None or comparison.labels == 0:
        return True
    if comparison.candidate_map > comparison.active_map:
        return True
    return comparison.candidate_map == comparison.active_map and candidate_labels > active_labels


def may_auto_activate(active: ModelVersion | None) -> bool:
    """Automatic activation is off while a moderator's pin is in force."""
    return active is None or not active.pinned
