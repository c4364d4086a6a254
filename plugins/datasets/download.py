"""``GET /api/v1/releases/{version}/files/{name}``: a release's file, resumable.

From a store on disk the file is streamed in 256 KiB chunks (the server's ``wsgi.file_wrapper`` for a whole
file, WebOb's ``FileIter`` for a range), with a strong ``ETag`` (its sha256), ``Accept-Ranges: bytes``, 206 for
a ``Range`` (``bytes=a-b``, ``a-`` and ``-n``), 416 for one that cannot be met, 304 for ``If-None-Match`` and
``If-Range``, all by WebOb's conditional response. From object storage: a 302 to a presigned URL. Behind nginx
(``datasets.accel_redirect``): an ``X-Accel-Redirect`` to the file in an internal location, so nginx sends it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pyramid.httpexceptions import HTTPFound
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import select
from webob.static import FileIter

from imagemonkey.plugin import ApiError, get_setting, not_found, signed_blob_url

from .files import content_type
from .models import Release, ReleaseFile
from .releases import VERSION

CHUNK = 256 * 1024


def find_file(request: Any) -> tuple[Release, ReleaseFile]:
    """The file named in the URL of the newest finished revision holding that name (or of ``?revision=``)."""
    version, name = request.matchdict["version"], request.matchdict["name"]
    if not VERSION.fullmatch(version) or len(name) > 128:
        raise not_found("file")
    query = (select(Release, ReleaseFile).join(ReleaseFile, ReleaseFile.release_id == Release.id)
             .where(Release.version == version, ReleaseFile.name == name,
                    Release.status.in_(("ready", "withdrawn"))))
    revision = request.params.get("revision")
    if revision is not None:
        if not revision.isascii() or not revision.isdigit() or len(revision) > 9:
            raise not_found("file")
        query = query.where(Release.revision == int(revision))
    row = request.dbsession.execute(query.order_by(Release.revision.desc()).limit(1)).first()
    if row is None:
        raise not_found("file")
    return row[0], row[1]


@view_config(route_name="datasets.file", request_method=("GET", "HEAD"))
def download(request: Any) -> Any:
    """The file; 410 ``withdrawn`` once a takedown replaced its revision."""
    release, item = find_file(request)
    if item.withdrawn:
        raise ApiError(410, "withdrawn", f"{item.name} of release {release.version} revision {release.revision} was "
                       "withdrawn (an image in it was taken down); download the newest revision",
                       release={"version": release.version, "revision": release.revision})
    signed = signed_blob_url(request, item.blob_key, seconds=get_setting(request, "datasets.signed_url_seconds"),
                             filename=item.name)
    if signed is not None:
        return HTTPFound(location=signed, headers={"Cache-Control": "no-store"})
    path = request.registry["blobstore"].local_path(item.blob_key)
    accel = get_setting(request, "datasets.accel_redirect")
    if accel:  # nginx sends the file (ranges and conditional requests included) from its internal location
        return Response(status=200, content_type=content_type(item.name), headers={
            "X-Accel-Redirect": accel.rstrip("/") + "/" + "/".join(Path(path).parts[-3:]),
            "ETag": f'"{item.blob_key}"', "Content-Disposition": f'attachment; filename="{item.name}"',
            "Cache-Control": "public, max-age=86400, immutable"})
    response = Response(content_type=content_type(item.name), conditional_response=True)
    response.etag = item.blob_key
    response.accept_ranges = "bytes"
    response.last_modified = release.finished_at
    response.cache_control = "public, max-age=86400, immutable"
    response.content_disposition = f'attachment; filename="{item.name}"'
    if request.range is not None and response in request.if_range:
        if request.range.content_range(item.bytes) is None:
            raise ApiError(416, "range_not_satisfiable", f"the file has {item.bytes} bytes",
                           headers={"Content-Range": f"bytes */{item.bytes}"})
    handle = open(path, "rb")  # noqa: SIM115  (closed by the server when the answer is sent)
    wrapper = request.environ.get("wsgi.file_wrapper")
    if request.range is None and wrapper is not None and request.method == "GET":
        response.app_iter = wrapper(handle, CHUNK)
    else:
        response.app_iter = FileIter(handle)  # 64 KiB blocks
    response.content_length = item.bytes
    return response
