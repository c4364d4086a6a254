"""Questions from the model: after a version becomes active, its confident predictions of labels an image lacks
become validation questions (validate's subject kind ``playground_suggestion``, "suggested by the model").

Only images the version did not train on are scored (validation-split images and images donated since, whose
embeddings are computed then), newest first, at most ``playground.suggest_images`` of them and at most
``playground.suggest_limit`` new questions per activation. A suggestion has no owner,
so rejecting it costs no contributor any trust; a verified one adds its label to the image (core's labelling).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from imagemonkey.plugin import Contributor, Image, ImageLabel, add_labels

from .models import ModelVersion, Suggestion
from .settings import setting
from .split import split_of

if TYPE_CHECKING:
    from .predictor import Predictor

KIND = "playground_suggestion"
CHUNK = 512


def validate_loaded(request: Any) -> bool:
    """Whether validate is enabled (it declares the subject hooks)."""
    hook = getattr(request.registry.pm.hook, "validate_subject_changed", None)
    return hook is not None and hook.has_spec()


def suggest(request: Any, model: ModelVersion) -> int:
    """Create the questions of a newly active version; returns how many were created.

    Candidates are public images the version did not train on (validation-split images, and images without a
    cached embedding: donated since), newest first; at most ``playground.suggest_images`` images are scored.
    """
    if not validate_loaded(request) or model.weights_key is None:
        return 0
    from . import embeddings  # torch: loaded by the first suggestions (or prediction, or training)
    from .model_file import ModelFile
    from .predictor import Predictor
    from .providers import backbone_of

    model_file = ModelFile.from_bytes(request.registry["blobstore"].get(model.weights_key))
    if model_file.tail_start is not None:  # fine-tuned: cached embeddings are not its features
        return 0
    provider = backbone_of(request.registry)
    if model_file.backbone != provider.version:
        return 0
    predictor = Predictor(model_file, provider)
    threshold, limit = setting(request, "playground.suggest_threshold"), setting(request, "playground.suggest_limit")
    budget = setting(request, "playground.suggest_images")
    dbsession, created, before = request.dbsession, 0, None
    while created < limit and budget > 0:
        query = select(Image.id).where(Image.status == "public").order_by(Image.id.desc()).limit(CHUNK)
        ids = list(dbsession.scalars(query if before is None else query.where(Image.id < before)))
        if not ids:
            break
        before = ids[-1]
        cached = embeddings.cached(dbsession, ids, model_file.backbone)
        candidates = [i for i in ids if i not in cached or split_of(i) == "val"][:budget]
        budget -= len(candidates)
        new = [i for i in candidates if i not in cached]
        if new:
            embeddings.compute(request, new, provider)
            cached.update(embeddings.cached(dbsession, new, model_file.backbone))
        scored = [i for i in candidates if i in cached]
        created += suggest_chunk(request, model, predictor, scored, cached, threshold, limit - created)
    return created


def suggest_chunk(request: Any, model: ModelVersion, predictor: Predictor, ids: list[int],
                  vectors: dict[int, Any], threshold: float, room: int) -> int:
    """Score one chunk of images and create up to ``room`` questions."""
    if not ids:
        return 0
    from . import embeddings

    dbsession = request.dbsession
    probabilities = predictor.from_embeddings(embeddings.matrix(vectors, ids, predictor.head.layer[-1].in_features))
    known = set(dbsession.execute(select(ImageLabel.image_id, ImageLabel.label).where(ImageLabel.image_id.in_(ids))))
    known |= set(dbsession.execute(select(Suggestion.image_id, Suggestion.label).where(Suggestion.image_id.in_(ids))))
    created = 0
    for row, image_id in enumerate(ids):
        for column, label in enumerate(predictor.labels):
            p = float(probabilities[row, column])
            if p < threshold or (image_id, label) in known or created >= room:
                continue
            suggestion = Suggestion(image_id=image_id, label=label, model_id=model.id, probability=round(p, 4))
            dbsession.add(suggestion)
            dbsession.flush()
            request.registry.pm.hook.validate_subject_changed(request=request, kind=KIND, subject_id=suggestion.id,
                                                              image_id=image_id, label=label, owner_id=None)
            created += 1
    return created


def describe(request: Any, subject_ids: list[int]) -> dict[int, dict[str, Any]]:
    """validate's description of suggestion subjects: image, label, and that the model suggested it."""
    rows = request.dbsession.execute(
        select(Suggestion, ModelVersion.version).join(ModelVersion, ModelVersion.id == Suggestion.model_id)
        .where(Suggestion.id.in_(subject_ids)))
    return {s.id: {"image_id": s.image_id, "label": s.label, "suggested_by": "model",
                   "model": {"version": version, "probability": s.probability}} for s, version in rows}


def follow_verdict(request: Any, subject_id: int, image_id: int, label: str, new_state: str) -> None:
    """A suggestion follows validate's verdict; a verified suggestion's label is added to the image."""
    suggestion = request.dbsession.get(Suggestion, subject_id)
    if suggestion is None:
        return
    suggestion.state = new_state
    if new_state == "verified":
        add_model_label(request, request.dbsession.get(Image, image_id), label)


MODEL_CONTRIBUTOR = "playground-model"


def model_contributor(dbsession: Any) -> Contributor:
    """The contributor the model's accepted labels are credited to (a client without tokens: it cannot log in)."""
    found = dbsession.scalars(select(Contributor).where(Contributor.name == MODEL_CONTRIBUTOR)).first()
    if found is None:
        found = Contributor(kind="client", name=MODEL_CONTRIBUTOR, role="contributor")
        dbsession.add(found)
        dbsession.flush()
    return found


def add_model_label(request: Any, image: Image, label: str) -> None:
    """Add a verified suggestion's label through core's labelling, credited to the model's contributor (votes are
    settled off the request path, where there is no contributor; the voters' own credit stays theirs)."""
    voter = request.contributor
    request.contributor = model_contributor(request.dbsession)
    try:
        add_labels(request, image, [label])
    finally:
        request.contributor = voter
