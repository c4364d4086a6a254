"""The similar-pictures index shared by hosts that share no data dir: its segments published to object storage.

With a blob store that keeps files (``file://``, the default) the segments in the data dir are the shared copy:
the writers save them, the readers memory-map them, and nothing here does anything. With object storage (S3: the
store's ``local_path`` is None) the web processes and workers may run on hosts with different data dirs, so:

* a writer (under its file lock) first replaces its local segments by the published ones where they differ
  (:func:`pull`): a fresh host starts from the stored index and adds only the newer embeddings. After saving, it
  uploads the segments it wrote (an update: only the newest one) streamed and records the list of segment blobs in
  ``playground_similar_index`` (one row per backbone version: :func:`publish`); the blobs no longer listed are
  deleted once that row has committed.
* a reader (:class:`~.index_holder.IndexHolder`) reads that row at most every interval (:func:`published_keys`);
  for each listed blob it holds no copy of, it downloads it streamed into ``<data_dir>/playground/`` under a name
  of its own per key (:func:`local_copies`: a temporary name renamed into place, copies of unlisted blobs removed)
  and maps them.

The manifest of a writer's segments names the blobs they equal (``keys``): a save drops them, a publish or a pull
writes them.
"""
from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import after_commit, fetch_file, insert_once, store_file

from .ann import AnnFile, read_manifest, segment_path, write_manifest
from .models import SharedIndex

#: a well-formed key no store holds: asking a store for its local path tells files from object storage
PROBE = "0" * 64
CONTENT_TYPE = "application/octet-stream"
BLOB_KEY = re.compile(r"[0-9a-f]{64}")


def on_object_storage(registry: Any) -> bool:
    """Whether the site's blob store keeps no files (``local_path`` is None), so hosts share the index through it."""
    try:
        return registry["blobstore"].local_path(PROBE) is None
    except KeyError:  # a store with files: it has no file for the probe
        return False


def published_keys(registry: Any, backbone: str) -> list[str] | None:
    """The blob keys of the segments of ``backbone``'s published index (None when none was published), read in a
    short session of its own (the query prefix and the jobs ask with the registry only)."""
    with registry["dbsession_factory"]() as session:
        keys = session.scalar(select(SharedIndex.blob_keys).where(SharedIndex.backbone == backbone))
    return None if keys is None else json.loads(keys)


def download(registry: Any, key: str, target: Path) -> None:
    """Blob ``key`` into ``target``, streamed to a temporary name and renamed into place (never half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        fetch_file(registry, key, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def copy_path(path: Path, key: str) -> Path:
    """Where a reader keeps its copy of published segment blob ``key`` of the index whose writer's file is
    ``path``."""
    return path.with_name(f"{path.stem}.{key}{path.suffix}")


def local_copies(registry: Any, path: Path, keys: list[str]) -> list[Path]:
    """This host's copies of the published segment blobs ``keys`` (downloaded unless another process here already
    did); copies of blobs no longer listed are removed (a process still mapping one keeps it until it lets go)."""
    targets = [copy_path(path, key) for key in keys]
    for key, target in zip(keys, targets, strict=True):
        if not target.exists():
            download(registry, key, target)
    for old in path.parent.glob(f"{path.stem}.*{path.suffix}"):
        if BLOB_KEY.fullmatch(old.name[len(path.stem) + 1:-len(path.suffix)]) and old not in targets:
            old.unlink(missing_ok=True)
    return targets


def pull(request: Any, backbone: str, path: Path) -> None:
    """A writer on object storage starts from the published index: each local segment that is not the published
    one is replaced by a download, and those past the published ones are removed."""
    if not on_object_storage(request.registry):
        return
    row = request.dbsession.get(SharedIndex, backbone)
    local = read_manifest(path).get("keys") or []
    if row is None or local == json.loads(row.blob_keys):
        return
    keys = json.loads(row.blob_keys)
    for number, key in enumerate(keys):
        if number >= len(local) or local[number] != key:
            download(request.registry, key, segment_path(path, number))
    stale = len(keys)
    while segment_path(path, stale).exists():
        segment_path(path, stale).unlink()
        stale += 1
    write_manifest(path, {"watermark": row.watermark, "count": row.count, "segments": len(keys), "keys": keys})


def locked_row(dbsession: Any, backbone: str) -> SharedIndex | None:
    """``backbone``'s row, locked until the transaction ends (two writers on two hosts publish one after the
    other, so each replaced blob is deleted exactly once)."""
    return dbsession.scalars(select(SharedIndex).where(SharedIndex.backbone == backbone).with_for_update()).first()


def publish(request: Any, backbone: str, ann: AnnFile, written: list[Path]) -> None:
    """On object storage: upload the segments just ``written`` (and any the published index lacks) streamed and
    make the list of segment blobs the published copy of ``backbone``; blobs it no longer lists are deleted after
    the commit."""
    if not on_object_storage(request.registry):
        return
    row = locked_row(request.dbsession, backbone)
    before = json.loads(row.blob_keys) if row is not None else []
    keys = []
    for number in range(len(ann.index.segments)):
        file = segment_path(ann.path, number)
        fresh = file in written or number >= len(before)
        keys.append(store_file(request, file, CONTENT_TYPE) if fresh else before[number])
    values = {"blob_keys": json.dumps(keys), "watermark": ann.watermark, "count": len(ann.index)}
    if row is not None or not insert_once(request.dbsession, SharedIndex(backbone=backbone, **values)):
        row = row or locked_row(request.dbsession, backbone)
        before = json.loads(row.blob_keys)
        for name, value in values.items():
            setattr(row, name, value)
        request.dbsession.flush()
    write_manifest(ann.path, {**read_manifest(ann.path), "keys": keys})
    replaced = [key for key in before if key not in keys]
    if replaced:
        store = request.registry["blobstore"]
        after_commit(request, lambda: [store.delete(key) for key in replaced])
