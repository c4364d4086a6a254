"""Adding a format to a ready release: its archive is written from the release's stored snapshot (the same
images, labels and digest), and the files that list the archives (README.md, croissant.json, SHA256SUMS) are
written again; the other files do not change."""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select, update

from imagemonkey.plugin import after_commit, app_request, store_file, write

from .build import work_dir
from .card import dataset_card, summary_text
from .croissant import croissant
from .files import content_type, fetch_blob, sha256_of
from .formats import FORMATS
from .metadata import release_info, trust_rule
from .models import Release, ReleaseFile
from .publish import write_archives
from .snapshot import summarize

REWRITTEN = ("README.md", "croissant.json", "SHA256SUMS")


def add_format(registry: Any, release_id: int, fmt: str, progress: Callable[[float, str | None], None]) -> dict:
    """Write format ``fmt`` of ready release ``release_id``; returns the new files' names."""
    work = work_dir(registry)
    try:
        with app_request(registry) as request:
            release = request.dbsession.get(Release, release_id)
            if release is None or release.status != "ready":
                raise ValueError("only a ready release can gain a format")
            if fmt in release.formats.split():
                return {"skipped": True}
            files = {row.name: (row.format, row.bytes, row.blob_key) for row in request.dbsession.scalars(
                select(ReleaseFile).where(ReleaseFile.release_id == release_id))}
            request.dbsession.expunge(release)
        snapshot = fetch_blob(registry, release.snapshot_key, work / "snapshot.jsonl")
        summary = summarize(snapshot)
        release.formats = " ".join(name for name in FORMATS if name in release.formats.split() + [fmt])
        made = write_archives(registry, release, snapshot, summary, work, progress, formats=[fmt])
        progress(0.92, "writing the dataset card and checksums")
        out = work / "files"
        info = release_info(registry, release, release.digest or summary.digest)
        listed = [{"name": name, "bytes": size, "sha256": key} for name, (kind, size, key) in sorted(files.items())
                  if kind != "metadata"]
        listed += [{"name": path.name, "bytes": path.stat().st_size, "sha256": sha256_of(path)} for path, _ in made]
        index = {"name": "images.jsonl", "bytes": files["images.jsonl"][1], "sha256": files["images.jsonl"][2]}
        (out / "README.md").write_text(dataset_card(info, summary, release.formats.split(), trust_rule(registry)),
                                       encoding="utf-8")
        (out / "croissant.json").write_text(json.dumps(croissant(info, summary_text(info, summary), index, listed),
                                                       indent=2) + "\n", encoding="utf-8")
        sums = {name: key for name, (_, _, key) in files.items() if name != "SHA256SUMS"}
        sums.update({path.name: sha256_of(path) for path, _ in made})
        sums.update({name: sha256_of(out / name) for name in REWRITTEN[:2]})
        (out / "SHA256SUMS").write_text("".join(f"{key}  {name}\n" for name, key in sorted(sums.items())),
                                        encoding="utf-8")
        new = [(path, fmt) for path, _ in made] + [(out / name, "metadata") for name in REWRITTEN]
        stored = [(path.name, kind, path.stat().st_size, store_file(registry, path, content_type(path.name)))
                  for path, kind in new]
        with app_request(registry) as request:
            _record(request, release_id, release.formats, stored, files)
        return {"files": [name for name, *_ in stored]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _record(request: Any, release_id: int, formats: str, stored: list[tuple[str, str, int, str]],
            old: dict[str, tuple[str, int, str]]) -> None:
    dbsession = request.dbsession
    dbsession.execute(update(Release).where(Release.id == release_id).values(formats=formats))
    for name, kind, size, key in stored:
        if name in old:
            dbsession.execute(update(ReleaseFile).where(ReleaseFile.release_id == release_id,
                                                        ReleaseFile.name == name).values(bytes=size, blob_key=key))
        else:
            write(request, insert(ReleaseFile), {"release_id": release_id, "name": name, "format": kind,
                                                 "bytes": size, "blob_key": key, "withdrawn": False})
    replaced = {old[name][2] for name, *_ in stored if name in old}
    used = set(dbsession.scalars(select(ReleaseFile.blob_key).where(ReleaseFile.blob_key.in_(replaced))))
    store = request.registry["blobstore"]

    def delete() -> None:
        for key in replaced - used:
            store.delete(key)
    after_commit(request, delete)
