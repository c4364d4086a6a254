"""Turning suggestions into real labels once the catalog has their names."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from ..models import Image, ImageLabel, ImageSuggestion, LabelSuggestion


def sync_suggestions(request: Any) -> dict[str, int]:
    """Give every image that got a now-known suggested name the real label; drop those suggestions.

    Returns ``{"suggestions": n, "labels": m}``: how many suggestions were resolved and
    how many image labels were created.
    """
    dbsession = request.dbsession
    catalog = request.registry["catalog"]
    resolved = [(row.id, name) for row in dbsession.scalars(select(LabelSuggestion))
                if (name := catalog.resolve(row.name)) is not None]
    created_total = 0
    for suggestion_id, label in resolved:
        rows = dbsession.execute(select(ImageSuggestion.image_id, ImageSuggestion.contributor_id)
                                 .where(ImageSuggestion.suggestion_id == suggestion_id)).all()
        for image_id, contributor_id in rows:
            exists = dbsession.scalar(select(ImageLabel.id).where(ImageLabel.image_id == image_id,
                                                                  ImageLabel.label == label))
            if exists is not None:
                continue
            image_label = ImageLabel(image_id=image_id, label=label, contributor_id=contributor_id)
            dbsession.add(image_label)
            dbsession.flush()
            dbsession.execute(update(Image).where(Image.id == image_id).values(label_count=Image.label_count + 1))
            request.registry.pm.hook.imagemonkey_image_labeled(
                request=request, image=dbsession.get(Image, image_id), image_labels=[image_label])
            created_total += 1
        dbsession.execute(delete(ImageSuggestion).where(ImageSuggestion.suggestion_id == suggestion_id))
        dbsession.execute(delete(LabelSuggestion).where(LabelSuggestion.id == suggestion_id))
    return {"suggestions": len(resolved), "labels": created_total}
