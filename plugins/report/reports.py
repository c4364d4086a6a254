"""Filing a report: one open report per contributor and image, weighted, rate-limited, maybe hiding the image."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import ApiError, Image, invalid, isoformat, record_contribution, utcnow

from .models import Report
from .quarantine import apply_score
from .queue import open_item, refresh_reports
from .settings import REASONS, Policy
from .weighting import capped_weight, reporter_of, weight_used_this_hour

NOTE_MAX = 500


def read_report(body: dict[str, Any]) -> tuple[str, str | None]:
    """``reason`` and ``note`` of a report body, or a 4xx."""
    reason, note = body.get("reason"), body.get("note")
    if reason not in REASONS:
        raise invalid(f"reason must be one of {', '.join(REASONS)}.", field="reason")
    if note is not None and not isinstance(note, str):
        raise invalid("note must be a string.", field="note")
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX:
        raise invalid(f"note must be at most {NOTE_MAX} characters.", field="note")
    if reason == "other" and note is None:
        raise invalid("A report for another reason needs a short note.", field="note")
    return reason, note


def file_report(request: Any, image: Image, reason: str, note: str | None, *,
                now: datetime | None = None) -> tuple[Report, bool]:
    """Create (or update) the caller's report on ``image``; returns it and whether it is new.

    ``now`` is the time of the report (default: the current time); a replay or simulation passes its own.
    """
    now = now or utcnow()
    policy = Policy.of(request)
    contributor = request.contributor
    dbsession = request.dbsession
    report = dbsession.scalar(select(Report).where(Report.image_id == image.id,
                                                   Report.contributor_id == contributor.id).with_for_update())
    count, used = weight_used_this_hour(request, contributor.id, report.id if report is not None else None, now)
    created = report is None or report.state != "open"
    if created and count >= policy.max_per_hour and not contributor.has_role("moderator"):
        raise ApiError(429, "rate_limited", f"At most {policy.max_per_hour} reports an hour; try again later.",
                       headers={"Retry-After": "3600"}, retry_after=3600)
    reporter = reporter_of(request, policy, contributor, now)
    if report is None:
        report = Report(image_id=image.id, contributor_id=contributor.id)
        dbsession.add(report)
    if created:
        report.weight = capped_weight(policy, reporter, used)
        report.fresh, report.moderator, report.state, report.decision_id = (reporter.fresh, reporter.moderator,
                                                                             "open", None)
        report.created_at = now
    report.reason, report.note = reason, note
    dbsession.flush()
    item = open_item(dbsession, image, "reported")
    dbsession.flush()
    refresh_reports(dbsession, policy, item)
    apply_score(request, policy, image, item)
    record_contribution(request, "report.report", report.id)
    return report, created


def report_json(report: Report) -> dict[str, Any]:
    """The API's view of a report."""
    return {"id": str(report.id), "image_id": str(report.image_id), "reason": report.reason, "note": report.note,
            "state": report.state, "created_at": isoformat(report.created_at)}
