"""Promoting a label suggestion into the catalog with a parent: kept in the database, merged into the catalog."""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import conflict, invalid, not_found
from ..inputs import check_line
from ..labels.catalog import load_catalog
from ..labels.fields import NAME_RE
from ..models import LabelSuggestion, PromotedLabel
from .suggestions import sync_suggestions

log = logging.getLogger(__name__)
DESCRIPTION_MAX = 500


def reload_catalog(registry: Any, dbsession: Any) -> None:
    """Rebuild ``registry["catalog"]`` from the catalog folder and the promoted labels in the database."""
    rows = dbsession.scalars(select(PromotedLabel).order_by(PromotedLabel.id))
    registry["catalog"] = load_catalog(registry.settings["imagemonkey.labels_dir"], [row.entry() for row in rows])


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
    if not NAME_RE.match(key) or "/" in key:
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
