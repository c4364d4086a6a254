"""Moderators' decisions: keep, remove, remove and revert the donor; each logged and revertable.

- keep: the image becomes public; its open reports are dismissed and their reporters lose weight.
- remove: the image is hidden (files kept, so the decision can be undone) and blocked from re-donation,
  near copies included; its open reports are upheld.
- remove_and_revert: remove, then undo everything the donor did (every plugin's revert hook) and block them.
Reverting a decision puts the image, its reports, the reporters' standing and the queue item back as they
were, and unblocks a reverted donor. Both follow core's role hierarchy: only a role above the donor's (or an
admin) may revert and block them, and only a role at least as high as a decision's author may revert it.
What a donor's revert deleted stays deleted: core's revert removes their donations for good (files included),
so reverting ``remove_and_revert`` gives back the donor's token only.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from imagemonkey.plugin import (
    MAX_INT32,
    ApiError,
    Contributor,
    Image,
    after_commit,
    ascii_int,
    change_status,
    conflict,
    forbidden,
    invalid,
    isoformat,
    may_act_on,
    may_undo,
    not_found,
    record_contribution,
    utcnow,
    write,
)

from .models import Decision, QueueItem, Report, Standing
from .settings import DECISIONS

NEW_STATUS = {"keep": "public", "remove": "hidden", "remove_and_revert": "hidden"}
REPORT_OUTCOME = {"keep": "dismissed", "remove": "upheld", "remove_and_revert": "upheld"}
REASON_MAX = 500


def read_decision(body: dict[str, Any]) -> tuple[int, str, str | None]:
    """``image_id``, ``decision`` and ``reason`` of a decision body, or a 4xx."""
    raw_id, decision, reason = body.get("image_id"), body.get("decision"), body.get("reason")
    image_id = ascii_int(str(raw_id)) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None
    if image_id is None:
        raise invalid("image_id must be an image id (ASCII digits).", field="image_id")
    if decision not in DECISIONS:
        raise invalid(f"decision must be one of {', '.join(DECISIONS)}.", field="decision")
    if reason is not None and (not isinstance(reason, str) or len(reason) > REASON_MAX):
        raise invalid(f"reason must be a string of at most {REASON_MAX} characters.", field="reason")
    if image_id > MAX_INT32:  # larger than any id a column holds: no such image
        raise not_found("image")
    return image_id, decision, reason


def decide(request: Any, image_id: int, decision: str, reason: str | None) -> Decision:
    """Apply ``decision`` to the image and log it."""
    dbsession = request.dbsession
    moderator = request.contributor
    image = dbsession.get(Image, image_id, with_for_update=True)
    if image is None or image.status == "removed":
        raise not_found("image")
    if decision == "remove_and_revert" and image.donor_id is None:
        raise ApiError(409, "no_donor", "This image has no donor to revert.")
    if decision == "remove_and_revert" and image.donor_id == moderator.id:
        raise ApiError(409, "cannot_revert_self", "A moderator cannot revert their own contributions.")
    donor = dbsession.get(Contributor, image.donor_id) if decision == "remove_and_revert" else None
    if donor is not None and not may_act_on(moderator, donor):
        raise forbidden("Only an admin may revert and block a contributor whose role is equal to or above yours.")
    item = dbsession.get(QueueItem, image.id, with_for_update=True)
    now = utcnow()
    record = Decision(image_id=image.id, moderator_id=moderator.id, decision=decision, reason=reason,
                      old_status=image.status, new_status=NEW_STATUS[decision],
                      was_hidden=bool(item and item.hidden), status_before=item.status_before if item else None,
                      waited_seconds=(now - item.opened_at).total_seconds() if item and item.is_open else None,
                      created_at=now)
    dbsession.add(record)
    dbsession.flush()
    _settle_reports(request, image.id, record.id, REPORT_OUTCOME[decision])
    if item is not None:
        item.is_open, item.hidden, item.status_before = False, False, None
    change_status(request, image, NEW_STATUS[decision], f"moderation: {decision}" + (f": {reason}" if reason else ""))
    if donor is not None:
        record.reverted_contributor_id = donor.id
        _revert_donor(request, donor)
    record_contribution(request, "report.decision", record.id)
    return record


def revert(request: Any, decision_id: int) -> Decision:
    """Undo ``decision_id`` (the latest decision on its image)."""
    dbsession = request.dbsession
    record = dbsession.get(Decision, decision_id, with_for_update=True)
    if record is None:
        raise not_found("decision")
    author = dbsession.get(Contributor, record.moderator_id) if record.moderator_id is not None else None
    if author is not None and not may_undo(request.contributor, author.role):
        raise forbidden(f"Only a {author.role} or a higher role may revert this decision of a {author.role}.")
    if record.reverted_at is not None:
        raise conflict("This decision was already reverted.")
    later = dbsession.scalar(select(Decision.id).where(Decision.image_id == record.image_id, Decision.id > record.id,
                                                       Decision.reverted_at.is_(None)).limit(1))
    if later is not None:
        raise conflict("A later decision on this image stands; revert that one first.", decision_id=str(later))
    image = dbsession.get(Image, record.image_id, with_for_update=True)
    if image.status != "removed":  # removed by a donor's revert: its files are gone, only the donor comes back
        _reopen_reports(request, record)
        item = dbsession.get(QueueItem, record.image_id, with_for_update=True)
        if item is not None:
            item.is_open, item.hidden, item.status_before = True, record.was_hidden, record.status_before
        change_status(request, image, record.old_status, f"moderation: decision {record.id} reverted")
    if record.reverted_contributor_id is not None:
        donor = dbsession.get(Contributor, record.reverted_contributor_id)
        if donor is not None:
            donor.blocked = False
            _forget_identities(request)
    record.reverted_at, record.reverted_by = utcnow(), request.contributor.id
    record_contribution(request, "report.decision_revert", record.id)
    return record


def decision_json(record: Decision) -> dict[str, Any]:
    """The API's view of a decision."""
    return {"id": str(record.id), "image_id": str(record.image_id), "decision": record.decision,
            "reason": record.reason, "old_status": record.old_status, "new_status": record.new_status,
            "moderator_id": str(record.moderator_id) if record.moderator_id else None,
            "created_at": isoformat(record.created_at), "reverted_at": isoformat(record.reverted_at)}


