"""Recording writes in the contribution log, and reading it back."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select, text, update

from ..db.prepared import PreparedWrite
from ..models import Contribution
from ..models.types import UTCDateTime, isoformat, utcnow
from .counters import ACTIVE, count_write, day_of_moment, shard_of
from .person_counters import count_person, person_ctes, week_of

INSERT_CONTRIBUTION = PreparedWrite(insert(Contribution),
                                    ["contributor_id", "kind", "target_id", "created_at", "reverted", "label"])


def log_and_count_sql(before: str = "", target: str = "CAST(:target_id AS VARCHAR)", source: str = "",
                      result: str = "SELECT 1") -> str:
    """PostgreSQL: a log entry, :func:`count_write`'s three counter writes and the person's three counters
    (:func:`.person_counters.person_ctes`) as one statement (one round trip instead of seven; SQLite, in
    process, has no data-modifying WITH and runs them one by one).

    ``before`` adds CTEs ahead (each ending with ``", "``), ``target``/``source`` say where the entry's target
    comes from (``source`` a ``FROM`` clause), ``result`` is the statement's final ``SELECT``. Parameters:
    ``contributor_id``, ``kind``, ``created_at``, ``day``, ``week``, ``shard``, ``label`` (None: the write names
    no label) and ``target_id`` by default.
    """
    return (f"WITH {before}{person_ctes()}"
            "logged AS (INSERT INTO contribution (contributor_id, kind, target_id, created_at, reverted, label) "
            f"SELECT :contributor_id, :kind, {target}, :created_at, false, CAST(:label AS VARCHAR){source}), "
            "active AS (INSERT INTO stat_active (day, contributor_id) VALUES (:day, :contributor_id) "
            "ON CONFLICT (day, contributor_id) DO NOTHING RETURNING day), "
            "counted AS (INSERT INTO stat_daily (day, kind, shard, count) "
            "SELECT CAST(:day AS VARCHAR), CAST(:kind AS VARCHAR), CAST(:shard AS INTEGER), 1 "
            f"UNION ALL SELECT day, '{ACTIVE}', CAST(:shard AS INTEGER), 1 FROM active "
            f"ON CONFLICT (day, kind, shard) DO UPDATE SET count = stat_daily.count + excluded.count) {result}")


LOG_KEYS = ["contributor_id", "kind", "created_at", "day", "week", "shard", "label"]
LOG_AND_COUNT = PreparedWrite(text(log_and_count_sql()).bindparams(bindparam("created_at", type_=UTCDateTime)),
                              [*LOG_KEYS, "target_id"])


def log_params(request: Any, kind: str, contributor: Any = None, label: str | None = None) -> dict[str, Any]:
    """The parameters of :func:`log_and_count_sql` for a write of ``kind`` by the request's contributor, now."""
    now = utcnow()  # the entry's day is the counters' day, also at midnight (stats verify recounts by it)
    day = day_of_moment(now)
    return {"contributor_id": (contributor or request.contributor).id, "kind": kind, "created_at": now,
            "day": day, "week": week_of(day), "shard": shard_of(request.dbsession), "label": label}


def record(request: Any, kind: str, target_id: object, contributor: Any = None, *, label: str | None = None) -> None:
    """Log one write of ``kind`` (``<owner>.<verb>``) on ``target_id`` by the request's contributor; ``label``: the
    label the write was about, if any (the person's counters per label: profiles, "top of a label this week")."""
    dbsession = request.dbsession
    if dbsession.get_bind().dialect.name == "postgresql":
        LOG_AND_COUNT.execute(dbsession, {**log_params(request, kind, contributor, label),
                                          "target_id": str(target_id)})
        return
    who = contributor or request.contributor
    now = utcnow()
    INSERT_CONTRIBUTION.execute(dbsession, {"contributor_id": who.id, "kind": kind, "target_id": str(target_id),
                                            "created_at": now, "reverted": False, "label": label})
    day = day_of_moment(now)
    count_write(dbsession, who.id, kind, day)
    count_person(dbsession, who.id, kind, day, label)


def mark_reverted(request: Any, contributor_id: int, kind: str, target_ids: list[str]) -> int:
    """Mark ``contributor_id``'s log entries of ``kind`` on ``target_ids`` reverted (they stay counted as written:
    a claim's dropped double vote); returns how many."""
    if not target_ids:
        return 0
    return request.dbsession.execute(update(Contribution).where(
        Contribution.contributor_id == contributor_id, Contribution.kind == kind,
        Contribution.target_id.in_(target_ids)).values(reverted=True)).rowcount


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
