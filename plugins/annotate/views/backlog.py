"""Why there is nothing to outline: ``GET /api/v1/annotate/backlog?label=`` (so the start page can say it)."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import select

from imagemonkey.plugin import ApiError

from .. import bridge
from ..models import Candidate


def _any(request: Any, *conditions: Any) -> bool:
    """Whether a candidate matches (an indexed probe with LIMIT 1, never a count)."""
    return request.dbsession.scalar(select(Candidate.image_label_id).where(*conditions).limit(1)) is not None


@view_config(route_name="annotate.backlog", request_method="GET", renderer="json")
def backlog(request: Any) -> dict[str, Any]:
    """``{"label", "validate_enabled", "ready", "waiting_for_validation"}``: open outline work, and what waits.

    With validate enabled only verified image labels are outline tasks; ``waiting_for_validation``
    tells the page to send people to validate first.
    """
    raw = request.params.get("label") or None
    label = None
    if raw is not None:
        label = request.registry["catalog"].resolve(raw)
        if label is None:
            raise ApiError(404, "unknown_label", f"{raw!r} is not in the label catalog.")
    narrowed = [Candidate.label == label] if label else []
    enabled = bridge.validate_enabled(request.registry)
    ready = _any(request, Candidate.done.is_(False), *narrowed, *([Candidate.eligible.is_(True)] if enabled else []))
    waiting = enabled and _any(request, Candidate.done.is_(False), Candidate.eligible.is_(False), *narrowed)
    return {"label": label, "validate_enabled": enabled, "ready": ready, "waiting_for_validation": waiting}
