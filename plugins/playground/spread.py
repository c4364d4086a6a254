"""Labels that spread: once an image label is verified, "Does this one show a dog too?" for the picture's look-alikes.

When validate verifies an image label on a public picture, the job ``playground.spread`` looks the picture up in
the similar-pictures index and takes its ``playground.spread_k`` nearest neighbours within a cosine distance of
``playground.spread_max_distance``. Those that are not public, that
already carry the label (in any state), or already have a model suggestion or a look-alike question for it, are left
out and not replaced by farther pictures (farther ones look less alike). Each of the rest becomes a question of
validate's subject kind ``playground_spread``, served in validate's grid. At most ``playground.spread_daily``
questions are created per 24 hours. Like the model's suggestions, a look-alike question has no owner: rejecting it
costs no contributor trust (the source picture's donor included); it settles by votes, and a verified one adds its
label through core, credited to the playground's model contributor.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import Image, ImageLabel, JobContext, JobSpec, enqueue_job, utcnow

from .models import Spread, Suggestion
from .settings import setting
from .suggestions import add_model_label

KIND = "playground_spread"
JOB = "playground.spread"
QUESTION = "Does this one show {article} {label} too?"


def queue_spread(request: Any, image_id: int, label: str) -> None:
    """Queue the look-alike questions of a newly verified image label (nothing when spreading is off)."""
    if setting(request, "playground.spread_k") > 0:
        enqueue_job(request, JOB, image_id=image_id, label=label)


def room_today(request: Any) -> int:
    """How many look-alike questions the daily bound still allows."""
    since = utcnow() - timedelta(days=1)
    made = request.dbsession.scalar(select(func.count()).select_from(Spread).where(Spread.created_at >= since))
    return max(0, setting(request, "playground.spread_daily") - made)


def already_asked(request: Any, ids: list[int], label: str) -> set[int]:
    """The pictures among ``ids`` that carry ``label``, or were asked about it (model suggestion or look-alike)."""
    dbsession = request.dbsession
    found = set(dbsession.scalars(select(ImageLabel.image_id).where(ImageLabel.image_id.in_(ids),
                                                                    ImageLabel.label == label)))
    found |= set(dbsession.scalars(select(Suggestion.image_id).where(Suggestion.image_id.in_(ids),
                                                                     Suggestion.label == label)))
    found |= set(dbsession.scalars(select(Spread.image_id).where(Spread.image_id.in_(ids), Spread.label == label)))
    return found


def spread(request: Any, image_id: int, label: str) -> int:
    """Create the look-alike questions of verified label ``label`` on image ``image_id``; returns how many."""
    from .providers import backbone_of  # torch: loaded by the worker

    source = request.dbsession.get(Image, image_id)
    room = min(setting(request, "playground.spread_k"), room_today(request))
    if source is None or source.status != "public" or room <= 0:
        return 0
    registry = request.registry
    provider = backbone_of(registry)
    ann = registry["playground.similar"].current(registry, provider.version, provider.features)
    if not ann.index.contains(image_id):
        return 0
    k, farthest = setting(request, "playground.spread_k"), setting(request, "playground.spread_max_distance")
    near = [(key, d) for key, d in ann.search(ann.index.get(image_id), k + 1) if key != image_id][:k]
    near = [(key, d) for key, d in near if d <= farthest]
    asked = already_asked(request, [key for key, _ in near], label)
    public = set(request.dbsession.scalars(select(Image.id).where(Image.id.in_([key for key, _ in near]),
                                                                  Image.status == "public")))
    fresh = [(key, d) for key, d in near if key in public and key not in asked][:room]
    for key, distance in fresh:
        question = Spread(image_id=key, label=label, source_image_id=image_id, distance=round(distance, 4))
        request.dbsession.add(question)
        request.dbsession.flush()
        registry.pm.hook.validate_subject_changed(request=request, kind=KIND, subject_id=question.id,
                                                  image_id=key, label=label, owner_id=None)
    return len(fresh)


def spread_job(ctx: JobContext, image_id: int, label: str) -> dict[str, Any]:
    """The look-alike questions of one verified image label."""
    with ctx.request() as request:
        return {"questions": spread(request, int(image_id), str(label))}


SPREAD_JOBS = [JobSpec(JOB, spread_job, description="look-alike questions from a newly verified image label")]


def describe(request: Any, subject_ids: list[int]) -> dict[int, dict[str, Any]]:
    """validate's description of look-alike questions: image, label, and the verified picture they look like."""
    rows = request.dbsession.scalars(select(Spread).where(Spread.id.in_(subject_ids)))
    return {s.id: {"image_id": s.image_id, "label": s.label, "suggested_by": "look-alike",
                   "source": {"image_id": None if s.source_image_id is None else str(s.source_image_id),
                              "distance": s.distance}} for s in rows}


def follow_verdict(request: Any, subject_id: int, image_id: int, label: str, new_state: str) -> None:
    """A look-alike question follows validate's verdict; a verified one adds its label to the image."""
    question = request.dbsession.get(Spread, subject_id)
    if question is None:
        return
    question.state = new_state
    if new_state == "verified":
        add_model_label(request, request.dbsession.get(Image, image_id), label)
