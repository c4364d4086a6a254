"""Annotate's contribution log entries in words: outlines drawn (target: an annotation), image labels skipped or
said to be impossible to outline (target: an image label)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import ImageLabel

from .models import Annotation

KINDS = {"annotate.revision": "outlines", "annotate.skip": "outlines skipped",
         "annotate.not_annotatable": "labels that cannot be outlined"}
TEXT = {"annotate.revision": 'Outlined "{label}" on image {image}',
        "annotate.skip": 'Skipped outlining "{label}" on image {image}',
        "annotate.not_annotatable": 'Said "{label}" on image {image} cannot be outlined'}
GONE = "Worked on an outline since removed"


def _ids(documents: list[dict[str, Any]]) -> list[int]:
    return [int(doc["target_id"]) for doc in documents if str(doc["target_id"]).isdigit()]


def describe(dbsession: Any, documents: list[dict[str, Any]]) -> None:
    """Each entry's label and picture, linked to the picture: one query per target table for the page."""
    drawn = [doc for doc in documents if doc["kind"] == "annotate.revision"]
    marked = [doc for doc in documents if doc["kind"] in ("annotate.skip", "annotate.not_annotatable")]
    for entries, model in ((drawn, Annotation), (marked, ImageLabel)):
        if not entries:
            continue
        rows = {row.id: row for row in dbsession.execute(
            select(model.id, model.image_id, model.label).where(model.id.in_(_ids(entries))))}
        for doc in entries:
            row = rows.get(int(doc["target_id"])) if str(doc["target_id"]).isdigit() else None
            if row is None:
                doc["text"] = GONE
            else:
                doc["text"] = TEXT[doc["kind"]].format(label=row.label, image=row.image_id)
                doc["url"] = f"/images/{row.image_id}"
