"""Validate's contribution log entries in words: ``validate.vote`` (its target is ``<subject kind>:<id>``)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .models import Subject

KINDS = {"validate.vote": "answers"}
QUESTION = {"image_label": 'Answered whether image {image} shows "{label}"',
            "annotation": 'Judged an outline of "{label}" on image {image}'}


def describe_votes(dbsession: Any, documents: list[dict[str, Any]]) -> None:
    """Each vote's question and a link to its picture: one query per subject kind on the page."""
    wanted: dict[str, list[tuple[dict[str, Any], int]]] = {}
    for doc in documents:
        kind, _, raw = str(doc["target_id"]).partition(":")
        if doc["kind"] == "validate.vote" and raw.isdigit():
            wanted.setdefault(kind, []).append((doc, int(raw)))
    for kind, entries in wanted.items():
        found = {row.subject_id: row for row in dbsession.execute(
            select(Subject.subject_id, Subject.image_id, Subject.label)
            .where(Subject.kind == kind, Subject.subject_id.in_([subject for _, subject in entries])))}
        for doc, subject in entries:
            row = found.get(subject)
            if row is None:
                doc["text"] = "Answered a question about something since removed"
                continue
            text = QUESTION.get(kind, "Answered a question about image {image}")
            doc["text"], doc["url"] = text.format(image=row.image_id, label=row.label), f"/images/{row.image_id}"
