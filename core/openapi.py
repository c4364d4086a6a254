"""The OpenAPI 3 document: core's paths plus every enabled plugin's (``imagemonkey_openapi_paths``)."""
from __future__ import annotations

from typing import Any

from .inputs import HTTP_URL_PATTERN, LABEL_NAME_PATTERN, MAX_URL_LENGTH
from .version import API_VERSION, __version__

ERROR = {"$ref": "#/components/responses/Error"}
JSON_OK = {"application/json": {"schema": {"type": "object"}}}

#: Strings of a JSON body: what ``imagemonkey.inputs.check_text`` takes (no control character but newlines, no line
#: or paragraph separator; no lone surrogate, which generators never make).
TEXT = {"type": "string", "pattern": "^[^\\u0000-\\u0009\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$"}
#: Query parameters: any text but NUL (they are not JSON, and a query string may carry a tab).
PARAMETER_TEXT = {"type": "string", "pattern": "^[^\\u0000]*$"}
#: Ids in paths and bodies: ASCII digits (anything else is a 404).
ID = {"type": "string", "pattern": "^[0-9]{1,18}$"}
#: A label name as the server takes it (``imagemonkey.inputs.LABEL_NAME``): up to 128 characters, something besides
#: whitespace, no NUL and no U+0130 (folding case and spaces never makes such a name longer).
LABEL = {"type": "string", "minLength": 1, "maxLength": 128, "pattern": LABEL_NAME_PATTERN}

#: Query parameters that mean the same everywhere: an operation naming one gets this schema.
QUERY_SCHEMAS: dict[str, dict[str, Any]] = {
    "limit": {"type": "integer", "minimum": 1, "maximum": 200},
    "cursor": {"type": "string", "description": "Opaque: the next_cursor of the previous page."},
    "label": LABEL,
    "size": {"type": "string", "enum": ["original", "medium", "thumb"]},
    "status": {"type": "string", "enum": ["pending", "public", "hidden", "quarantined", "removed"]},
    "kind": {"type": "string", "minLength": 1, "pattern": "^[a-z_]+$"},
    "revision": {"type": "integer", "minimum": 1, "maximum": 999999999},
}


