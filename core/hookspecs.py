"""Core hook specifications.

Hooks are synchronous, take keyword arguments and return plain values. Event hooks run
inside the request's transaction: raising rolls the whole request back; side effects
outside the database belong in ``request.tm.get().addAfterCommitHook`` (see
:func:`imagemonkey.db.after_commit`). A spec may gain arguments; it never loses or
renames one. Every spec here is documented in ``docs/plugins.md`` and tested in
``tests/core/test_hooks.py``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .jobs import JobSpec

hookspec = pluggy.HookspecMarker("imagemonkey")
hookimpl = pluggy.HookimplMarker("imagemonkey")


@hookspec
def imagemonkey_image_donated(request: Any, image: Any, duplicate: bool) -> None:
    """An image was donated (``duplicate`` is True when the bytes were already stored).

    Fires after the image row and its initial labels are flushed, inside the request's
    transaction. Returns nothing.
    """


@hookspec
def imagemonkey_image_labeled(request: Any, image: Any, image_labels: list[Any]) -> None:
    """Labels were added to an image; ``image_labels`` holds only the new ImageLabel rows.

    Fires for labels given with a donation and through ``POST /images/{id}/labels``.
    Returns nothing.
    """


@hookspec
def imagemonkey_image_status_changed(request: Any, image: Any, old_status: str, new_status: str,
                                     reason: str | None) -> None:
    """An image's status changed (for example ``pending`` to ``public`` or ``removed``).

    Fires inside the transaction that changes it; ``request`` may be a scripting request
    from the CLI. Returns nothing.
    """


@hookspec
def imagemonkey_task_kinds() -> list[str]:
    """The task kinds this plugin serves through :func:`imagemonkey_next_task`.

    Called when the app starts and for ``GET /api/v1/info``. Returns a list of names.
    """


@hookspec(firstresult=True)
def imagemonkey_next_task(request: Any, kind: str, label: str | None) -> dict[str, Any] | None:
    """Choose the next task of ``kind`` for ``request.contributor`` (``label`` narrows it).

    Called by ``GET /api/v1/tasks/next``. The plugin serving ``kind`` returns the task as
    a JSON-ready dict (``{"kind": kind, "image": ..., ...}``) or ``{}`` when nothing is
    left; every other plugin returns None. The first non-None answer wins. Selection must
    use an index, never ``ORDER BY RANDOM()``.
    """


@hookspec
def imagemonkey_statistics(request: Any) -> dict[str, Any] | None:
    """Contribute a section to ``GET /api/v1/statistics``.

    Returns ``{"section_name": {...}}`` (merged into the answer) or None.
    """


@hookspec
def imagemonkey_extension_actions(request: Any) -> list[dict[str, Any]] | None:
    """Actions the browser extension should offer.

    Each action is ``{"id", "title", "contexts": ["image" | "page" | "popup"], ...}``.
    Collected into ``GET /api/v1/extension``. Returns a list or None.
    """


@hookspec
def imagemonkey_navigation(request: Any) -> list[dict[str, Any]] | None:
    """Navigation entries for the site's layout and home page.

    Each entry is ``{"title", "href", "description"}``. Returns a list or None.
    """


@hookspec
def imagemonkey_exporters() -> list[Any] | None:
    """Dataset exporters this plugin adds (instances of :class:`imagemonkey.export.Exporter`).

    Called by ``imagemonkey export``. Returns a list or None.
    """


@hookspec
def imagemonkey_revert_contributor(request: Any, contributor: Any) -> dict[str, int] | None:
    """Undo everything ``contributor`` did of the kinds this plugin owns.

    Called once per plugin by ``POST /api/v1/contributors/{id}/revert`` inside one
    transaction; plugins run before core (core removes labels and images last).
    Must be idempotent. Returns ``{"<kind>": count}`` of what was undone, or None.
    """


@hookspec
def imagemonkey_serialize_image_labels(request: Any, image_labels: list[Any], documents: list[dict[str, Any]]) -> None:
    """Add fields to the JSON of image labels.

    ``documents[i]`` is the dict for ``image_labels[i]``; mutate the dicts in place with
    one query for the whole batch (for example the validate plugin adds ``votes``,
    ``state`` and ``confidence``). Returns nothing.
    """


@hookspec
def imagemonkey_openapi_paths() -> dict[str, Any] | None:
    """OpenAPI 3 ``paths`` entries for this plugin's ``/api/`` routes.

    Merged into ``GET /api/v1/openapi.json``; a test fails when a route is missing.
    Returns a dict or None.
    """


@hookspec
def imagemonkey_query_prefixes() -> list[Any] | None:
    """Prefixed terms this plugin adds to the query language (``verified:dog``, ``annotated:dog``).

    Returns a list of :class:`imagemonkey.query.QueryPrefix` (``name``, ``description`` and
    ``clause(label, image_id) -> SQL condition``) or None. Called once per app, on the first
    query; two plugins returning the same name is an error. The clause should be an indexed
    ``EXISTS`` on the plugin's table keyed by the image id.
    """


@hookspec
def imagemonkey_jobs() -> list[JobSpec]:
    """Background jobs this plugin registers (:class:`imagemonkey.jobs.JobSpec`).

    Called once when the app is built; a job name registered twice stops start-up with a
    ``PluginError``. Queue a job with ``enqueue_job(request, name, **params)``; a
    ``JobSpec(..., every_seconds=N)`` also runs every N seconds (whole minutes).

    :returns: a list of ``JobSpec`` (names dotted and prefixed with the plugin's name)
    """
