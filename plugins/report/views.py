"""The report plugin's JSON API: reports, the moderation queue, decisions and their revert."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from imagemonkey.plugin import (
    get_visible_image,
    json_body,
    parse_id,
    read_cursor,
    read_limit,
    require_contributor,
    require_role,
)

from . import decisions, queue
from .queue_json import queue_json
from .reports import file_report, read_report, report_json


@view_config(route_name="report.reports", request_method="POST", renderer="json")
def create_report(request: Any) -> dict[str, Any]:
    """``{"reason", "note"}``: 201 with the report (200 when it updated the caller's open report)."""
    require_contributor(request)
    image = get_visible_image(request, request.matchdict["id"])
    reason, note = read_report(json_body(request))
    report, created = file_report(request, image, reason, note)
    request.response.status_int = 201 if created else 200
    return {"report": report_json(report)}


@view_config(route_name="report.queue", request_method="GET", renderer="json")
def moderation_queue(request: Any) -> dict[str, Any]:
    """A page of open queue items: ``?kind=&reason=&order=oldest|most_reported&limit=&cursor=``."""
    require_role(request, "moderator")
    kind, reason, order = queue.read_filters(request.params)
    items, next_cursor = queue.page(request.dbsession, kind=kind, reason=reason, order=order,
                                    cursor=read_cursor(request, queue.cursor_size(order)),
                                    limit=read_limit(request, default=20, maximum=100))
    return {"items": queue_json(request, items), "next_cursor": next_cursor}


@view_config(route_name="report.decisions", request_method="POST", renderer="json")
def create_decision(request: Any) -> dict[str, Any]:
    """``{"image_id", "decision", "reason"}``: 201 with the logged decision."""
    require_role(request, "moderator")
    image_id, decision, reason = decisions.read_decision(json_body(request))
    record = decisions.decide(request, image_id, decision, reason)
    request.response.status_int = 201
    return {"decision": decisions.decision_json(record)}


@view_config(route_name="report.decision_revert", request_method="POST", renderer="json")
def revert_decision(request: Any) -> dict[str, Any]:
    """Undo a decision: the image, its reports and the queue item are as they were before it."""
    require_role(request, "moderator")
    record = decisions.revert(request, parse_id(request.matchdict["id"], "decision"))
    return {"decision": decisions.decision_json(record)}
