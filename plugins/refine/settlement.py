"""How answers settle into a value: a weighted lead of ``refine.margin`` over the runner-up.

Each answer weighs 1. With validate enabled, an answerer whose standing has evidence behind it
(``validate_standing``) weighs ``logit(reliability) / logit(2/3)``, between 0 and ``MAX_WEIGHT``: a proven
contributor counts more, one whose answers disagreed with settled results counts less or nothing.
Without validate (or without evidence) this is a simple majority with a margin.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select

from imagemonkey.plugin import get_setting, utcnow, write

from .models import Answer, Settled

MAX_WEIGHT = 3.0
_REFERENCE = math.log(2.0)  # logit(2/3): the reliability that weighs one answer


def weight(reliability: float, evidence: float) -> float:
    """The weight of one answer from a contributor with this standing (1 without evidence)."""
    if evidence <= 0:
        return 1.0
    r = min(max(reliability, 1e-6), 1 - 1e-6)
    return min(max(math.log(r / (1 - r)) / _REFERENCE, 0.0), MAX_WEIGHT)


def decide(answers: Iterable[tuple[str, float]], margin: float) -> str | None:
    """The settled value of ``(value, weight)`` answers: the leader when it leads the runner-up by ``margin``."""
    totals: dict[str, float] = defaultdict(float)
    for value, w in answers:
        totals[value] += w
    ranked = sorted(totals.values(), reverse=True)
    if not ranked:
        return None
    runner_up = ranked[1] if len(ranked) > 1 else 0.0
    if ranked[0] - runner_up < margin - 1e-9:
        return None
    return max(totals, key=lambda value: totals[value])


def weights(request: Any, contributor_ids: list[int]) -> dict[int, float]:
    """Each contributor's answer weight: validate's standing where validate is enabled, else 1."""
    hook = getattr(request.registry.pm.hook, "validate_standing", None)  # absent unless validate is enabled
    if not contributor_ids or hook is None or not hook.has_spec():
        return dict.fromkeys(contributor_ids, 1.0)
    standing = hook(request=request, contributor_ids=contributor_ids) or {}
    return {cid: weight(standing.get(cid, {}).get("reliability", 0.5), standing.get(cid, {}).get("evidence", 0.0))
            for cid in contributor_ids}


def resettle(request: Any, image_label_id: int, image_id: int, label: str, prop: str, shape_id: int = 0) -> str | None:
    """Recompute one subject's property (an image label, or one of its shapes) from its answers; store (or drop)
    the settled row; return the value."""
    rows = request.dbsession.execute(select(Answer.contributor_id, Answer.value).where(
        Answer.image_label_id == image_label_id, Answer.shape_id == shape_id, Answer.property == prop)).all()
    by_contributor = weights(request, [row.contributor_id for row in rows])
    value = decide(((row.value, by_contributor[row.contributor_id]) for row in rows),
                   get_setting(request, "refine.margin"))
    write(request, delete(Settled).where(Settled.image_label_id == image_label_id, Settled.shape_id == shape_id,
                                         Settled.property == prop))
    if value is not None:
        request.dbsession.add(Settled(image_label_id=image_label_id, shape_id=shape_id, image_id=image_id, label=label,
                                      property=prop, value=value, answers=len(rows), settled_at=utcnow()))
        request.dbsession.flush()
    return value
