"""The second half of every build: archives per format, metadata files, blobs, and the release's rows."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from imagemonkey.plugin import app_request, get_setting, store_file, utcnow, write

from .files import content_type
from .metadata import write_metadata
from .models import Release, ReleaseFile, ReleaseImage
from .snapshot import Summary, records
from .writers import WRITERS, WriteJob


class Meter:
    """Progress between ``start`` and ``end`` as items are done, sent at most twice a second."""

    def __init__(self, progress: Callable[[float, str | None], None], total: int, start: float, end: float,
                 message: str) -> None:
        self.progress, self.total, self.start, self.end, self.message = progress, max(total, 1), start, end, message
        self.done = 0
        self._sent = 0.0
        progress(start, message)

    def advance(self, count: int = 1) -> None:
        """``count`` more items done."""
        self.done += count
        now = time.monotonic()
        if now - self._sent >= 0.5:
            self._sent = now
            self.progress(self.start + (self.end - self.start) * min(self.done / self.total, 1.0), self.message)


def write_archives(registry: Any, release: Release, snapshot: Path, summary: Summary, work: Path,
                   progress: Callable[[float, str | None], None],
                   formats: list[str] | None = None) -> list[tuple[Path, str]]:
    """Every format's archives (or only ``formats``) into ``work/files``; returns ``(path, format)`` pairs."""
    formats = formats or release.formats.split()
    made: list[tuple[Path, str]] = []
    out = work / "files"
    out.mkdir(exist_ok=True)
    for i, name in enumerate(formats):
        start = 0.25 + 0.65 * i / len(formats)
        meter = Meter(progress, summary.counts["images"], start, start + 0.65 / len(formats), f"writing {name}")
        job = WriteJob(snapshot=snapshot, summary=summary, store=registry["blobstore"], work_dir=out,
                       revision=release.revision, license=release.license,
                       shard_images=get_setting(registry, "datasets.shard_images"), advance=meter.advance)
        made += [(path, name) for path in WRITERS[name](job)]
    return made


def finish(registry: Any, release_id: int, snapshot: Path, summary: Summary, work: Path,
           progress: Callable[[float, str | None], None], takedown: dict[str, Any] | None) -> dict[str, Any]:
    """Write, store and record every file of the release; a revision withdraws the revision it replaces."""
    with app_request(registry) as request:
        release = request.dbsession.get(Release, release_id)
        request.dbsession.expunge(release)
    archives = write_archives(registry, release, snapshot, summary, work, progress)
    progress(0.92, "writing the dataset card and checksums")
    files = archives + write_metadata(registry, release, snapshot, summary, work, archives, takedown)
    stored = [(path.name, kind, path.stat().st_size, store_file(registry, path, content_type(path.name)))
              for path, kind in files]
    snapshot_key = store_file(registry, snapshot, "application/jsonlines")
    progress(0.97, "recording the release")
    with app_request(registry) as request:
        write(request, insert(ReleaseFile), [{"release_id": release_id, "name": name, "format": kind, "bytes": size,
                                              "blob_key": key, "withdrawn": False} for name, kind, size, key in stored])
        batch: list[dict[str, int]] = []
        for record in records(snapshot):
            batch.append({"release_id": release_id, "image_id": record["id"]})
            if len(batch) == 1000:
                write(request, insert(ReleaseImage), batch)
                batch = []
        if batch:
            write(request, insert(ReleaseImage), batch)
        request.dbsession.execute(update(Release).where(Release.id == release_id).values(
            status="ready", digest=summary.digest, counts=json.dumps(summary.counts), snapshot_key=snapshot_key,
            finished_at=utcnow()))
        if release.previous_id is not None:
            withdraw(request, release.previous_id)
    return {"digest": summary.digest, "counts": summary.counts, "files": len(stored)}


def withdraw(request: Any, release_id: int) -> None:
    """Withdraw a revision: its state and files answer ``withdrawn``; its blobs no other file uses are deleted
    after the commit."""
    dbsession = request.dbsession
    dbsession.execute(update(Release).where(Release.id == release_id).values(status="withdrawn"))
    dbsession.execute(update(ReleaseFile).where(ReleaseFile.release_id == release_id).values(withdrawn=True))
    keys = set(dbsession.scalars(select(ReleaseFile.blob_key).where(ReleaseFile.release_id == release_id)))
    used = set(dbsession.scalars(select(ReleaseFile.blob_key).where(ReleaseFile.blob_key.in_(keys),
                                                                     ReleaseFile.withdrawn.is_(False))))
    gone = sorted(keys - used)
    store = request.registry["blobstore"]

    def delete() -> None:
        for key in gone:
            store.delete(key)
    from imagemonkey.plugin import after_commit

    after_commit(request, delete)
