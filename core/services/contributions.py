"""Recording writes in the contribution log, and reading it back."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select, text

from ..db.prepared import PreparedWrite
from ..models import Contribution
from ..models.types import UTCDateTime, isoformat, utcnow
from .counters import ACTIVE, count_write, shard_of, today

INSERT_CONTRIBUTION = PreparedWrite(insert(Contribution),
                                    ["contributor_id", "kind", "target_id", "created_at", "reverted"])
#: On PostgreSQL the log entry and :func:`count_write`'s three counter writes are one statement (one round trip
#: instead of four; SQLite, in process, has no data-modifying WITH and runs them one by one).
LOG_AND_COUNT = PreparedWrite(text(
    "WITH logged AS (INSERT INTO contribution (contributor_id, kind, target_id, created_at, reverted) "
    "VALUES (:contributor_id, :kind, :target_id, :created_at, false)), "
    "active AS (INSERT INTO stat_active (day, contributor_id) VALUES (:day, :contributor_id) "
    "ON CONFLICT (day, contributor_id) DO NOTHING RETURNING day) "
    "INSERT INTO stat_daily (day, kind, shard, count) "
    "SELECT CAST(:day AS VARCHAR), CAST(:kind AS VARCHAR), CAST(:shard AS INTEGER), 1 "
    f"UNION ALL SELECT day, '{ACTIVE}', CAST(:shard AS INTEGER), 1 FROM active "
    "ON CONFLICT (day, kind, shard) DO UPDATE SET count = stat_daily.count + excluded.count")
    .bindparams(bindparam("created_at", type_=UTCDateTime)),
    ["contributor_id", "kind", "target_id", "created_at", "day", "shard"])


def record(request: Any, kind: str, target_id: object, contributor: Any = None) -> None:
    """Log one write of ``kind`` (``<owner>.<verb>``) on ``target_id`` by the request's contributor."""
    who = contributor or request.contributor
    dbsession = request.dbsession
    entry = {"contributor_id": who.id, "kind": kind, "target_id": str(target_id), "created_at": utcnow()}
    if dbsession.get_bind().dialect.name == "postgresql":
        LOG_AND_COUNT.execute(dbsession, {**entry, "day": today(), "shard": shard_of(dbsession)})
        return
    INSERT_CONTRIBUTION.execute(dbsession, {**entry, "reverted": False})
    count_write(dbsession, who.id, kind)


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
