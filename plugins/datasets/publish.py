"""The second half of every build: archives per format, metadata files, blobs, and the release's rows."""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from imagemonkey.plugin import app_request, get_setting, store_file, utcnow, write

from .card import dataset_card, summary_text
from .changes import changes_md, diff
from .citation import ReleaseInfo, citation_cff
from .croissant import croissant
from .geometry import instances
from .models import Release, ReleaseFile, ReleaseImage
from .snapshot import Summary, records
from .writers import WRITERS, WriteJob
from .writers.common import file_name

CONTENT_TYPES = {".jsonl": "application/jsonlines",
                 ".zip": "application/zip", ".tar": "application/x-tar", ".md": "text/markdown; charset=utf-8",
                 ".json": "application/json", ".cff": "text/yaml; charset=utf-8", "SUMS": "text/plain; charset=utf-8"}


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


_HASHED: dict[tuple[str, int, int], str] = {}


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in chunks (remembered by path, size and mtime while the build lasts)."""
    stat = path.stat()
    memo = (str(path), stat.st_size, stat.st_mtime_ns)
    if memo in _HASHED:
        return _HASHED[memo]
    if len(_HASHED) > 1000:
        _HASHED.clear()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    _HASHED[memo] = digest.hexdigest()
    return _HASHED[memo]


def fetch_blob(registry: Any, key: str, target: Path) -> Path:
    """A local file holding blob ``key`` (the store's own file when it has files)."""
    store = registry["blobstore"]
    local = store.local_path(key)
    if local is not None:
        return Path(local)
    target.write_bytes(store.get(key))
    return target


def trust_rule(registry: Any) -> str:
    """How a label becomes verified here, in words."""
    hook = getattr(registry.pm.hook, "validate_states", None)
    if hook is None or not hook.has_spec():
        return ("this site runs without the validate plugin, so no label is verified by votes; every label is "
                "as its contributor gave it.")
    return (f"contributors answer yes, no or unsure to \"is there a … in this picture?\". Each answer is weighted "
            f"by how reliable that contributor has been (agreement with settled answers). A label is verified when, "
            f"after at least {get_setting(registry, 'validate.min_votes')} votes, the weighted answers make it at "
            f"least {get_setting(registry, 'validate.verify_confidence'):.0%} likely to be right, and rejected when "
            "they make it that likely to be wrong. Contested labels stay open.")


def release_info(registry: Any, release: Release, digest: str) -> ReleaseInfo:
    return ReleaseInfo(version=release.version, revision=release.revision,
                       date=release.created_at.strftime("%Y-%m-%d"), license=release.license,
                       title=get_setting(registry, "datasets.citation_title"),
                       authors=get_setting(registry, "datasets.citation_authors"),
                       url=get_setting(registry, "datasets.url") or "https://imagemonkey.io",
                       digest=digest, query=release.query, include_unverified=release.include_unverified)


def _against(registry: Any, release: Release) -> tuple[str | None, str | None]:
    """The release CHANGES.md compares with (its name and snapshot key): the previous revision, else the newest
    ready release made before this one."""
    with app_request(registry) as request:
        if release.previous_id is not None:
            other = request.dbsession.get(Release, release.previous_id)
        else:
            other = request.dbsession.scalar(select(Release).where(
                Release.status.in_(("ready", "withdrawn")), Release.id < release.id, Release.snapshot_key.is_not(None))
                .order_by(Release.id.desc()).limit(1))
        if other is None or other.snapshot_key is None:
            return None, None
        return f"{other.version} (revision {other.revision})", other.snapshot_key


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


def write_metadata(registry: Any, release: Release, snapshot: Path, summary: Summary, work: Path,
                   archives: list[tuple[Path, str]], takedown: dict[str, Any] | None) -> list[tuple[Path, str]]:
    """README.md, images.jsonl, croissant.json, CITATION.cff, CHANGES.md and SHA256SUMS next to the archives."""
    out = work / "files"
    info = release_info(registry, release, summary.digest)
    listed = [{"name": path.name, "bytes": path.stat().st_size, "sha256": sha256_of(path)} for path, _ in archives]
    write_index(snapshot, out / "images.jsonl")
    index = {"name": "images.jsonl", "bytes": (out / "images.jsonl").stat().st_size,
             "sha256": sha256_of(out / "images.jsonl")}
    (out / "README.md").write_text(dataset_card(info, summary, release.formats.split(), trust_rule(registry)),
                                   encoding="utf-8")
    (out / "croissant.json").write_text(json.dumps(croissant(info, summary_text(info, summary), index, listed),
                                                   indent=2) + "\n", encoding="utf-8")
    (out / "CITATION.cff").write_text(citation_cff(info), encoding="utf-8")
    against, key = _against(registry, release)
    found = diff(fetch_blob(registry, key, work / "against.jsonl"), snapshot) if key else None
    (out / "CHANGES.md").write_text(changes_md(release.version, release.revision, against, found, takedown),
                                    encoding="utf-8")
    meta = [(out / name, "metadata") for name in ("README.md", "images.jsonl", "croissant.json", "CITATION.cff",
                                                  "CHANGES.md")]
    sums = "".join(f"{sha256_of(path)}  {path.name}\n" for path, _ in sorted(archives + meta, key=lambda a: a[0].name))
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return meta + [(out / "SHA256SUMS", "metadata")]


def write_index(snapshot: Path, target: Path) -> None:
    """``images.jsonl``: one line per image (id, file name, size, format, sha256, labels with their state, and
    outlines as boxes and polygons), the release's index that needs no archive (Croissant's record set)."""
    with open(target, "w", encoding="utf-8") as out:
        for record in records(snapshot):
            out.write(json.dumps({
                "image_id": record["id"], "file_name": file_name(record), "width": record["width"],
                "height": record["height"], "format": record["format"], "sha256": record["sha256"],
                "labels": [{"label": label["label"], "state": label["state"]} for label in record["labels"]],
                "objects": [{"label": label, "bbox": list(box), "polygon": [list(p) for p in points]}
                            for label, points, box in instances(record)],
            }, sort_keys=True, separators=(",", ":")) + "\n")


def content_type(path: Path) -> str:
    """The MIME type a release file is stored and served with."""
    return next((kind for suffix, kind in CONTENT_TYPES.items() if path.name.endswith(suffix)),
                "application/octet-stream")


def finish(registry: Any, release_id: int, snapshot: Path, summary: Summary, work: Path,
           progress: Callable[[float, str | None], None], takedown: dict[str, Any] | None) -> dict[str, Any]:
    """Write, store and record every file of the release; a revision withdraws the revision it replaces."""
    with app_request(registry) as request:
        release = request.dbsession.get(Release, release_id)
        request.dbsession.expunge(release)
    archives = write_archives(registry, release, snapshot, summary, work, progress)
    progress(0.92, "writing the dataset card and checksums")
    files = archives + write_metadata(registry, release, snapshot, summary, work, archives, takedown)
    stored = [(path.name, kind, path.stat().st_size, store_file(registry, path, content_type(path)))
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
