"""The datasets plugin's implementations of core's hooks."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import get_setting, hookimpl, render_fragment

from . import cli, jobs, openapi, takedown
from .models import Release, ReleaseFile
from .releases import latest, release_json


@hookimpl
def imagemonkey_jobs() -> list[Any]:
    """Building releases and revisions, and the scheduled release."""
    return jobs.SPECS


@hookimpl
def imagemonkey_image_status_changed(request: Any, image: Any, old_status: str, new_status: str,
                                     reason: str | None) -> None:
    """A released image that stops being public is taken out of its releases in new revisions."""
    if old_status == "public" and new_status != "public":
        takedown.image_left(request, image, new_status, reason)


@hookimpl
def imagemonkey_navigation(request: Any) -> list[dict[str, Any]]:
    """The /datasets page in the site's navigation and the home page's list."""
    return [{"title": "Download", "href": request.route_path("datasets.page"),
             "description": f"Download the dataset in your tools' formats, and cite it "
                            f"(licence {get_setting(request, 'datasets.license')})."}]


@hookimpl
def imagemonkey_page_slots(request: Any, page: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The home page's card with the latest release and the licence; a line in the footer."""
    if page not in ("home", "footer"):
        return None
    release = latest(request.dbsession)
    values = {"release": release_json(request, release) if release else None,
              "license": get_setting(request, "datasets.license"), "href": request.route_path("datasets.page")}
    if page == "footer":
        return [{"id": "datasets-footer", "slot": "action",
                 "html": render_fragment(request, "imagemonkey_datasets:templates/footer.jinja2", values)}]
    return [{"id": "datasets-home", "slot": "card",
             "html": render_fragment(request, "imagemonkey_datasets:templates/home_card.jinja2", values)}]


@hookimpl
def imagemonkey_blobs_in_use(request: Any, keys: list[str]) -> list[str]:
    """Release files and snapshots stay in the store."""
    files = set(request.dbsession.scalars(select(ReleaseFile.blob_key).where(ReleaseFile.blob_key.in_(keys))))
    snapshots = set(request.dbsession.scalars(select(Release.snapshot_key).where(Release.snapshot_key.in_(keys))))
    return sorted(files | snapshots)


@hookimpl
def imagemonkey_openapi_paths() -> dict[str, Any]:
    """The releases API."""
    return openapi.PATHS


@hookimpl
def imagemonkey_cli_commands() -> list[Any]:
    """``imagemonkey datasets release ...``."""
    return [cli.COMMAND]
