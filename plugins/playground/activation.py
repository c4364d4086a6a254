"""What follows a version's activation: its validation questions and, with active learning, its uncertainty scores
(each a job of its own, run after the activation commits)."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import enqueue_job

from .jobs import SUGGEST, UNCERTAINTY
from .models import ModelVersion
from .settings import setting
from .suggestions import validate_loaded


def queue_follow_ups(request: Any, model: ModelVersion) -> None:
    """Queue the jobs a newly active ``model`` starts."""
    if validate_loaded(request):
        enqueue_job(request, SUGGEST, model_id=model.id)
    if setting(request, "playground.active_learning"):
        enqueue_job(request, UNCERTAINTY, model_id=model.id)
