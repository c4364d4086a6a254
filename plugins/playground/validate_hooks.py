"""The playground's implementations of validate's hooks: its two subject kinds (the model's suggestions and
look-alike questions) and what follows a verdict (a verified image label spreads to its look-alikes)."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import hookimpl

from . import spread, suggestions

IMAGE_LABEL = "image_label"


@hookimpl(optionalhook=True)
def validate_subject_kinds() -> list[dict]:
    """Model suggestions (single questions) and look-alike questions (also served in validate's grid)."""
    return [{"kind": suggestions.KIND, "question": "Is there {article} {label} in this picture?",
             "describe": suggestions.describe},
            {"kind": spread.KIND, "question": spread.QUESTION, "describe": spread.describe, "grid": True}]


@hookimpl(optionalhook=True)
def validate_state_changed(request: Any, kind: str, subject_id: int, image_id: int, label: str, old_state: str,
                           new_state: str, confidence: float) -> None:
    """Follow validate's verdicts: on the playground's kinds, and a newly verified image label spreads."""
    if kind == suggestions.KIND:
        suggestions.follow_verdict(request, subject_id, image_id, label, new_state)
    elif kind == spread.KIND:
        spread.follow_verdict(request, subject_id, image_id, label, new_state)
    elif kind == IMAGE_LABEL and new_state == "verified" and old_state != "verified":
        spread.queue_spread(request, image_id, label)
