"""JSON forms of images and image labels, in batches (one query per kind of data, never per row)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select

from ..models import Contributor, Image, ImageLabel, ImageNearDuplicate
from ..models.types import isoformat
from ..urls import public_route_url
from .captions import caption_json, settled_captions
from .visibility import visible_clause

SIZES = ("original", "medium", "thumb")


def image_labels_json(request: Any, image_labels: list[ImageLabel]) -> list[dict[str, Any]]:
    """ImageLabel documents, with the fields plugins add through ``imagemonkey_serialize_image_labels``."""
    documents = [{"id": str(il.id), "image_id": str(il.image_id), "label": il.label,
                  "created_at": isoformat(il.created_at)} for il in image_labels]
    if image_labels:
        request.registry.pm.hook.imagemonkey_serialize_image_labels(
            request=request, image_labels=image_labels, documents=documents)
    return documents


def near_duplicates(dbsession: Any, image_ids: Iterable[int], contributor: Contributor | None) -> dict[int, list[int]]:
    """For each id, the ids of its near duplicates (both directions) that ``contributor`` may see."""
    ids = list(image_ids)
    found: dict[int, list[int]] = {image_id: [] for image_id in ids}
    if not ids:
        return found
    rows = dbsession.execute(select(ImageNearDuplicate.image_id, ImageNearDuplicate.other_image_id).where(
        or_(ImageNearDuplicate.image_id.in_(ids), ImageNearDuplicate.other_image_id.in_(ids)))).all()
    if not rows:  # the usual case; an empty IN would make SQLite scan every image (about 200 ms at 1M)
        return found
    others = {other for pair in rows for other in pair}
    visible = set(dbsession.scalars(select(Image.id).where(Image.id.in_(others), visible_clause(contributor))))
    for a, b in rows:
        if a in found and b in visible:
            found[a].append(b)
        if b in found and a in visible:
            found[b].append(a)
    return found


def images_json(request: Any, images: list[Image]) -> list[dict[str, Any]]:
    """Image documents for ``images`` (labels and near duplicates loaded in batches), with plugins' fields."""
    ids = [image.id for image in images]
    labels_by_image: dict[int, list[ImageLabel]] = {image_id: [] for image_id in ids}
    if ids:
        for il in request.dbsession.scalars(select(ImageLabel).where(ImageLabel.image_id.in_(ids))
                                            .order_by(ImageLabel.id)):
            labels_by_image[il.image_id].append(il)
    all_labels = [il for image_id in ids for il in labels_by_image[image_id]]
    label_docs = iter(image_labels_json(request, all_labels))
    contributor = request.contributor
    dups = near_duplicates(request.dbsession, ids, contributor)
    moderator = contributor is not None and contributor.has_role("moderator")
    settled = settled_captions(request.dbsession, ids)
    documents = []
    for image in images:
        doc: dict[str, Any] = {
            "id": str(image.id), "width": image.width, "height": image.height, "format": image.format,
            "status": image.status, "created_at": isoformat(image.created_at),
            "urls": {size: public_route_url(request, "api.image_file", id=image.id, _query={"size": size})
                     for size in SIZES},
            "labels": [next(label_docs) for _ in labels_by_image[image.id]],
            "near_duplicates": [str(other) for other in sorted(dups[image.id])],
            "caption": caption_json(settled[image.id]) if image.id in settled else None,
        }
        if moderator or (contributor is not None and image.donor_id == contributor.id):
            doc["source_url"] = image.source_url
            doc["page_url"] = image.page_url
        documents.append(doc)
    if images:
        request.registry.pm.hook.imagemonkey_serialize_images(request=request, images=images, documents=documents)
    return documents


def image_json(request: Any, image: Image) -> dict[str, Any]:
    """One image document."""
    return images_json(request, [image])[0]
