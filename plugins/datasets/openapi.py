"""OpenAPI path items of the releases API."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import obj, op, parameter

from .formats import FORMATS

VERSION = {"type": "string", "pattern": "^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$"}
REVISION = parameter("revision")
FILE = {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[^/\\u0000]+$"}
BINARY = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
ERROR = {"content": {"application/json": {"schema": {"type": "object"}}}}

PATHS: dict[str, Any] = {
    "/api/v1/releases": {
        "get": op("Releases, newest version first (each as its newest revision)", query=["limit", "cursor"]),
        "post": op("Build a release (a job): 202 with the release and its job; 409 version_exists", auth=True,
                   role="moderator", ok="202",
                   body=obj(version=VERSION, query={"type": "string", "minLength": 1, "maxLength": 2000,
                                                    "pattern": "^[^\\u0000]*$"},
                            formats={"type": "array", "minItems": 1, "uniqueItems": True,
                                     "items": {"type": "string", "enum": list(FORMATS)}},
                            include_unverified={"type": "boolean"})),
    },
    "/api/v1/releases/latest": {"get": op("The newest ready release")},
    "/api/v1/releases/{version}": {"get": op(
        "One release: its newest revision, or ?revision=N", params=[parameter("version", "path", schema=VERSION)],
        query=[REVISION])},
    "/api/v1/releases/{version}/formats": {"post": op(
        "Add a format to a ready release (a job writing its archive from the release's snapshot): 202 with the "
        "release and the job; 409 format_exists or not_ready", auth=True, role="moderator", ok="202",
        params=[parameter("version", "path", schema=VERSION)],
        body=obj(required=["format"], format={"type": "string", "enum": list(FORMATS)}))},
    "/api/v1/releases/{version}/files/{name}": {method: op(
        ("The headers of a release's file, without it" if method == "head" else "A release's file")
        + ": ETag, Accept-Ranges, 206 for Range, 304 for If-None-Match; 410 withdrawn once taken down; on object "
        "storage a 302 to a signed URL",
        params=[parameter("version", "path", schema=VERSION), parameter("name", "path", schema=FILE)],
        query=[REVISION], ok_content=BINARY,
        responses={"206": {"description": "Part of the file", "content": BINARY},
                   "302": {"description": "A signed URL on object storage"},
                   "304": {"description": "Not modified"}, "410": {"description": "Withdrawn", **ERROR},
                   "416": {"description": "Range not satisfiable", **ERROR}}) for method in ("get", "head")},
}
