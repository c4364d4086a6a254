"""Each contributor's verified image labels (``validate_person``), kept when a subject's state or owner changes,
and what validate adds to a public profile (``imagemonkey_profile``)."""
from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import StatCounter, table_counter

from .counters import upsert_many
from .models import PersonCount, Subject, Trust
from .subjects import IMAGE_LABEL

#: The badge for verified labels: how many it takes.
VERIFIED_BADGE = 100


def count_owned(dbsession: Any, moves: list[tuple[str, int | None, str | None, str | None]]) -> None:
    """Apply subjects' moves ``(kind, owner_id, old_state, new_state)`` to their owners' verified labels, one row
    per owner, in owner order (as :func:`.voting.add_trust`, so concurrent settlements do not deadlock)."""
    deltas: Counter[int] = Counter()
    for kind, owner_id, old, new in moves:
        if kind == IMAGE_LABEL and owner_id is not None and (old == "verified") != (new == "verified"):
            deltas[owner_id] += 1 if new == "verified" else -1
    upsert_many(dbsession, PersonCount, ["contributor_id"],
                [{"contributor_id": owner, "verified_labels": n} for owner, n in sorted(deltas.items()) if n])


def _recount(dbsession: Any) -> Any:
    return dbsession.execute(select(Subject.owner_id, func.count()).where(
        Subject.kind == IMAGE_LABEL, Subject.state == "verified", Subject.owner_id.is_not(None))
        .group_by(Subject.owner_id))


def recount() -> StatCounter:
    """``validate.person_verified``: the owners' verified labels recounted from the subjects."""
    return table_counter("validate.person_verified", PersonCount.__table__, ["contributor_id"], ["verified_labels"],
                         _recount)


def profile(request: Any, account: Any) -> dict[str, Any]:
    """``verified_labels`` and ``agreement`` (the trust record: how much the person's votes agreed with the other
    votes on their subjects, summed at every settlement) for a public profile, and the verified-labels badge."""
    dbsession = request.dbsession
    verified = dbsession.scalar(select(PersonCount.verified_labels).where(
        PersonCount.contributor_id == account.id)) or 0
    record = dbsession.execute(select(Trust.correct, Trust.wrong).where(Trust.contributor_id == account.id)).first()
    correct, wrong = (record.correct or 0.0, record.wrong or 0.0) if record else (0.0, 0.0)
    weighed = correct + wrong
    badges = [{"id": "validate.verified_100", "name": f"{VERIFIED_BADGE} verified labels",
               "rule": f"{VERIFIED_BADGE} of their labels verified by the crowd"}] if verified >= VERIFIED_BADGE else []
    return {"stats": {"verified_labels": verified,
                      "agreement": {"share": round(correct / weighed, 3) if weighed > 0.005 else None,
                                    "settled": round(weighed)}},
            "badges": badges}
