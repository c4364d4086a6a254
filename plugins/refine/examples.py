"""Example pictures per value of a property: a few public images whose settled value is that value (the quiz's
"this is what brown looks like"), read from the index ``refine_settled (label, property, value, image_id)`` and
kept in the plugin's per-app state for ``refine.examples_ttl`` seconds."""
from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import Image, get_setting, plugin_state, public_route_url

from .models import Settled

PER_VALUE = 3


def _read(request: Any, label: str, prop: str, values: tuple[str, ...]) -> list[dict[str, Any]]:
    """One indexed query per value: the newest public images where ``label``'s ``prop`` settled to it."""
    found = []
    for value in values:
        ids = request.dbsession.scalars(
            select(Settled.image_id).distinct().join(Image, Image.id == Settled.image_id)
            .where(Settled.label == label, Settled.property == prop, Settled.value == value,
                   Image.status == "public")
            .order_by(Settled.image_id.desc()).limit(PER_VALUE)).all()
        if ids:
            found.append({"value": value, "images": [
                {"id": str(image_id),
                 "url": public_route_url(request, "api.image_file", id=image_id, _query={"size": "thumb"})}
                for image_id in ids]})
    return found


def examples(request: Any, label: str, prop: str, values: tuple[str, ...]) -> list[dict[str, Any]]:
    """``[{"value", "images": [{"id", "url"}]}]`` for the values that have settled examples (at most
    :data:`PER_VALUE` each, public images only, so one cached answer serves every caller)."""
    ttl = get_setting(request, "refine.examples_ttl")
    cache = plugin_state(request, "refine").setdefault("examples", {})
    key = (label, prop, values)
    now = time.monotonic()
    cached = cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    found = _read(request, label, prop, values)
    if ttl > 0:
        if len(cache) > 1000:  # bounded: the catalog's (label, property) pairs, cleared if it ever grows past them
            cache.clear()
        cache[key] = (now + ttl, found)
    return found
