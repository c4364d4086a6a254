"""Report's hook implementations: core's hooks and its own screener."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import JobSpec, get_setting, hookimpl

from . import contribution_words
from .blocking import check_not_removed
from .merge import merge_contributor
from .models import QueueItem
from .nudenet_screener import NudeNetScreener
from .openapi import PATHS
from .pages import page_slots
from .queue import open_item
from .revert import revert_reports
from .screening import await_screening, screen_job, screening_failed
from .settings import REASON_TITLES, REASONS
from .statistics import report_statistics
from .task_filter import task_clause


@hookimpl
def report_screeners(registry: Any) -> list[Any]:
    if not get_setting(registry, "report.screening"):
        return []
    return [NudeNetScreener(get_setting(registry, "report.nudenet_classes"),
                            get_setting(registry, "report.nudenet_threshold"))]


@hookimpl
def imagemonkey_jobs() -> list[Any]:
    return [JobSpec("report.screen", screen_job, on_failure=screening_failed,
                    description="Screen a donation and route it (quarantine, queue or unlock).")]


@hookimpl
def imagemonkey_image_donated(request: Any, image: Any, duplicate: bool) -> None:
    check_not_removed(request, image, duplicate)
    if duplicate:
        return
    if image.status == "pending":
        open_item(request.dbsession, image, "pending")
    if get_setting(request, "report.screening"):
        await_screening(request, image)


@hookimpl
def imagemonkey_image_status_changed(request: Any, image: Any, old_status: str, new_status: str,
                                     reason: str | None) -> None:
    """Keep the queue item in step when someone else moves the image (core's status endpoint, a revert)."""
    if new_status == "quarantined":
        return
    item = request.dbsession.scalar(select(QueueItem).where(QueueItem.image_id == image.id))
    if item is None:
        return
    item.hidden = False  # this plugin clears it itself before it moves an image; anyone else's move ends the hold
    if new_status == "removed":
        item.is_open = False


@hookimpl
def imagemonkey_revert_contributor(request: Any, contributor: Any) -> dict[str, int]:
    return {"report.report": revert_reports(request, contributor)}


@hookimpl
def imagemonkey_statistics(request: Any) -> dict[str, Any]:
    return {"report": report_statistics(request.dbsession)}


@hookimpl
def imagemonkey_extension_actions(request: Any) -> list[dict[str, Any]]:
    return [{"id": "report", "title": "Report", "contexts": ["popup"], "kind": "report", "method": "POST",
             "api": "/api/v1/images/{image_id}/reports",
             "reasons": [{"value": value, "title": REASON_TITLES[value]} for value in REASONS]}]


@hookimpl
def imagemonkey_openapi_paths() -> dict[str, Any]:
    return PATHS


@hookimpl
def imagemonkey_task_image_filter(request: Any, image_id: Any) -> Any:
    return task_clause(request, image_id)


@hookimpl
def imagemonkey_page_slots(request: Any, page: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    return page_slots(request, page, context)


@hookimpl
def imagemonkey_contribution_kinds() -> dict[str, str]:
    return contribution_words.KINDS


@hookimpl
def imagemonkey_describe_contributions(request: Any, documents: list[dict[str, Any]]) -> None:
    contribution_words.describe(request.dbsession, documents)


@hookimpl
def imagemonkey_contributor_merged(request: Any, source_id: int, target_id: int) -> dict[str, int]:
    """A claim on log-in: the anonymous contributor's reports and standing become the account's."""
    return merge_contributor(request, source_id, target_id)
