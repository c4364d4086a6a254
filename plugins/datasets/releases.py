"""Releases as rows and as JSON: creating one (checked input), finding them, and their ``Release`` documents."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import (
    ApiError,
    get_setting,
    insert_once,
    invalid,
    isoformat,
    public_route_url,
    query_clause,
)

from .formats import FORMATS
from .models import Release, ReleaseFile

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")


def check_formats(value: Any) -> list[str]:
    """A list of known format names (in the canonical order), or a 422 ``invalid`` naming ``formats``."""
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise invalid("formats must be a non-empty list of format names", field="formats")
    unknown = sorted(set(value) - set(FORMATS))
    if unknown:
        raise invalid(f"unknown formats: {', '.join(unknown)}; known: {', '.join(FORMATS)}", field="formats")
    return [name for name in FORMATS if name in value]


def default_version(dbsession: Any) -> str:
    """Today's date, ``2026.12.06``; ``2026.12.06.2`` and on when that exists already."""
    base = datetime.now(UTC).strftime("%Y.%m.%d")
    taken = set(dbsession.scalars(select(Release.version).where(Release.version.like(base + "%"))))
    if base not in taken:
        return base
    return next(f"{base}.{n}" for n in range(2, 10_000) if f"{base}.{n}" not in taken)


def create_release(request: Any, *, version: str | None = None, query: str | None = None,
                   formats: list[str] | None = None, include_unverified: bool = False,
                   created_by: int | None = None) -> Release:
    """A new release row in state ``building`` (revision 1); 409 ``version_exists``, 422/400 for bad input."""
    dbsession = request.dbsession
    if version is None:
        version = default_version(dbsession)
    elif not isinstance(version, str) or not VERSION.fullmatch(version):
        raise invalid("version must be 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit",
                      field="version")
    if query is not None:
        if not isinstance(query, str) or not query.strip() or len(query) > 2000:
            raise invalid("query must be a non-empty query text (docs/query.md) of at most 2000 characters",
                          field="query")
        query_clause(request, query)  # a 400 query_syntax now, not a failed job later
    chosen = check_formats(formats) if formats is not None else \
        check_formats(get_setting(request, "datasets.formats"))
    if dbsession.scalar(select(func.count()).select_from(Release).where(Release.version == version)):
        raise conflict_exists(version)
    release = Release(version=version, revision=1, status="building", query=query, formats=" ".join(chosen),
                      include_unverified=bool(include_unverified), license=get_setting(request, "datasets.license"),
                      counts="{}", created_by=created_by)
    if not insert_once(dbsession, release):
        raise conflict_exists(version)
    return release


def conflict_exists(version: str) -> ApiError:
    """409 ``version_exists``."""
    return ApiError(409, "version_exists", f"release {version} exists already; choose another version")


def newest_revision(dbsession: Any, version: str) -> Release | None:
    """The newest revision of ``version``."""
    return dbsession.scalar(select(Release).where(Release.version == version)
                            .order_by(Release.revision.desc()).limit(1))


def latest(dbsession: Any) -> Release | None:
    """The newest ready release (its newest revision)."""
    return dbsession.scalar(select(Release).where(Release.status == "ready")
                            .order_by(Release.created_at.desc(), Release.id.desc()).limit(1))


def release_json(request: Any, release: Release, files: list[ReleaseFile] | None = None) -> dict[str, Any]:
    """The ``Release`` document of API.md."""
    if files is None:
        files = list(request.dbsession.scalars(select(ReleaseFile).where(ReleaseFile.release_id == release.id)
                                               .order_by(ReleaseFile.name)))
    counts = json.loads(release.counts or "{}")
    return {
        "version": release.version, "revision": release.revision, "status": release.status, "query": release.query,
        "include_unverified": release.include_unverified, "formats": release.formats.split(),
        "license": release.license, "created_at": isoformat(release.created_at),
        "finished_at": isoformat(release.finished_at) if release.finished_at else None,
        "counts": {key: counts.get(key, 0) for key in ("images", "image_labels", "labels", "shapes", "verified")},
        "digest": release.digest, "reason": release.reason, "error": release.error,
        "files": [{"name": item.name, "format": item.format, "bytes": item.bytes, "sha256": item.blob_key,
                   "withdrawn": item.withdrawn,
                   "url": public_route_url(request, "datasets.file", version=release.version, name=item.name)
                   + (f"?revision={release.revision}" if item.withdrawn else "")}
                  for item in files],
        "job": {"id": release.job_id} if release.job_id else None,
    }
