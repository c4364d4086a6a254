"""Query prefixes for the query language, one per validation state: ``verified:dog``, ``rejected:dog``, ..."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, select

from imagemonkey.plugin import QueryPrefix

from .consensus import STATES
from .models import Subject
from .subjects import IMAGE_LABEL


def state_clause(state: str) -> Any:
    """``clause(label, image_id)``: the image has ``label`` and validate's state of it is ``state``."""

    def clause(label: str, image_id: Any) -> ColumnElement[bool]:
        # answered by ix_validate_subject_image_id: a handful of subjects per image
        return exists(select(Subject.id).where(Subject.image_id == image_id, Subject.kind == IMAGE_LABEL,
                                               Subject.label == label, Subject.state == state))

    return clause


def prefixes() -> list[QueryPrefix]:
    """One prefix per validation state."""
    return [QueryPrefix(state, f"the image has the label and the crowd's state of it is {state}", state_clause(state))
            for state in STATES]
