"""Undoing everything one contributor did: the moderator's revert and an account deleted with "revert"."""
from __future__ import annotations

from typing import Any

from sqlalchemy import update

from ..models import Contribution


def revert_contributor(request: Any, contributor: Any) -> dict[str, int]:
    """Undo every contribution of ``contributor`` through each owner's ``imagemonkey_revert_contributor`` hook and
    mark its whole contribution log reverted, in the request's transaction.

    Returns ``{"<kind>": count}`` of what was undone, summed over the owners. Who may do this is the caller's check.
    """
    reverted: dict[str, int] = {}
    for result in request.registry.pm.hook.imagemonkey_revert_contributor(request=request, contributor=contributor):
        for kind, count in (result or {}).items():
            reverted[kind] = reverted.get(kind, 0) + count
    request.dbsession.execute(update(Contribution).where(Contribution.contributor_id == contributor.id)
                              .values(reverted=True))
    return reverted
