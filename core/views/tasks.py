"""Task dispatch, statistics and the extension's capabilities, all assembled from hooks."""
from __future__ import annotations

from typing import Any

from pyramid.response import Response
from pyramid.view import view_config

from ..auth import require_contributor
from ..errors import ApiError, bad_request
from ..plugins import collect, collect_hook


@view_config(route_name="api.tasks_next", request_method="GET", renderer="json")
def next_task(request: Any) -> Any:
    """The next task of ``?kind=`` for the caller, from the plugin that serves that kind; 204 when none is left."""
    kind = request.params.get("kind", "")
    if not kind:
        raise bad_request("Give the task kind: ?kind=label, validate, annotate, ...", code="missing_kind")
    if kind not in request.registry["task_kinds"]:
        raise ApiError(404, "unknown_task_kind", f"No enabled feature serves tasks of kind {kind!r}.",
                       available=request.registry["task_kinds"])
    require_contributor(request)
    label = request.params.get("label") or None
    if label is not None:
        resolved = request.registry["catalog"].resolve(label)
        if resolved is None:
            raise ApiError(404, "unknown_label", f"{label!r} is not in the label catalog.")
        label = resolved
    task = request.registry.pm.hook.imagemonkey_next_task(request=request, kind=kind, label=label)
    if not task:
        return Response(status=204)
    return {"task": task}


@view_config(route_name="api.statistics", request_method="GET", renderer="json")
def statistics(request: Any) -> dict[str, Any]:
    """Counts and series: each plugin contributes its own section."""
    answers = reversed(request.registry.pm.hook.imagemonkey_statistics(request=request))
    return dict(collect((list(found.items()) if found else None for found in answers), lambda item: item[0],
                        "statistics section"))


@view_config(route_name="api.extension", request_method="GET", renderer="json")
def extension(request: Any) -> dict[str, Any]:
    """What the browser extension should offer, from the enabled plugins."""
    actions = collect_hook(request.registry, "imagemonkey_extension_actions", lambda action: action["id"],
                           "extension action", request=request)
    return {"name": request.registry.settings["imagemonkey.name"], "actions": actions}
