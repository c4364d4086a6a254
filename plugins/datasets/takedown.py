"""Takedowns: a released image that leaves the public dataset makes a new revision of each release holding it.

The status-change hook runs inside the transaction that changes the status: it adds a ``building`` revision
row (``previous_id``: the revision it replaces) and queues ``datasets.revise``, which sees the change once it is
committed. A revision already building for that version takes the image out too (it filters on the status when
it runs), so no second revision is queued for it; and every build ends with :func:`follow_up`, which queues the
next revision for images that left while it was being built (after its filter or snapshot had read them).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import Image, app_request, enqueue_job, insert_once

from .models import Release, ReleaseImage
from .snapshot import records

#: Reasons a moderator or the report plugin gives that may be named in CHANGES.md; anything else is not shown.
REASON_CLASSES = {"nudity", "violence", "hate", "personal", "copyright", "spam", "legal", "privacy", "other"}


def reason_class(new_status: str, reason: str | None) -> str:
    """What CHANGES.md may say about why: the new status, and a known reason class (never free text)."""
    word = (reason or "").strip().lower()
    return f"{new_status} ({word})" if word in REASON_CLASSES else new_status


def new_revision(request: Any, release: Release, reasons: dict[str, int]) -> None:
    """Add revision ``n + 1`` of ``release`` (building) and queue the job that builds it."""
    reason = ", ".join(sorted(reasons))
    revision = Release(version=release.version, revision=release.revision + 1, status="building",
                       query=release.query, formats=release.formats, include_unverified=release.include_unverified,
                       license=release.license, counts="{}", previous_id=release.id, reason=reason[:64],
                       created_by=release.created_by, created_at=release.created_at)
    if insert_once(request.dbsession, revision):
        revision.job_id = enqueue_job(request, "datasets.revise", release_id=revision.id, reasons=reasons)


def follow_up(registry: Any, release_id: int, snapshot: Path) -> None:
    """After a build: images in it that stopped being public while it was built (their status hook found no ready
    release to revise) make the next revision at once."""
    gone: dict[str, int] = {}
    with app_request(registry) as request:
        ids: list[int] = []
        for record in [*records(snapshot), None]:
            if record is not None:
                ids.append(record["id"])
            if ids and (record is None or len(ids) == 500):
                for status in request.dbsession.scalars(select(Image.status).where(Image.id.in_(ids),
                                                                                   Image.status != "public")):
                    gone[status] = gone.get(status, 0) + 1
                ids = []
        release = request.dbsession.get(Release, release_id)
        if gone and release is not None and release.status == "ready":
            new_revision(request, release, gone)


def image_left(request: Any, image: Any, new_status: str, reason: str | None) -> None:
    """Queue a revision of every release whose newest finished revision holds ``image``."""
    dbsession = request.dbsession
    holding = list(dbsession.scalars(select(Release).join(ReleaseImage, ReleaseImage.release_id == Release.id)
                                     .where(ReleaseImage.image_id == image.id, Release.status == "ready")))
    for release in holding:
        newest = dbsession.scalar(select(Release).where(Release.version == release.version)
                                  .order_by(Release.revision.desc()).limit(1))
        if newest is not release:
            continue  # a revision of this version is building: it filters this image out as well
        new_revision(request, release, {reason_class(new_status, reason): 1})
