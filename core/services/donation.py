"""Donating an image: checks, exact and near duplicates, blobs, the row, labels, the log and the hook."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..errors import ApiError, invalid
from ..images.process import ProcessedImage, process_upload
from ..inputs import HTTP_URL, MAX_URL_LENGTH, bad_text
from ..models import Image, ImageNearDuplicate
from . import contributions, labeling
from .counters import count_public, count_status
from .near_duplicates import band_columns, find_near_duplicates, stored_hash
from .visibility import can_see


@dataclass
class Donation:
    """What a donation turned into: the image, and whether it was already stored."""

    image: Image | None  # None: a duplicate of an image the donor may not see (it is not revealed)
    duplicate: bool
    suggested: list[str]


def clean_url(value: Any, field: str) -> str | None:
    """An optional http(s) URL of bounded length, or a 422 naming the field."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > MAX_URL_LENGTH or bad_text(value):
        raise invalid(f"{field} must be an http or https URL of at most {MAX_URL_LENGTH} characters.", field=field)
    if not HTTP_URL.fullmatch(value):  # the pattern the OpenAPI document states
        raise invalid(f"{field} must be an http or https URL.", field=field, code="invalid_url")
    return value


def blocked() -> ApiError:
    """The answer for content a moderator removed."""
    return ApiError(403, "blocked", "This image was removed from the dataset and cannot be donated again.")


def existing_for(dbsession: Any, *keys: str) -> Image | None:
    """An image stored from these exact bytes (as uploaded, or as we serve its original)."""
    return dbsession.scalar(select(Image).where(or_(Image.upload_sha256.in_(keys), Image.original_key.in_(keys)))
                            .limit(1))


def donate(request: Any, data: bytes, labels: list[str], source_url: str | None, page_url: str | None) -> Donation:
    """Store a donation (or recognise it as a duplicate) and label it."""
    dbsession = request.dbsession
    settings = request.registry.settings
    upload_sha = hashlib.sha256(data).hexdigest()
    image = existing_for(dbsession, upload_sha)
    if image is None:
        processed = process_upload(data, max_pixels=int(settings["imagemonkey.max_pixels"]),
                                   budget=request.registry["pixel_budget"])
        original_sha = hashlib.sha256(processed.original.data).hexdigest()
        image = existing_for(dbsession, original_sha)
        if image is None:
            image = _store_new(request, processed, source_url, page_url)
            if image is not None:
                return _finish(request, image, labels, duplicate=False)
            # a concurrent donation stored the same upload or the same original first (unique constraints)
            image = existing_for(dbsession, upload_sha, original_sha)
    if image is None or image.status == "removed":
        raise blocked()
    if not can_see(request.contributor, image):
        # not revealed, but announced: a plugin may refuse the copy (report blocks a picture a moderator removed)
        request.registry.pm.hook.imagemonkey_image_donated(request=request, image=image, duplicate=True)
        return Donation(image=None, duplicate=True, suggested=[])
    return _finish(request, image, labels, duplicate=True)


def _finish(request: Any, image: Image, labels: list[str], *, duplicate: bool) -> Donation:
    if not duplicate:
        contributions.record(request, "image.donate", image.id)
    _, suggested = labeling.add_labels(request, image, labels) if labels else ([], [])
    request.registry.pm.hook.imagemonkey_image_donated(request=request, image=image, duplicate=duplicate)
    return Donation(image=image, duplicate=duplicate, suggested=suggested)


def _store_new(request: Any, processed: ProcessedImage, source_url: str | None, page_url: str | None) -> Image | None:
    """Insert a new image; None when a concurrent request stored the same bytes first."""
    dbsession = request.dbsession
    settings = request.registry.settings
    distance = int(settings["imagemonkey.near_duplicate_distance"])
    near = find_near_duplicates(dbsession, processed.phash, distance)
    if any(status == "removed" for _, _, status in near):
        raise blocked()
    store = request.registry["blobstore"]
    keys = {name: store.put(rendition.data, rendition.content_type)
            for name, rendition in (("original", processed.original), ("medium", processed.medium),
                                    ("thumb", processed.thumb))}
    status = "public" if settings["imagemonkey.moderation"] == "post" else "pending"
    image = Image(status=status, format=processed.format, width=processed.width, height=processed.height,
                  upload_sha256=processed.upload_sha256, original_key=keys["original"], medium_key=keys["medium"],
                  thumb_key=keys["thumb"], phash=stored_hash(processed.phash), source_url=source_url,
                  page_url=page_url, donor_id=request.contributor.id, label_count=0, **band_columns(processed.phash))
    try:
        with dbsession.begin_nested():
            dbsession.add(image)
            dbsession.flush()
    except IntegrityError:
        return None
    # counted as stored, before any hook moves it on (report holds it for screening: a status change)
    count_status(dbsession, None, image.status)
    if image.status == "public":
        count_public(dbsession, image, 1)
    for other_id, dist, _ in near:
        dbsession.add(ImageNearDuplicate(image_id=image.id, other_image_id=other_id, distance=dist))
    return image
