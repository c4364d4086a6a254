"""Requests outside HTTP (CLI, start-up): the same ``request.dbsession`` and hooks, one transaction."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import transaction
from pyramid.scripting import prepare


@contextmanager
def app_request(registry: Any, contributor: Any = None) -> Iterator[Any]:
    """A request bound to ``registry`` whose work commits at the end (or rolls back on error)."""
    env = prepare(registry=registry)
    request = env["request"]
    request.tm = transaction.TransactionManager(explicit=True)
    request.contributor = contributor
    try:
        with request.tm:
            yield request
    finally:
        env["closer"]()
