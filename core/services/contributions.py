"""Recording writes in the contribution log, and reading it back."""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from ..db.prepared import PreparedWrite
from ..models import Contribution
from ..models.types import isoformat, utcnow
from .counters import count_write

INSERT_CONTRIBUTION = PreparedWrite(insert(Contribution),
                                    ["contributor_id", "kind", "target_id", "created_at", "reverted"])


def record(request: Any, kind: str, target_id: object, contributor: Any = None) -> None:
    """Log one write of ``kind`` (``<owner>.<verb>``) on ``target_id`` by the request's contributor."""
    who = contributor or request.contributor
    INSERT_CONTRIBUTION.execute(request.dbsession, {"contributor_id": who.id, "kind": kind,
                                                           "target_id": str(target_id), "created_at": utcnow(),
                                                           "reverted": False})
    count_write(request.dbsession, who.id, kind)


def page(dbsession: Any, contributor_id: int, *, limit: int, before_id: int | None) -> list[Contribution]:
    """Up to ``limit`` contributions, newest first, older than ``before_id``."""
    query = select(Contribution).where(Contribution.contributor_id == contributor_id)
    if before_id is not None:
        query = query.where(Contribution.id < before_id)
    return list(dbsession.scalars(query.order_by(Contribution.id.desc()).limit(limit)))


def to_json(entry: Contribution) -> dict[str, Any]:
    """The API form of a log entry."""
    return {"id": str(entry.id), "kind": entry.kind, "target_id": entry.target_id,
            "created_at": isoformat(entry.created_at), "reverted": entry.reverted}
