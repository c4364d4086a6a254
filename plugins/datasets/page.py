"""The ``/datasets`` page: the latest release, downloads per format, citation, snippets, older releases."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import select

from imagemonkey.plugin import get_setting

from .citation import bibtex, citation_cff
from .formats import FORMATS
from .metadata import release_info
from .models import Release
from .releases import latest, release_json

OLDER = 20


def _size(files: list[dict[str, Any]]) -> str:
    total = float(sum(item["bytes"] for item in files))
    for unit in ("B", "KB", "MB", "GB"):
        if total < 1000 or unit == "GB":
            return f"{total:.0f} {unit}" if unit == "B" else f"{total:.1f} {unit}"
        total /= 1000
    return ""


def _downloads(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Per format, its archives (WebDataset has shards); then the metadata files."""
    rows = []
    for name in doc["formats"]:
        files = [item for item in doc["files"] if item["format"] == name]
        if files:
            rows.append({"format": name, "description": FORMATS[name], "files": files, "size": _size(files)})
    meta = [item for item in doc["files"] if item["format"] == "metadata"]
    rows.append({"format": "metadata", "description": "dataset card, Croissant, citation, changes, checksums",
                 "files": meta, "size": _size(meta)})
    return rows


@view_config(route_name="datasets.page", renderer="imagemonkey_datasets:templates/datasets.jinja2")
def datasets_page(request: Any) -> dict[str, Any]:
    """Server-rendered: everything but the moderator's build button works without JavaScript."""
    release = latest(request.dbsession)
    doc = release_json(request, release) if release is not None else None
    older = []
    for row in request.dbsession.scalars(select(Release).where(Release.revision == 1)
                                         .order_by(Release.id.desc()).limit(OLDER + 1)):
        if release is None or row.version != release.version:
            older.append(row)
    older_docs = []
    for row in older[:OLDER]:
        newest = request.dbsession.scalar(select(Release).where(Release.version == row.version)
                                          .order_by(Release.revision.desc()).limit(1))
        older_docs.append(release_json(request, newest))
    values: dict[str, Any] = {"release": doc, "older": older_docs, "license": get_setting(request, "datasets.license"),
                              "site_url": request.application_url}
    if release is not None and doc is not None:
        info = release_info(request.registry, release, release.digest or "")
        values.update(downloads=_downloads(doc), size=_size(doc["files"]), bibtex=bibtex(info),
                      cff=citation_cff(info), verified_share=(doc["counts"]["verified"] /
                                                              max(doc["counts"]["image_labels"], 1)))
    return values
