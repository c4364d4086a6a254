"""The releases API: list, latest, one version, and a moderator's POST that builds one (a job)."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import select

from imagemonkey.plugin import (
    ApiError,
    encode_cursor,
    enqueue_job,
    invalid,
    json_body,
    not_found,
    read_cursor,
    read_limit,
    require_role,
)

from .formats import FORMATS
from .models import Release
from .releases import VERSION, create_release, latest, newest_revision, release_json


@view_config(route_name="datasets.releases", request_method="GET", renderer="json")
def list_releases(request: Any) -> dict[str, Any]:
    """Newest version first (each as its newest revision), keyset-paginated by the version's first row."""
    limit = read_limit(request)
    cursor = read_cursor(request)
    query = select(Release).where(Release.revision == 1)
    if cursor is not None:
        query = query.where(Release.id < cursor)
    firsts = list(request.dbsession.scalars(query.order_by(Release.id.desc()).limit(limit + 1)))
    more = len(firsts) > limit
    firsts = firsts[:limit]
    newest: dict[str, Release] = {}
    for row in request.dbsession.scalars(select(Release).where(
            Release.version.in_([first.version for first in firsts])).order_by(Release.revision)):
        newest[row.version] = row
    return {"releases": [release_json(request, newest[first.version]) for first in firsts],
            "next_cursor": encode_cursor(firsts[-1].id) if more else None}


@view_config(route_name="datasets.latest", request_method="GET", renderer="json")
def latest_release(request: Any) -> dict[str, Any]:
    """The newest ready release; 404 ``not_found`` before the first."""
    release = latest(request.dbsession)
    if release is None:
        raise not_found("release")
    return release_json(request, release)


def release_of(request: Any) -> Release:
    """The newest revision of the version in the URL (or ``?revision=N``); 404 when there is none."""
    version = request.matchdict["version"]
    if not VERSION.fullmatch(version):
        raise not_found("release")
    revision = request.params.get("revision")
    if revision is not None:
        if not revision.isascii() or not revision.isdigit() or len(revision) > 9:
            raise not_found("release")
        release = request.dbsession.scalar(select(Release).where(Release.version == version,
                                                                 Release.revision == int(revision)))
    else:
        release = newest_revision(request.dbsession, version)
    if release is None:
        raise not_found("release")
    return release


@view_config(route_name="datasets.release", request_method="GET", renderer="json")
def one_release(request: Any) -> dict[str, Any]:
    """One version's newest revision."""
    return release_json(request, release_of(request))


@view_config(route_name="datasets.releases", request_method="POST", renderer="json")
def post_release(request: Any) -> dict[str, Any]:
    """Moderators: build a release (202 with the release and its job)."""
    contributor = require_role(request, "moderator")
    body = json_body(request)
    include = body.get("include_unverified", False)
    if not isinstance(include, bool):
        raise invalid("include_unverified must be true or false", field="include_unverified")
    release = create_release(request, version=body.get("version"), query=body.get("query"),
                             formats=body.get("formats"), include_unverified=include,
                             created_by=getattr(contributor, "id", None))
    release.job_id = enqueue_job(request, "datasets.build", release_id=release.id)
    request.response.status_code = 202
    return {"release": release_json(request, release, files=[]), "job": {"id": release.job_id}}


@view_config(route_name="datasets.formats", request_method="POST", renderer="json")
def post_format(request: Any) -> dict[str, Any]:
    """Moderators: add a format to a ready release (202 with the release and the job writing it)."""
    require_role(request, "moderator")
    body = json_body(request)
    fmt = body.get("format")
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise invalid(f"format must be one of {', '.join(FORMATS)}", field="format")
    release = release_of(request)
    if release.status != "ready":
        raise ApiError(409, "not_ready", f"release {release.version} is {release.status}; only a ready one can "
                       "gain a format")
    if fmt in release.formats.split():
        raise ApiError(409, "format_exists", f"release {release.version} has {fmt} already")
    job_id = enqueue_job(request, "datasets.add_format", release_id=release.id, format=fmt)
    request.response.status_code = 202
    return {"release": release_json(request, release), "job": {"id": job_id}}