def _settle_reports(request: Any, image_id: int, decision_id: int, outcome: str) -> None:
    dbsession = request.dbsession
    reporters = list(dbsession.scalars(select(Report.contributor_id).where(
        Report.image_id == image_id, Report.state == "open", Report.moderator.is_(False))))
    write(request, update(Report).where(Report.image_id == image_id, Report.state == "open")
          .values(state=outcome, decision_id=decision_id))
    _adjust_standing(dbsession, reporters, outcome, +1)


def _reopen_reports(request: Any, record: Decision) -> None:
    dbsession = request.dbsession
    outcome = REPORT_OUTCOME[record.decision]
    reporters = list(dbsession.scalars(select(Report.contributor_id).where(
        Report.decision_id == record.id, Report.moderator.is_(False))))
    write(request, update(Report).where(Report.decision_id == record.id).values(state="open", decision_id=None))
    _adjust_standing(dbsession, reporters, outcome, -1)


def _adjust_standing(dbsession: Any, contributor_ids: list[int], outcome: str, step: int) -> None:
    for contributor_id in contributor_ids:
        standing = dbsession.get(Standing, contributor_id, with_for_update=True)
        if standing is None:
            standing = Standing(contributor_id=contributor_id, dismissed=0, upheld=0)
            dbsession.add(standing)
        if outcome == "dismissed":
            standing.dismissed = max(0, standing.dismissed + step)
        else:
            standing.upheld = max(0, standing.upheld + step)


def _revert_donor(request: Any, donor: Contributor) -> None:
    """Undo everything the donor did through every plugin's revert hook (core's included), and block them."""
    request.registry.pm.hook.imagemonkey_revert_contributor(request=request, contributor=donor)
    donor.blocked = True
    _forget_identities(request)


def _forget_identities(request: Any) -> None:
    cache = request.registry.get("identity_cache") if hasattr(request.registry, "get") else None
    if cache is not None:
        cache.clear()
        after_commit(request, cache.clear)  # again once the block is visible: a request may have cached the old row
