"""How much a report counts: the reporter's standing, freshness, earlier dismissals and an hourly cap.

- A moderator's report hides at once (it weighs the whole threshold).
- A fresh anonymous token (younger than ``report.fresh_hours``, no validation standing) weighs
  ``report.fresh_weight``, and all fresh reports on one image together add at most ``report.fresh_image_cap``.
- Anyone else weighs ``report.base_weight``, times ``2 x reliability`` when validate knows how often their
  answers agreed with settled results (``validate_standing``, which counts only agreement that cost
  something, so tokens agreeing with each other earn none; 0.5 = unknown = x1), at most ``report.max_weight``.
- Each report of theirs that a moderator dismissed (beyond those upheld) divides the weight by
  ``1 + report.dismissal_penalty``.
- What one reporter adds within an hour is capped (``report.hourly_weight_cap``, ``..fresh_hourly_weight_cap``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import Contributor, utcnow

from .models import Report, Standing
from .settings import Policy


@dataclass(frozen=True)
class Reporter:
    """What the weighting knows about one reporter."""

    contributor_id: int
    moderator: bool
    fresh: bool
    reliability: float | None
    dismissed: int = 0
    upheld: int = 0


def reliabilities(request: Any, contributor_ids: list[int], min_evidence: float) -> dict[int, float]:
    """Validate's agreement rate per contributor with enough record; empty when validate is not enabled."""
    hook = getattr(request.registry.pm.hook, "validate_standing", None)  # absent unless validate is enabled
    if not contributor_ids or hook is None or not hook.has_spec():
        return {}
    standing = hook(request=request, contributor_ids=list(contributor_ids)) or {}
    return {cid: entry["reliability"] for cid, entry in standing.items() if entry["evidence"] >= min_evidence}


def reporter_of(request: Any, policy: Policy, contributor: Any, now: datetime | None = None) -> Reporter:
    """The weighting's view of ``contributor`` (the request's identity) at ``now`` (default: the current time)."""
    if contributor.has_role("moderator"):
        return Reporter(contributor.id, moderator=True, fresh=False, reliability=None)
    reliability = reliabilities(request, [contributor.id], policy.min_evidence).get(contributor.id)
    created_at = request.dbsession.scalar(select(Contributor.created_at).where(Contributor.id == contributor.id))
    young = created_at is not None and created_at > (now or utcnow()) - timedelta(hours=policy.fresh_hours)
    fresh = contributor.kind == "client" and young and reliability is None
    standing = request.dbsession.get(Standing, contributor.id)
    return Reporter(contributor.id, moderator=False, fresh=fresh, reliability=reliability,
                    dismissed=standing.dismissed if standing else 0, upheld=standing.upheld if standing else 0)


def base_weight(policy: Policy, reporter: Reporter) -> float:
    """The weight of one report by ``reporter`` before the hourly cap."""
    if reporter.moderator:
        return policy.hide_threshold
    if reporter.fresh:
        weight = policy.fresh_weight
    else:
        weight = policy.base_weight * (2 * reporter.reliability if reporter.reliability is not None else 1.0)
    weight /= 1 + policy.dismissal_penalty * max(0, reporter.dismissed - reporter.upheld)
    return min(weight, policy.max_weight)


def weight_used_this_hour(request: Any, contributor_id: int, exclude_report_id: int | None,
                          now: datetime | None = None) -> tuple[int, float]:
    """How many reports ``contributor_id`` made in the hour before ``now`` and the weight they added."""
    now = now or utcnow()
    query = select(func.count(), func.coalesce(func.sum(Report.weight), 0.0)).where(
        Report.contributor_id == contributor_id, Report.created_at > now - timedelta(hours=1),
        Report.created_at <= now)
    if exclude_report_id is not None:
        query = query.where(Report.id != exclude_report_id)
    count, weight = request.dbsession.execute(query).one()
    return int(count), float(weight)


def capped_weight(policy: Policy, reporter: Reporter, used_this_hour: float) -> float:
    """``base_weight`` within what is left of the reporter's hourly cap."""
    weight = base_weight(policy, reporter)
    if reporter.moderator:
        return weight
    cap = policy.fresh_hourly_weight_cap if reporter.fresh else policy.hourly_weight_cap
    return max(0.0, min(weight, cap - used_this_hour))


def image_score(policy: Policy, weights: list[tuple[float, bool]]) -> float:
    """The score of an image from its open reports' ``(weight, fresh)``: fresh ones capped together."""
    established = sum(weight for weight, fresh in weights if not fresh)
    fresh = sum(weight for weight, fresh in weights if fresh)
    return established + min(fresh, policy.fresh_image_cap)
