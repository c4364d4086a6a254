"""The similar-pictures index shared by hosts that share no data dir: published to object storage.

With a blob store that keeps files (``file://``, the default) the index file in the data dir is the shared copy:
the writers save it, the readers memory-map it, and nothing here does anything. With object storage (S3: the store's
``local_path`` is None) the web processes and workers may run on hosts with different data dirs, so:

* a writer (under its file lock) first replaces its local file by the published copy when that is another one
  (:func:`pull`): a fresh host starts from the stored index and adds only the newer embeddings. After saving, it
  uploads the file streamed and records it in ``playground_similar_index`` (one row per backbone version:
  :func:`publish`); the blob it replaced is deleted once that row has committed.
* a reader (:class:`~.index_holder.IndexHolder`) reads that row at most every interval (:func:`published_key`); when
  the key is not the one it holds it downloads the blob streamed into ``<data_dir>/playground/`` under a name of
  its own per key (:func:`local_copy`: a temporary name renamed into place, older copies removed) and maps it.

The JSON beside a writer's file names the blob it equals (``key``): a save clears it, a publish or a pull sets it.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import after_commit, fetch_file, insert_once, store_file

from .ann import AnnFile, read_meta, write_meta
from .models import SharedIndex

#: a well-formed key no store holds: asking a store for its local path tells files from object storage
PROBE = "0" * 64
CONTENT_TYPE = "application/octet-stream"


def on_object_storage(registry: Any) -> bool:
    """Whether the site's blob store keeps no files (``local_path`` is None), so hosts share the index through it."""
    try:
        return registry["blobstore"].local_path(PROBE) is None
    except KeyError:  # a store with files: it has no file for the probe
        return False


def published_key(registry: Any, backbone: str) -> str | None:
    """The blob key of ``backbone``'s published index (None when none was published), read in a short session of
    its own (the query prefix and the jobs ask with the registry only)."""
    with registry["dbsession_factory"]() as session:
        return session.scalar(select(SharedIndex.blob_key).where(SharedIndex.backbone == backbone))


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
    """Where a reader keeps its copy of published blob ``key`` of the index whose writer's file is ``path``."""
    return path.with_name(f"{path.stem}.{key}{path.suffix}")


def local_copy(registry: Any, path: Path, key: str) -> Path:
    """This host's copy of published blob ``key`` (downloaded unless another process here already did); the
    copies of older keys are removed (a process still mapping one keeps it until it lets go)."""
    target = copy_path(path, key)
    if not target.exists():
        download(registry, key, target)
    for old in path.parent.glob(f"{path.stem}.*{path.suffix}"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def pull(request: Any, backbone: str, path: Path) -> None:
    """A writer on object storage starts from the published index when its local file is not that copy."""
    if not on_object_storage(request.registry):
        return
    row = request.dbsession.get(SharedIndex, backbone)
    if row is None or read_meta(path).get("key") == row.blob_key:
        return
    download(request.registry, row.blob_key, path)
    write_meta(path, row.watermark, row.count, row.blob_key)


def locked_row(dbsession: Any, backbone: str) -> SharedIndex | None:
    """``backbone``'s row, locked until the transaction ends (two writers on two hosts publish one after the
    other, so each replaced blob is deleted exactly once)."""
    return dbsession.scalars(select(SharedIndex).where(SharedIndex.backbone == backbone).with_for_update()).first()


def publish(request: Any, backbone: str, ann: AnnFile) -> None:
    """On object storage: upload the saved index streamed and make it the published copy of ``backbone``; the
    blob it replaces is deleted after the commit."""
    if not on_object_storage(request.registry):
        return
    key = store_file(request, ann.path, CONTENT_TYPE)
    values = {"blob_key": key, "watermark": ann.watermark, "count": len(ann.index)}
    row = locked_row(request.dbsession, backbone)
    replaced = None
    if row is not None or not insert_once(request.dbsession, SharedIndex(backbone=backbone, **values)):
        row = row or locked_row(request.dbsession, backbone)
        replaced = row.blob_key
        for name, value in values.items():
            setattr(row, name, value)
        request.dbsession.flush()
    write_meta(ann.path, ann.watermark, len(ann.index), key)
    if replaced is not None and replaced != key:
        store = request.registry["blobstore"]
        after_commit(request, lambda: store.delete(replaced))