def parameter(name: str, where: str = "query", *, required: bool = False,
              schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """One parameter object; a query parameter without ``schema`` takes :data:`QUERY_SCHEMAS`'s (or a string)."""
    if schema is None:
        schema = ID if where == "path" else QUERY_SCHEMAS.get(name, PARAMETER_TEXT)
        if name == "label" and where == "query" and not required:  # ?label= (empty) is no filter, as in forms
            schema = {"anyOf": [LABEL, {"type": "string", "maxLength": 0}]}
    return {"name": name, "in": where, "required": required or where == "path", "schema": schema}


def op(summary: str, *, auth: bool = False, body: dict[str, Any] | None = None, params: list[Any] = (),
       query: list[Any] = (), ok: str = "200", multipart: bool = False, role: str | None = None,
       responses: dict[str, Any] | None = None, ok_content: dict[str, Any] | None = None) -> dict[str, Any]:
    """One operation: summary, path/query parameters, an optional JSON or multipart body, answers.

    ``params`` and ``query`` take names (path ids are digit strings; well-known query names get
    :data:`QUERY_SCHEMAS`) or whole parameter objects (:func:`parameter`). ``responses`` adds answers
    (``{"204": ...}``); ``ok_content`` replaces the JSON content of the success answer (binary files).
    """
    parameters = [p if isinstance(p, dict) else parameter(p, "path") for p in params]
    parameters += [q if isinstance(q, dict) else parameter(q) for q in query]
    operation: dict[str, Any] = {
        "summary": summary + (f" (role: {role})" if role else ""),
        "parameters": parameters,
        "responses": {ok: {"description": "Success", **({} if ok == "204" else {"content": ok_content or JSON_OK})},
                      "4XX": ERROR,
                      **(responses or {})},
    }
    if auth or role:
        operation["security"] = [{"bearer": []}]
    if body is not None:
        kind = "multipart/form-data" if multipart else "application/json"
        operation["requestBody"] = {"required": True, "content": {kind: {"schema": body}}}
    return operation


def obj(required: list[str] | tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
    """A JSON object schema with only ``properties``; ``required`` names the ones it must have.

    Other properties are ignored by the server, but not part of the API (``additionalProperties: false``).
    """
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


STR = {"type": "string"}
NO_CONTENT = {"204": {"description": "Nothing (left) to give"}}
BUSY = {"503": {"description": "Busy decoding other large images: retry after Retry-After seconds",
                "content": {"application/json": {"schema": {"type": "object"}}}}}
IMAGE_BYTES = {content_type: {"schema": {"type": "string", "format": "binary"}}
               for content_type in ("image/jpeg", "image/png", "image/webp")}
ME_OR_ID = parameter("id", "path", schema={"type": "string", "pattern": "^([0-9]{1,18}|me)$"})
ACCOUNT_NAME = parameter("name", "path", schema={**PARAMETER_TEXT, "minLength": 1, "maxLength": 64})
HTTP_URL = {"type": "string", "maxLength": MAX_URL_LENGTH, "pattern": HTTP_URL_PATTERN}
CORE_PATHS: dict[str, Any] = {
    "/api/v1/info": {"get": op("What this server is: name, version, plugins, limits")},
    "/api/v1/openapi.json": {"get": op("This document")},
    "/api/v1/clients": {"post": op("A new anonymous contributor and its token", ok="201")},
    "/api/v1/sessions": {
        "post": op("Log in to an account (401 invalid_credentials, 403 blocked, 429); with claim and this browser's "
                   "anonymous token in Authorization, everything that token did moves to the account (claimed: "
                   "rows moved by kind), the token is spent (401 afterwards); 422 not_claimable without one",
                   ok="201", body=obj(required=["username", "password"], username=TEXT, password=TEXT,
                                      claim={"type": "boolean"})),
        "delete": op("Log out everywhere: every session token of the account is revoked (named API tokens stay)",
                     auth=True, ok="204")},
    "/api/v1/sessions/current": {"delete": op("Log out: this log-in's token is revoked", auth=True, ok="204")},
    "/api/v1/me": {
        "get": op("Who this token belongs to: user (accounts, with public_profile and top_list), client_id, counts "
                  "by kind, today (today's writes by kind and total), streak_days; scope for a named API token",
                  auth=True),
        "patch": op("An account's opt-ins: a public profile at /people/<name>, its name in the weekly top list "
                    "(403 for an anonymous token)", auth=True,
                    body={**obj(public_profile={"type": "boolean"}, top_list={"type": "boolean"}),
                          "minProperties": 1}),
        "delete": op("Delete the account (a log-in's token; the password again; 401 invalid_credentials): "
                     "contributions keep (credited to no one) or revert (every one undone); every token "
                     "of the account answers 401 at once", auth=True,
                     body=obj(required=["password", "contributions"], password=TEXT,
                              contributions={"type": "string", "enum": ["keep", "revert"]}))},
    "/api/v1/people/{name}": {"get": op(
        "A public profile: stats, counts by kind, streak_days, week_rank, a 12-week calendar and badges, all from "
        "counters (404 not_found unless the account made its profile public)",
        params=[parameter("name", "path", schema={"type": "string", "minLength": 1, "maxLength": 64})])},
    "/api/v1/accounts": {"post": op(
        "Sign up (409 name_taken, 422 weak_password, 429); with claim and this browser's anonymous token in "
        "Authorization, that token's history becomes the account's and the token is spent", ok="201",
        body=obj(required=["username", "password"],
                 username={"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{1,31}$"},
                 password={"type": "string", "minLength": 12, "maxLength": 1024}, claim={"type": "boolean"}))},
    "/api/v1/accounts/{name}/block": {"post": op(
        "Block an account: its tokens answer 403 blocked at once in every process, log-in is refused (404 for an "
        "unknown name, 403 cannot_block for yourself)", role="admin", params=[ACCOUNT_NAME])},
    "/api/v1/accounts/{name}/unblock": {"post": op("Lift an account's block", role="admin", params=[ACCOUNT_NAME])},
    "/api/v1/me/tokens": {
        "get": op("The account's named API tokens, never their secrets (a log-in's token only)", auth=True),
        "post": op("A named API token, shown once (a log-in's token only; moderate for moderators)", auth=True,
                   ok="201", body=obj(required=["name", "scopes"], name={**TEXT, "minLength": 1, "maxLength": 64},
                                      scopes={"type": "array", "minItems": 1, "items": {
                                          "type": "string", "enum": ["read", "contribute", "moderate"]}},
                                      expires_at={"type": "string", "format": "date-time"}))},
    "/api/v1/me/tokens/{id}": {"delete": op("Revoke a named API token: 401 from the next request on, in every "
                                            "process", auth=True, params=["id"], ok="204")},
    "/api/v1/me/password": {"post": op(
        "Change the password (the current one is asked again); every other session is logged out", auth=True,
        ok="204", body=obj(required=["password", "new_password"], password=TEXT,
                           new_password={"type": "string", "minLength": 12, "maxLength": 1024}))},
    "/api/v1/me/hunt": {"get": op(
        "The image hunt: at most 20 labels the dataset needs most (the statistics' work lists), then at most 20 of "
        "your finds of labels with fewer than 10 public pictures; each with reason, status (none, donated, "
        "verified: the label on your donation was verified by others) and image_id",
        auth=True)},
    "/api/v1/labels": {"get": op("The label catalog (ETag; If-None-Match answers 304)")},
    "/api/v1/label-suggestions": {
        "get": op("Suggested label names with usage counts", query=["limit", "cursor"]),
        "post": op("Suggest a label name the catalog lacks (200 when the catalog has it)", auth=True, ok="201",
                   body=obj(required=["name"], name=LABEL), responses={"200": {"description": "In the catalog",
                                                                              "content": JSON_OK}})},
    "/api/v1/label-suggestions/{name}/promote": {"post": op(
        "Moderators: promote a suggested name into the catalog under a parent (is_a); images suggested it get the "
        "label (404: nobody suggested it, 409: the catalog has it)", role="moderator", ok="201",
        params=[parameter("name", where="path", required=True, schema=LABEL)],
        body=obj(required=["is_a"], is_a=LABEL, description={**TEXT, "minLength": 1, "maxLength": 500},
                 plural={**TEXT, "minLength": 1, "maxLength": 128}))},
    "/api/v1/images": {
        "get": op("Browse visible images, newest first (q: a query, docs/query.md; order=oldest reverses, "
                  "order=random is one page of random matches without a cursor, order=fewest_votes (validate) lists "
                  "images whose labels have the fewest votes first; 400 order_unavailable without validate)",
                  query=["q", "label", "status", parameter("donor", schema={"type": "string", "enum": ["me"]}),
                         parameter("order", schema={"type": "string",
                                                    "enum": ["newest", "oldest", "random", "fewest_votes"],
                                                    "default": "newest"}), "limit", "cursor"]),
        "post": op("Donate an image (200 with duplicate: true for one already stored)", auth=True, ok="201",
                   multipart=True, responses={"200": {"description": "A duplicate", "content": JSON_OK}, **BUSY},
                   body=obj(required=["image"], image={"type": "string", "format": "binary"},
                            label={"type": "array", "maxItems": 50, "items": LABEL},
                            source_url=HTTP_URL, page_url=HTTP_URL))},
    "/api/v1/images/count": {"get": op("How many visible images match ?q= (counted up to 10,000)",
                                            query=[parameter("q", required=True)])},
    "/api/v1/images/{id}": {"get": op("One image", params=["id"])},
    "/api/v1/images/{id}/file": {"get": op("The image bytes, metadata removed (ETag, Range)", params=["id"],
                                           query=["size"], ok_content=IMAGE_BYTES)},
    "/api/v1/images/{id}/labels": {"post": op("Label an image", auth=True, params=["id"], ok="201",
                                              body=obj(required=["labels"], labels={
                                                  "type": "array", "minItems": 1, "maxItems": 50, "items": LABEL}))},
    "/api/v1/images/{id}/status": {"post": op("Change an image's status", role="moderator", params=["id"],
                                              body=obj(required=["status"], status={
                                                  "type": "string", "enum": ["public", "hidden", "quarantined",
                                                                             "removed"]},
                                                  reason={**TEXT, "maxLength": 500}))},
    "/api/v1/images/{id}/captions": {
        "get": op("An image's captions, oldest first, each with up, down, score and locked; 'caption' is the id of "
                  "the image's caption by the score rule (docs/query.md, Captions)", params=["id"],
                  query=["limit", "cursor"]),
        "post": op("Caption an image: one sentence of 3 to 200 characters (whitespace collapsed) and a language tag "
                   "(422 caption_length, not_one_sentence, invalid_text, invalid_language; 409 caption_limit past 5 "
                   "captions of yours on one image)", auth=True, params=["id"], ok="201",
                   body=obj(required=["text", "language"], text={"type": "string", "minLength": 3, "maxLength": 1000,
                                                      "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$"},
                            language={"type": "string", "maxLength": 35,
                                      "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"}))},
    "/api/v1/captions/{id}/votes": {"post": op(
        "Vote a caption up or down: one vote each, a new one replaces it (403 own_caption)", auth=True, params=["id"],
        body=obj(required=["vote"], vote={"type": "string", "enum": ["up", "down"]}))},
    "/api/v1/captions/{id}/lock": {"post": op("Make this caption its image's caption (unlocking any other)",
                                              role="moderator", params=["id"])},
    "/api/v1/image-labels/{id}": {"get": op("One image label, with what plugins add", params=["id"])},
    "/api/v1/tasks/next": {"get": op("The next task of a kind (204 when none is left)", auth=True,
                                     query=[parameter("kind", required=True), "label"], responses=NO_CONTENT)},
    "/api/v1/statistics": {"get": op("Counts and series; each plugin adds a section")},
    "/api/v1/extension": {"get": op("What the browser extension should offer")},
    "/api/v1/contributors/{id}/contributions": {"get": op(
        "A contributor's history, newest first, each entry with its 'text' in words and a 'url' where it leads "
        "('me' for yours)", auth=True, params=[ME_OR_ID], query=["limit", "cursor"])},
    "/api/v1/contributors/{id}/summary": {"get": op(
        "Contributions today and in total, 'by_kind', and how each kind's count reads in 'kinds' ('me' for yours)",
        auth=True, params=[ME_OR_ID])},
    "/api/v1/contributors/{id}/revert": {"post": op("Undo everything a contributor did and block it",
                                                    role="moderator", params=["id"])},
    "/api/v1/jobs": {"get": op("Background jobs, newest first", role="moderator",
                               query=[parameter("state", schema={"type": "string",
                                                                  "enum": ["queued", "running", "done", "failed"]}),
                                      parameter("name", schema={"type": "string", "maxLength": 64,
                                                                "pattern": "^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$"}),
                                      "limit", "cursor"])},
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
