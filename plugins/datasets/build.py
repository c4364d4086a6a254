"""Building a release (a job): snapshot, then every format's archives, the metadata files, and the rows.

``build_release`` snapshots the database in one read transaction; ``revise_release`` makes the next revision
of a release from its previous revision's snapshot without the images taken down since. Both then go through
:func:`finish`: archives and metadata are written into a work folder under the data dir, stored in the blob
store, and recorded in one short transaction.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from imagemonkey.plugin import Image, app_request, get_setting, query_clause, utcnow

from . import publish
from .files import fetch_blob
from .models import Release
from .snapshot import filter_snapshot, summarize, write_snapshot
from .takedown import follow_up

Progress = Callable[[float, str | None], None]


def work_dir(registry: Any) -> Path:
    """A fresh folder for one build, under the data dir (big archives never go to a small /tmp)."""
    root = Path(get_setting(registry, "imagemonkey.data_dir")) / "datasets-work"
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=root))


def _fail(registry: Any, release_id: int, error: BaseException) -> None:
    with app_request(registry) as request:
        request.dbsession.execute(update(Release).where(Release.id == release_id).values(
            status="failed", error=f"{type(error).__name__}: {error}"[:2000], finished_at=utcnow()))


def build_release(registry: Any, release_id: int, progress: Progress) -> dict[str, Any]:
    """Build release ``release_id`` (state ``building``) from the live database; returns its counts and digest."""
    work = work_dir(registry)
    try:
        with app_request(registry) as request:  # one read transaction: a consistent snapshot
            release = request.dbsession.get(Release, release_id)
            if release is None or release.status != "building":
                return {"skipped": True}
            where = query_clause(request, release.query) if release.query else None
            total = request.dbsession.scalar(select(func.count()).select_from(Image).where(
                Image.status == "public", *([where] if where is not None else []))) or 0
            meter = publish.Meter(progress, total, 0.0, 0.25, "reading the dataset")
            write_snapshot(request, work / "snapshot.jsonl", where=where,
                           include_unverified=release.include_unverified,
                           batch=get_setting(registry, "datasets.batch_images"), progress=meter.advance)
        result = publish.finish(registry, release_id, work / "snapshot.jsonl",
                                summarize(work / "snapshot.jsonl"), work, progress, takedown=None)
        follow_up(registry, release_id, work / "snapshot.jsonl")
        return result
    except BaseException as error:
        _fail(registry, release_id, error)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _still_public(registry: Any) -> Callable[[list[int]], set[int]]:
    def keep(ids: list[int]) -> set[int]:
        with app_request(registry) as request:
            return set(request.dbsession.scalars(select(Image.id).where(Image.id.in_(ids),
                                                                          Image.status == "public")))
    return keep


def revise_release(registry: Any, release_id: int, reasons: dict[str, int], progress: Progress) -> dict[str, Any]:
    """Build revision ``release_id`` (state ``building``, ``previous_id`` the revision it replaces) from that
    revision's snapshot without the images that are no longer public."""
    work = work_dir(registry)
    try:
        with app_request(registry) as request:
            release = request.dbsession.get(Release, release_id)
            if release is None or release.status != "building":
                return {"skipped": True}
            previous = request.dbsession.get(Release, release.previous_id)
            snapshot_key = previous.snapshot_key if previous is not None else None
        if snapshot_key is None:
            raise RuntimeError("the revised release has no snapshot")
        progress(0.05, "taking images out")
        old = fetch_blob(registry, snapshot_key, work / "previous.jsonl")
        dropped = filter_snapshot(old, work / "snapshot.jsonl", _still_public(registry))
        takedown = {"images": len(dropped), "reasons": reasons}
        result = publish.finish(registry, release_id, work / "snapshot.jsonl",
                                summarize(work / "snapshot.jsonl"), work, progress, takedown=takedown)
        follow_up(registry, release_id, work / "snapshot.jsonl")
        return result
    except BaseException as error:
        _fail(registry, release_id, error)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
