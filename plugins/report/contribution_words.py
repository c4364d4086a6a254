"""The report plugin's contribution log entries in words: reports (target: a report) and moderators' decisions
and their undoing (target: a decision)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .models import Decision, Report

KINDS = {"report.report": "reports", "report.decision": "moderation decisions",
         "report.decision_revert": "decisions undone"}
DECIDED = {"keep": "Kept image {image}", "remove": "Removed image {image}",
           "remove_and_revert": "Removed image {image} and reverted its donor"}


def _rows(dbsession: Any, model: Any, documents: list[dict[str, Any]], *columns: Any) -> dict[int, Any]:
    ids = [int(doc["target_id"]) for doc in documents if str(doc["target_id"]).isdigit()]
    if not ids:
        return {}
    return {row.id: row for row in dbsession.execute(select(model.id, model.image_id, *columns)
                                                     .where(model.id.in_(ids)))}


def _report_text(doc: dict[str, Any], row: Any) -> str:
    return f"Reported image {row.image_id} ({row.reason})"


def _decision_text(doc: dict[str, Any], row: Any) -> str:
    decided = DECIDED.get(row.decision, "Decided on image {image}").format(image=row.image_id)
    return decided if doc["kind"] == "report.decision" else f"Undid: {decided[0].lower()}{decided[1:]}"


def describe(dbsession: Any, documents: list[dict[str, Any]]) -> None:
    """Each entry's picture (and reason or decision), linked to the picture: one query per table for the page."""
    for kinds, model, column, text, gone in (
            (("report.report",), Report, Report.reason, _report_text, "Reported a picture since withdrawn"),
            (("report.decision", "report.decision_revert"), Decision, Decision.decision, _decision_text,
             "Moderated a picture")):
        entries = [doc for doc in documents if doc["kind"] in kinds]
        rows = _rows(dbsession, model, entries, column)
        for doc in entries:
            row = rows.get(int(doc["target_id"])) if str(doc["target_id"]).isdigit() else None
            if row is None:
                doc["text"] = gone
            else:
                doc["text"], doc["url"] = text(doc, row), f"/images/{row.image_id}"
