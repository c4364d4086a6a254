"""Promoting a label suggestion into the catalog with a parent: kept in the database, merged into the catalog."""
from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from ..errors import conflict, invalid, not_found
from ..inputs import check_line
from ..labels.catalog import load_catalog
from ..labels.fields import NAME_RE
from ..models import LabelSuggestion, PromotedLabel
from .suggestions import sync_suggestions

log = logging.getLogger(__name__)
DESCRIPTION_MAX = 500
CHECK_EVERY_S = 10.0
PROMOTED_SEEN = "promoted_labels_seen"  # registry key: when this process last looked, and the newest id it saw


def reload_catalog(registry: Any, db: Any) -> None:
    """Rebuild ``registry["catalog"]`` from the catalog folder and the promoted labels (``db``: a session or a
    connection)."""
    rows = list(db.execute(select(PromotedLabel.id, PromotedLabel.name, PromotedLabel.is_a, PromotedLabel.description,
                                  PromotedLabel.plural).order_by(PromotedLabel.id)))
    entries = [{"name": row.name, "description": row.description, "plural": row.plural, "is_a": [row.is_a]}
               for row in rows]
    registry["catalog"] = load_catalog(registry.settings["imagemonkey.labels_dir"], entries)
    registry[PROMOTED_SEEN] = {"at": time.monotonic(), "last_id": rows[-1].id if rows else None}


def follow_promotions(registry: Any) -> None:
    """Reload this process's catalog when another process promoted a label since (one indexed ``max(id)``, asked at
    most every :data:`CHECK_EVERY_S` seconds; nothing on a database that is not migrated yet)."""
    seen = registry.get(PROMOTED_SEEN) or {"at": float("-inf"), "last_id": None}
    if time.monotonic() - seen["at"] < CHECK_EVERY_S:
        return
    try:
        with registry["db_engine"].connect() as connection:
            last_id = connection.scalar(select(func.max(PromotedLabel.id)))
            if last_id != seen["last_id"]:
                reload_catalog(registry, connection)
                return
    except (OperationalError, ProgrammingError):
        return
    registry[PROMOTED_SEEN] = {"at": time.monotonic(), "last_id": last_id}


def follow_promotions_on_request(event: Any) -> None:
    """Pyramid ``NewRequest`` subscriber: :func:`follow_promotions` before the request is handled."""
    follow_promotions(event.request.registry)


def _text(body: dict[str, Any], key: str, default: str, limit: int) -> str:
    """``body[key]`` on one line, spaces collapsed; ``default`` when it is missing or blank."""
    value = body.get(key, default)
    if not isinstance(value, str) or not 1 <= len(value) <= limit:
        raise invalid(f"{key} must be a string of 1 to {limit} characters.", field=key)
    check_line(value, key)
    return " ".join(value.split()) or default


def promote(request: Any, name: str, body: dict[str, Any]) -> dict[str, Any]:
    """Make suggestion ``name`` a catalog label that ``is_a`` the body's parent; images suggested it get it.

    404 when nobody suggested ``name``; 409 when the catalog has it already; 422 for a bad parent or text.
    Returns ``{"label": entry, "images": n}`` (``n`` image labels created).
    """
    catalog = request.registry["catalog"]
    key = " ".join(name.strip().lower().split())
    if catalog.resolve(key) is not None:
        raise conflict(f"The catalog has {key!r} already (as {catalog.resolve(key)!r}).")
    suggestion = request.dbsession.scalar(select(LabelSuggestion).where(LabelSuggestion.name == key))
    if suggestion is None:
        raise not_found("label suggestion")
    if not NAME_RE.match(key):
        raise invalid(f"{key!r} cannot be a catalog name: lowercase letters, digits, spaces and hyphens only.",
                      field="name", code="bad_name")
    parent = body.get("is_a")
    if not isinstance(parent, str) or catalog.resolve(parent) is None:
        raise invalid("is_a must name a catalog label, e.g. \"animal\".", field="is_a", code="unknown_parent")
    parent = catalog.resolve(parent)
    if "/" in parent or catalog.by_name[parent].scene:
        raise invalid(f"{parent!r} cannot be a parent here: a promoted label is a thing, its parent a top-level "
                      "thing.", field="is_a", code="bad_parent")
    row = PromotedLabel(name=key, is_a=parent, plural=_text(body, "plural", f"{key}s", 128),
                        description=_text(body, "description", f"A kind of {parent}.", DESCRIPTION_MAX),
                        contributor_id=request.contributor.id)
    request.dbsession.add(row)
    try:
        request.dbsession.flush()
    except IntegrityError as exc:  # promoted by someone else just now
        raise conflict(f"{key!r} was promoted just now.") from exc
    reload_catalog(request.registry, request.dbsession)
    created = sync_suggestions(request)["labels"]
    log.info("label promoted: %r is_a %r by contributor %s; %d image labels", key, parent, row.contributor_id,
             created)
    return {"label": request.registry["catalog"].by_name[key].to_json(), "images": created}
