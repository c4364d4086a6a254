"""Orders of browsed images that plugins add (``?order=fewest_votes`` from validate), beside core's newest, oldest
and random.

A plugin returns :class:`BrowseOrder` objects from ``imagemonkey_browse_orders``. Its ``order`` gets the page's
statement (``SELECT image`` with every condition of the query, visibility and status, no order) and the key of the
previous page's last image (or None), and returns that statement ordered along an index of the plugin's, with the
key's columns added after the image. Core reads ``limit + 1`` rows and gives out the last row's key as the cursor.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

#: the orders core answers itself
CORE_ORDERS = ("newest", "oldest", "random")


@dataclass(frozen=True)
class BrowseOrder:
    """``?order=name`` of ``GET /api/v1/images`` and ``/browse``.

    ``order(statement, after)`` returns ``statement`` (a ``SELECT`` of ``Image``) joined and ordered by the
    plugin's key, the key columns added (``SELECT image, k1, ..., kn``) and, when ``after`` (the ``key_size``
    integers of the previous page's last row) is given, only rows after it. The key must be unique per image and
    the order index-backed, so that a page is one bounded range.
    """

    name: str
    description: str
    order: Callable[[Select[Any], list[int] | None], Select[Any]]
    key_size: int = 2


def browse_orders(registry: Any) -> dict[str, BrowseOrder]:
    """The enabled plugins' orders by name (collected once per app); two claiming one name is an error."""
    cached = registry.get("browse_orders")
    if cached is not None:
        return cached
    found: dict[str, BrowseOrder] = {}
    for batch in registry.pm.hook.imagemonkey_browse_orders():
        for order in batch or []:
            if order.name in found or order.name in CORE_ORDERS:
                raise ValueError(f"two plugins (or a plugin and core) define the browse order {order.name!r}")
            found[order.name] = order
    registry["browse_orders"] = found
    return found


#: orders that only a plugin answers, with the plugin that does (named in the 400 when it is not enabled)
PLUGIN_ORDERS = {"fewest_votes": "validate"}


def order_names(registry: Any) -> tuple[str, ...]:
    """Every order this app answers: core's, then the plugins'."""
    return CORE_ORDERS + tuple(browse_orders(registry))
