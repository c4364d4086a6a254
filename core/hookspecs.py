"""Core hook specifications.

Hooks are synchronous, take keyword arguments and return plain values. Event hooks run
inside the request's transaction: raising rolls the whole request back; side effects
outside the database belong in :func:`imagemonkey.plugin.after_commit`. A spec may gain
arguments; it never loses or renames one. Every spec here is documented in
``docs/plugins.md`` and tested in ``tests/core/test_hooks.py`` (``test_hook_<name>``).
Collect-style hooks (lists of things with an id or name) raise ``PluginError`` when two
plugins answer the same id.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pyramid.registry import Registry
    from pyramid.request import Request
    from sqlalchemy import ColumnElement

    from .export.context import Exporter
    from .models import Contributor, Image, ImageLabel
    from .plugin_types import CliCommand, JobSpec

hookspec = pluggy.HookspecMarker("imagemonkey")
hookimpl = pluggy.HookimplMarker("imagemonkey")


@hookspec
def imagemonkey_image_donated(request: Request, image: Image, duplicate: bool) -> None:
    """An image was donated.

    Fires after the image row and its initial labels are flushed, inside the request's
    transaction. Returns nothing.

    :param request: the donating request (``request.contributor`` is the donor).
    :param image: the new (or, for a duplicate, the existing) image row.
    :param duplicate: True when the bytes were already stored; then ``image`` may be one the donor may not
        see (no labels were added, and the answer does not reveal it), and raising an ``ApiError`` refuses
        the copy.
    """


@hookspec
def imagemonkey_image_labeled(request: Request, image: Image, image_labels: list[ImageLabel]) -> None:
    """Labels were added to an image.

    Fires for labels given with a donation and through ``POST /images/{id}/labels``.
    Returns nothing.

    :param request: the request that added them.
    :param image: the labeled image.
    :param image_labels: only the new ImageLabel rows (flushed, with ids).
    """


@hookspec
def imagemonkey_image_status_changed(request: Request, image: Image, old_status: str, new_status: str,
                                     reason: str | None) -> None:
    """An image's status changed (``pending``, ``public``, ``removed``, ``quarantined``).

    Fires inside the transaction that changes it. Returns nothing.

    :param request: the request, or a scripting request from the CLI or a job.
    :param image: the image, already carrying ``new_status``.
    :param old_status: the status before.
    :param new_status: the status now.
    :param reason: the moderator's or the system's reason, or None.
    """


@hookspec
def imagemonkey_image_labels_removed(request: Request, image_labels: list[ImageLabel]) -> None:
    """Image labels are about to be deleted (a revert, a moderator's removal).

    Fires before the rows go, inside the transaction, so implementations can still read
    them and remove what they keep about them. Returns nothing.

    :param request: the request removing them.
    :param image_labels: the ImageLabel rows about to be deleted.
    """


@hookspec
def imagemonkey_task_kinds() -> list[str]:
    """The task kinds this plugin serves through :func:`imagemonkey_next_task`.

    Called once when the app is built. Collect-style: a kind served by two plugins is a
    PluginError. Returns a list of names.
    """


@hookspec(firstresult=True)
def imagemonkey_next_task(request: Request, kind: str, label: str | None) -> dict[str, Any] | None:
    """Choose the next task of ``kind`` for ``request.contributor``.

    Called by ``GET /api/v1/tasks/next``. The plugin serving ``kind`` returns the task as
    a JSON-ready dict (``{"kind": kind, "image": ..., ...}``) or ``{}`` when nothing is
    left; every other plugin returns None. The first non-None answer wins. Selection must
    use an index, never ``ORDER BY RANDOM()``, and must apply
    :func:`imagemonkey.plugin.task_image_clause`.

    :param request: the asking request (a contributor is present).
    :param kind: the task kind asked for.
    :param label: a catalog label name narrowing the task, or None.
    """


@hookspec
def imagemonkey_task_image_filter(request: Request, image_id: ColumnElement[int]) -> ColumnElement[bool] | None:
    """A condition an image must meet to be offered as any task.

    Called while a task is chosen (core's label tasks, validate, annotate, ...), through
    :func:`imagemonkey.plugin.task_image_clause`, which ANDs every answer. Keep it cheap
    and indexed (``NOT EXISTS`` on an indexed column), it runs inside index probes.

    :param request: the asking request (``request.contributor`` is set).
    :param image_id: a SQL column expression holding an image id (``Image.id``, ``Subject.image_id``).
    :returns: a SQL boolean clause, or None for no condition.
    """


@hookspec(firstresult=True)
def imagemonkey_task_preference(request: Request, kind: str,
                                image_id: ColumnElement[int]) -> ColumnElement[bool] | None:
    """Which images to offer first for a task of ``kind`` (the playground's active learning: where its model is unsure).

    Called while a task is chosen (core's label tasks, validate's questions), through
    :func:`imagemonkey.plugin.task_preference_clause`. The chooser first looks among the images the clause accepts,
    with all its usual conditions, and falls back to its usual order when none is left; answer None (no preference)
    for a share of calls to keep exploring. The first non-None answer wins. Keep the clause bounded (an ``IN`` over a
    small, indexed pool of ids).

    :param request: the asking request (``request.contributor`` is set).
    :param kind: the task kind being chosen (``"label"``, ``"validate"``, ...).
    :param image_id: a SQL column expression holding an image id.
    :returns: a SQL boolean clause, or None for no preference.
    """


@hookspec
def imagemonkey_statistics(request: Request) -> dict[str, Any] | None:
    """Contribute a section to ``GET /api/v1/statistics``.

    Collect-style: two plugins answering the same section name is a PluginError.

    :param request: the asking request.
    :returns: ``{"section_name": {...}}`` (merged into the answer) or None.
    """


@hookspec
def imagemonkey_statistics_counters() -> list[Any] | None:
    """Declare the statistics counters this plugin keeps, each with its recount from the plugin's tables.

    Collect-style: ``imagemonkey stats verify`` (and the test suite, after every test) compares each
    counter with its recount and prints the differences; ``--repair`` writes the recounted values.
    Two counters with the same name are an error.

    :returns: a list of ``StatCounter`` (``table_counter(...)``, ``daily_counter(...)``) or None.
    """


@hookspec
def imagemonkey_extension_actions(request: Request) -> list[dict[str, Any]] | None:
    """Actions the browser extension offers, collected into ``GET /api/v1/extension``.

    Each action is ``{"id", "title", "contexts": ["image" | "page" | "popup"], "kind":
    "donate|label|task|report|predict|similar|link", ...}``; ``url`` (``{image_id}`` and
    ``{image_url}`` are filled in by the extension) for ``task``/``link``/``predict``,
    ``method`` and ``api`` for ``report``. Collect-style by ``id``.

    :param request: the asking request.
    :returns: a list of actions or None.
    """


@hookspec
def imagemonkey_navigation(request: Request) -> list[dict[str, Any]] | None:
    """Navigation entries for the site's layout and home page.

    Collect-style by ``href``.

    :param request: the page's request.
    :returns: entries ``{"title", "href", "description"}`` or None.
    """


@hookspec
def imagemonkey_page_slots(request: Request, page: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Fragments of HTML a plugin adds to a core page (or to another plugin's page).

    Called while ``page`` renders: ``"image"`` (context ``{"image": image JSON}``),
    ``"home"`` (``{}``), ``"browse_tile"`` (``{}``, once per page: the same slots go into every
    tile, the server's and those the browser adds as you scroll; the tile carries ``data-image-id``
    and a slot that needs more of the picture reads it from ``GET /api/v1/images/{id}``),
    ``"moderate"`` (``{}``; the queue itself loads in the browser with the moderator's token),
    ``"me"`` (``{}``; the page shows the browser's own contributions, loaded with its token), ``"footer"``
    (``{}``; every page's footer line), and
    plugin pages whose picture changes in the browser: ``"validate"`` (``{}``; validate's question
    page), ``"validate_grid"`` (``{}``; its ``action`` slots are stamped into every grid tile) and
    ``"annotate"`` (``{"image_id": str}``; the editor). On those a slot finds its picture as the
    nearest ``data-image-id`` above it and follows the ``imagemonkey:image`` event; after taking
    the picture out of the contributor's tasks it dispatches ``imagemonkey:image-withdrawn`` and
    the page moves on (``/static/slots.js``, docs/plugins.md). Core renders the slots of each
    kind in the order plugins were loaded. Collect-style by ``id``.

    :param request: the page's request.
    :param page: which page renders.
    :param context: what the page shows (read it, do not change it).
    :returns: items ``{"id", "slot": "panel|action|card|section", "html": Markup}``
        (build ``html`` with :func:`imagemonkey.plugin.render_fragment`), or None.
    """


@hookspec
def imagemonkey_exporters() -> list[Exporter] | None:
    """Dataset exporters this plugin adds (instances of :class:`imagemonkey.plugin.Exporter`).

    Called by ``imagemonkey export``. Collect-style by ``name``.

    :returns: a list of exporters or None.
    """


@hookspec
def imagemonkey_export_attributes(request: Request, image_label_ids: list[int]) -> dict[int, dict[str, str]] | None:
    """Attributes of image labels that exports carry (the refine plugin's settled ``{"color": "brown"}``).

    Called by exporters through ``ExportContext.attributes_of`` (COCO ``attributes``, core's ``json``, the
    datasets plugin's releases) with one batch of at most a few thousand ImageLabel ids; answer with one
    indexed query. Collect-style: the answers are merged per image label, and two plugins giving one image
    label the same attribute name raise ``PluginError``.

    :param request: the request (or scripting request) of the export.
    :param image_label_ids: the ImageLabel ids of one batch.
    :returns: ``{image_label_id: {name: value}}`` for those that have attributes, or None.
    """


@hookspec
def imagemonkey_export_shape_attributes(request: Request, shape_ids: list[int]) -> dict[int, dict[str, str]] | None:
    """Attributes of single outlined objects (shapes) that exports carry (refine's settled ``{"color": "brown"}`` of
    one outlined dog).

    Called by exporters that write one record per shape (annotate's ``coco``) through
    ``ExportContext.shape_attributes_of`` with one batch of shape ids; answer with one indexed query. Merged per
    shape like ``imagemonkey_export_attributes``; exporters lay a shape's attributes over its image label's.

    :param request: the request (or scripting request) of the export.
    :param shape_ids: the shape ids of one batch (the ids ``imagemonkey_outline_shapes`` answers).
    :returns: ``{shape_id: {name: value}}`` for those that have attributes, or None.
    """


@hookspec
def imagemonkey_outline_shapes(request: Request, image_label_ids: list[int],
                               shape_ids: list[int]) -> list[dict[str, Any]] | None:
    """The outlined objects a plugin keeps: the current shapes of these image labels' outlines, and these shapes.

    Core keeps no outlines; the annotate plugin answers, so that another plugin (refine asking "what colour is
    this dog?" about one outlined dog) learns about shapes without importing annotate. Answer only shapes of an
    image label's *current* outline (a shape a later revision removed is not answered), with a few indexed
    queries for the whole batch (at most a few hundred ids of each). Called through
    ``imagemonkey.plugin.outline_shapes``.

    :param request: the request asking (``request.dbsession`` reads).
    :param image_label_ids: ImageLabel ids whose current shapes are wanted (may be empty).
    :param shape_ids: shape ids wanted when they are in a current outline (may be empty).
    :returns: ``[{"id": int, "image_label_id": int, "shape": {"type": "rect", ...}}]`` or None.
    """


@hookspec
def imagemonkey_cli_commands() -> list[CliCommand] | None:
    """Subcommands this plugin adds to ``imagemonkey``: ``imagemonkey <name> ...``.

    Called when the command line is asked for a command core does not have; the app is
    built first from ``--config``/``--data-dir``/``--plugins`` (migrated, like
    ``imagemonkey serve``). Collect-style by ``name``.

    :returns: :class:`imagemonkey.plugin.CliCommand` items or None.
    """


@hookspec
def imagemonkey_startup(registry: Registry) -> None:
    """The app is built (migrations done, plugins loaded); it has not served anything yet.

    Called once per built app, in every process that builds one (``imagemonkey serve``,
    a CLI command, a test's app). Use :func:`imagemonkey.plugin.app_request` for database
    work. Raising stops start-up. Returns nothing.

    :param registry: the app's registry (settings, plugin manager).
    """


@hookspec
def imagemonkey_revert_contributor(request: Request, contributor: Contributor) -> dict[str, int] | None:
    """Undo everything ``contributor`` did of the kinds this plugin owns.

    Called once per plugin by ``POST /api/v1/contributors/{id}/revert`` and by an account's own
    deletion with ``"contributions": "revert"`` (``DELETE /api/v1/me``), inside one transaction.
    Core's implementation is declared ``trylast`` (it removes labels and images), so every
    plugin runs before it whatever the load order. Must be idempotent.

    :param request: the moderator's request, or the deleting account's own.
    :param contributor: the contributor whose work is undone.
    :returns: ``{"<kind>": count}`` of what was undone, or None.
    """


@hookspec
def imagemonkey_contributor_merged(request: Request, source_id: int, target_id: int) -> dict[str, int] | None:
    """Move everything contributor ``source_id`` did, of the tables this plugin owns, to ``target_id``.

    Called once per plugin when an account logs in with ``"claim": true`` and the browser's anonymous
    token (``POST /api/v1/sessions``), inside the request's transaction and before core moves its own
    tables (images' donor, labels, captions, the contribution log, the person counters). Where both
    contributors wrote the same thing (a vote on one subject), keep the target's, drop the source's,
    recompute what depended on it and mark the dropped write's log entry reverted. Counters must stay
    exact (``imagemonkey stats verify``).

    :param request: the logging-in request (``request.contributor`` is still the anonymous one).
    :param source_id: the anonymous contributor whose work moves.
    :param target_id: the account that receives it.
    :returns: ``{"<kind>": count}`` of the rows moved, or None.
    """


@hookspec
def imagemonkey_serialize_images(request: Request, images: list[Image], documents: list[dict[str, Any]]) -> None:
    """Add fields to the JSON of images, wherever core serializes them.

    ``documents[i]`` is the dict for ``images[i]``; mutate the dicts in place with one
    query for the whole batch. Returns nothing.

    :param request: the request serializing them.
    :param images: the Image rows.
    :param documents: their JSON documents, same order.
    """


@hookspec
def imagemonkey_serialize_image_labels(request: Request, image_labels: list[ImageLabel],
                                       documents: list[dict[str, Any]]) -> None:
    """Add fields to the JSON of image labels.

    ``documents[i]`` is the dict for ``image_labels[i]``; mutate the dicts in place with
    one query for the whole batch (the validate plugin adds ``votes``, ``state`` and
    ``confidence``). Returns nothing.

    :param request: the request serializing them.
    :param image_labels: the ImageLabel rows.
    :param documents: their JSON documents, same order.
    """


@hookspec
def imagemonkey_openapi_paths() -> dict[str, Any] | None:
    """OpenAPI 3 ``paths`` entries for this plugin's ``/api/`` routes.

    Merged into ``GET /api/v1/openapi.json``; a test fails when a route is missing.

    :returns: a dict or None.
    """


@hookspec
def imagemonkey_blobs_in_use(request: Request, keys: list[str]) -> list[str] | None:
    """Which of these blob-store keys a plugin still references, so ``imagemonkey gc`` keeps them.

    ``imagemonkey gc`` asks about the keys no image references, in batches of at most 500, twice
    (before and after its grace period). A plugin that stores its own blobs (the playground's model
    weights) answers the ones it uses, in one query per batch.

    :param request: a request with ``dbsession`` (gc's own transaction).
    :param keys: candidate keys (SHA-256 hex), at most 500.
    :returns: the keys among ``keys`` that this plugin references, or None.
    """


@hookspec
def imagemonkey_query_prefixes(registry: Any) -> list[Any] | None:
    """Prefixed terms this plugin adds to the query language (``verified:dog``, ``annotated:dog``).

    Returns a list of :class:`imagemonkey.query.QueryPrefix` (``name``, ``description`` and
    ``clause(label, image_id) -> SQL condition``) or None. Called once per app, on the first
    query; two plugins returning the same name is an error. The clause should be an indexed
    ``EXISTS`` on the plugin's table keyed by the image id.

    :param registry: the app's registry, for a clause that needs the app's settings or state (the
        playground's ``similar:ID`` asks its nearest-neighbour index); an implementation may leave it out.
    """


@hookspec
def imagemonkey_browse_orders() -> list[Any] | None:
    """Orders of browsed images this plugin adds (validate's ``fewest_votes``): ``?order=`` of the browse API and
    page.

    Returns a list of :class:`imagemonkey.plugin.BrowseOrder` (``name``, ``description``,
    ``order(statement, after) -> statement`` and ``key_size``) or None. Called once per app; a name core has
    (``newest``, ``oldest``, ``random``) or another plugin returned is an error. ``order`` joins the page's
    ``SELECT image`` to an index of the plugin's, adds the key columns (unique per image) and orders by them;
    ``after`` is the previous page's last key (the cursor) or None.
    """


@hookspec
def imagemonkey_query_count_fields() -> list[Any] | None:
    """Countable fields this plugin adds to the query language (annotate's ``annotations = 0``).

    Returns a list of :class:`imagemonkey.plugin.QueryField` (``name``, ``description`` and
    ``value(image_id) -> SQL integer``) or None. Called once per app, on the first query; a name
    core has (``width``, ``height``, ``labels``, ``id``) or another plugin returned is an error.
    ``value`` should be a correlated ``COUNT`` on the plugin's table that an index starting with
    the image id answers; core applies the comparison (``= != < <= > >=``) to it.

    :returns: a list of ``QueryField``, or None.
    """


@hookspec(firstresult=True)
def imagemonkey_query_property_clause(label: str, property: str, value: str, image_id: Any) -> Any:
    """The SQL condition for the query term ``label[property=value]`` (``dog[color=brown]``), or None.

    Core has already resolved ``label`` to its catalog name and checked that the catalog declares
    ``property`` for it with ``value`` among its allowed values. The plugin that keeps properties
    (refine) answers an indexed ``EXISTS`` on its own table keyed by ``image_id`` (the SQL column of
    an image id): "this image's ``label`` has ``property`` settled to ``value``". The first non-None
    answer wins; with none, the query is a 400 ``query_syntax`` saying a properties plugin is needed.

    :param label: the catalog label name.
    :param property: the property name, as the catalog declares it.
    :param value: one of the property's allowed values.
    :param image_id: the SQL column of the image id to correlate with.
    :returns: a SQLAlchemy boolean condition, or None.
    """


@hookspec
def imagemonkey_jobs() -> list[JobSpec]:
    """Background jobs this plugin registers (:class:`imagemonkey.plugin.JobSpec`).

    Called once when the app is built; a job name registered twice stops start-up with a
    ``PluginError``. Queue a job with ``enqueue_job(request, name, **params)``; a
    ``JobSpec(..., every_seconds=N)`` also runs every N seconds (whole minutes).

    :returns: a list of ``JobSpec`` (names dotted and prefixed with the plugin's name)
    """


@hookspec
def imagemonkey_contribution_kinds() -> dict[str, str] | None:
    """How a count of each contribution kind this plugin logs reads, for people (``/me``'s cards).

    Read by ``GET /api/v1/contributors/{id}/summary`` (its ``kinds``); a kind nobody names reads as its
    dotted name in words. Return plural words: ``{"validate.vote": "answers"}``.

    :returns: ``{"<kind>": "<words>"}`` for the kinds this plugin records, or None.
    """


@hookspec
def imagemonkey_describe_contributions(request: Request, documents: list[dict[str, Any]]) -> None:
    """Say in words what the contribution log entries of this plugin's kinds are, and where they lead.

    Called with one page of a contributor's log (``GET /api/v1/contributors/{id}/contributions``).
    For each document whose ``kind`` this plugin records, set ``"text"`` (what the contributor did:
    ``Answered whether image 12 shows a dog``) and, where it leads somewhere, ``"url"`` (a site path:
    ``/images/12``), in place, with one query per kind for the whole page. Leave other kinds alone.

    :param request: the request reading the log.
    :param documents: the entries' JSON documents (``id``, ``kind``, ``target_id``, ``created_at``, ``reverted``).
    """


@hookspec
def imagemonkey_verified_image_labels(request: Request, image_label_ids: list[int]) -> list[int] | None:
    """Which of these image labels others have verified (the crowd settled them as true).

    Core keeps no votes, so it asks: the image hunt (``GET /api/v1/me/hunt``) ticks a label off once
    the contributor's donation carries it and a plugin answers its id here. Answer with one indexed
    query for the whole batch (at most a few hundred ids); an id any plugin answers counts as verified.

    :param request: the request asking (``request.dbsession`` reads).
    :param image_label_ids: ImageLabel ids.
    :returns: the ids among ``image_label_ids`` that are verified, or None.
    """


@hookspec
def imagemonkey_profile(request: Request, account: Any, counts: dict[str, int]) -> dict[str, Any] | None:
    """Add this plugin's numbers and badges to a person's public profile (``GET /api/v1/people/{name}``,
    ``/people/<name>``).

    Collect-style; called only for an account whose profile is public. Read your own counters (one
    row or a few per person), never scan tables: a profile is answered at any size of the dataset.

    :param request: the request reading the profile.
    :param account: the account (a ``Contributor``: ``id``, ``name``, ``created_at``).
    :param counts: the account's writes ever, by contribution kind (core's person counters).
    :returns: ``{"stats": {"<name>": number or {...}}, "badges": [{"id", "name", "rule"}]}`` (either key may be
        left out), or None.
    """
