"""Cold start: the order active learning offers images in before any model exists.

Without a model there is no uncertainty to rank by, but the pictures are embedded already (the similar-pictures
index embeds every public picture). Answers teach a first model the most when they cover the kinds of pictures the
site holds, so the candidates are grouped (spherical k-means, ``diversity.groups``) and each group's most typical
picture — the one nearest its group's centre — is offered first, round-robin over the groups: every group's most
typical picture before any group's second one, the larger groups (more pictures like it) first within a round.

With ``playground.active_learning`` on and no active model, each similar-index update (``similar_jobs``, every
5 minutes, after it embedded new pictures) writes these priorities into ``playground_uncertainty`` (``model_id``
None) for the images that need answers and have an embedding; task choosers then prefer them exactly as they
prefer an active model's uncertain images (``uncertainty.imagemonkey_task_preference``), exploration included. The
first active model's scores replace them.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import delete

from .diversity import groups
from .models import Uncertainty
from .registry import active_model
from .settings import setting
from .uncertainty import candidates, write_scores


def representativeness(vectors: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """Per row of ``vectors`` (embeddings), a priority in [0, 1] (higher first): ``count`` groups of look-alikes
    taken round-robin, each group's pictures nearest its centre first, within a round the larger group first."""
    vectors = np.asarray(vectors, dtype=np.float64)
    if len(vectors) == 0:
        return np.zeros(0)
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    assigned = groups(unit.astype(np.float32), count, seed)
    present = np.unique(assigned)
    sizes = {int(g): int((assigned == g).sum()) for g in present}
    by_size = sorted(sizes, key=lambda g: (-sizes[g], g))
    size_rank = {group: rank for rank, group in enumerate(by_size)}
    rounds = np.zeros(len(unit), dtype=np.int64)
    within = np.zeros(len(unit), dtype=np.float64)
    for group in present:
        members = np.flatnonzero(assigned == group)
        centre = unit[members].mean(axis=0)
        closeness = unit[members] @ (centre / max(float(np.linalg.norm(centre)), 1e-12))
        rounds[members[np.argsort(-closeness, kind="stable")]] = np.arange(len(members))
        within[members] = 1.0 - size_rank[int(group)] / len(present)  # in (0, 1]: the largest group 1.0
    last = int(rounds.max())
    return (last - rounds + within * (1 - 1e-9)) / (last + 1)


def record(request: Any, backbone: str, features: int) -> int:
    """With active learning on and no active model: rewrite ``playground_uncertainty`` with the cold-start order of
    the images that need answers (at most ``playground.uncertain_images``, newest first) and have an embedding of
    ``backbone``; return how many were scored (0, the table untouched, when an active model's scores rule)."""
    from . import embeddings

    dbsession = request.dbsession
    if not setting(request, "playground.active_learning") or active_model(dbsession) is not None:
        return 0
    ids = candidates(request, setting(request, "playground.uncertain_images"))
    vectors = embeddings.cached(dbsession, ids, backbone)
    present = [i for i in ids if i in vectors]
    dbsession.execute(delete(Uncertainty))
    if not present:
        return 0
    matrix = embeddings.matrix(vectors, present, features).numpy()
    priority = representativeness(matrix, setting(request, "playground.uncertain_pool"))
    return write_scores(dbsession, present, priority, None)
