"""The OpenAPI 3 document: core's paths plus every enabled plugin's (``imagemonkey_openapi_paths``)."""
from __future__ import annotations

from typing import Any

from .version import API_VERSION, __version__

ERROR = {"$ref": "#/components/responses/Error"}


def op(summary: str, *, auth: bool = False, body: dict[str, Any] | None = None, params: list[str] = (),
       query: list[str] = (), ok: str = "200", multipart: bool = False, role: str | None = None) -> dict[str, Any]:
    """One operation: summary, path/query parameters, an optional JSON or multipart body, answers."""
    operation: dict[str, Any] = {
        "summary": summary + (f" (role: {role})" if role else ""),
        "parameters": [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in params]
        + [{"name": q, "in": "query", "required": False, "schema": {"type": "string"}} for q in query],
        "responses": {ok: {"description": "Success", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "4XX": ERROR},
    }
    if auth or role:
        operation["security"] = [{"bearer": []}]
    if body is not None:
        kind = "multipart/form-data" if multipart else "application/json"
        operation["requestBody"] = {"required": True, "content": {kind: {"schema": body}}}
    return operation


def obj(**properties: Any) -> dict[str, Any]:
    """A JSON object schema."""
    return {"type": "object", "properties": properties}


STR = {"type": "string"}
CORE_PATHS: dict[str, Any] = {
    "/api/v1/info": {"get": op("What this server is: name, version, plugins, limits")},
    "/api/v1/openapi.json": {"get": op("This document")},
    "/api/v1/clients": {"post": op("A new anonymous contributor and its token", ok="201")},
    "/api/v1/sessions": {"post": op("Log in to an account", body=obj(username=STR, password=STR), ok="201")},
    "/api/v1/me": {"get": op("Who this token belongs to", auth=True)},
    "/api/v1/labels": {"get": op("The label catalog (ETag; If-None-Match answers 304)")},
    "/api/v1/label-suggestions": {
        "get": op("Suggested label names with usage counts", query=["limit", "cursor"]),
        "post": op("Suggest a label name the catalog lacks", auth=True, body=obj(name=STR), ok="201")},
    "/api/v1/images": {
        "get": op("Browse visible images, newest first (q: a query, docs/query.md)",
                  query=["q", "label", "status", "donor", "limit", "cursor"]),
        "post": op("Donate an image", auth=True, ok="201", multipart=True,
                   body=obj(image={"type": "string", "format": "binary"}, label={"type": "array", "items": STR},
                            source_url=STR, page_url=STR))},
    "/api/v1/images/count": {"get": op("How many visible images match ?q= (counted up to 10,000)", query=["q"])},
    "/api/v1/images/{id}": {"get": op("One image", params=["id"])},
    "/api/v1/images/{id}/file": {"get": op("The image bytes, metadata removed", params=["id"], query=["size"])},
    "/api/v1/images/{id}/labels": {"post": op("Label an image", auth=True, params=["id"], ok="201",
                                              body=obj(labels={"type": "array", "items": STR}))},
    "/api/v1/images/{id}/status": {"post": op("Change an image's status", role="moderator", params=["id"],
                                              body=obj(status=STR, reason=STR))},
    "/api/v1/image-labels/{id}": {"get": op("One image label, with what plugins add", params=["id"])},
    "/api/v1/tasks/next": {"get": op("The next task of a kind (204 when none is left)", auth=True,
                                     query=["kind", "label"])},
    "/api/v1/statistics": {"get": op("Counts and series; each plugin adds a section")},
    "/api/v1/extension": {"get": op("What the browser extension should offer")},
    "/api/v1/contributors/{id}/contributions": {"get": op("A contributor's history, newest first ('me' for yours)",
                                                          auth=True, params=["id"], query=["limit", "cursor"])},
    "/api/v1/contributors/{id}/summary": {"get": op("Contributions today and in total ('me' for yours)", auth=True,
                                                    params=["id"])},
    "/api/v1/contributors/{id}/revert": {"post": op("Undo everything a contributor did and block it",
                                                    role="moderator", params=["id"])},
    "/api/v1/jobs": {"get": op("Background jobs, newest first", role="moderator",
                               query=["state", "name", "limit", "cursor"])},
    "/api/v1/jobs/{id}": {"get": op("One background job: state, progress, message, result, error (its creator "
                                    "or a moderator)", auth=True, params=["id"])},
}


def build_document(request: Any) -> dict[str, Any]:
    """The whole document for the enabled plugins."""
    paths = {path: dict(item) for path, item in CORE_PATHS.items()}  # plugins' operations must not leak into core's
    for extra in request.registry.pm.hook.imagemonkey_openapi_paths():
        for path, operations in (extra or {}).items():
            paths.setdefault(path, {}).update(operations)
    return {
        "openapi": "3.0.3",
        "info": {"title": request.registry.settings["imagemonkey.name"] + " API", "version": __version__,
                 "description": f"API version {API_VERSION}. Errors: {{\"error\": {{\"code\", \"message\"}}}}."},
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "An error a client can act on", "content": {"application/json": {
                "schema": obj(error={"type": "object", "required": ["code", "message"],
                                     "properties": {"code": STR, "message": STR}})}}}},
        },
    }
