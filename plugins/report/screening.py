"""Screening a donation with every registered screener, outside any request's transaction.

``screen_image(registry, image_id)`` reads the image, runs the screeners (no database transaction is
held while a model runs), then routes the image in one transaction:
- a hit: quarantined and queued as ``screened`` with the detections;
- a screener that raises: stays pending, queued with the error;
- clean: public on a post-moderation site; on a pre-moderation site public when the donor is in good
  standing (``report.auto_unlock``), else queued as ``pending``.
"""
from __future__ import annotations

import json
import threading
from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import (
    Contributor,
    Image,
    JobContext,
    app_request,
    change_status,
    enqueue_job,
    get_setting,
    utcnow,
)

from .models import Decision, QueueItem
from .quarantine import hold
from .queue import open_item
from .settings import Policy
from .weighting import reporter_of

_LOCK = threading.Lock()


def screeners(registry: Any) -> list[Any]:
    """The screeners of this app, built once (loading a model takes a while)."""
    with _LOCK:
        if "report.screeners" not in registry:
            found = [s for group in registry.pm.hook.report_screeners(registry=registry) for s in (group or [])]
            registry["report.screeners"] = found
        return registry["report.screeners"]


def run_screeners(registry: Any, data: bytes) -> dict[str, Any]:
    """Every screener's answer on ``data``: ``{"hit", "reason", "results": {name: ...}, "error"}``."""
    results: dict[str, Any] = {}
    errors = []
    for screener in screeners(registry):
        try:
            results[screener.name] = screener.screen(data)
        except Exception as exc:  # noqa: BLE001 — a broken screener must leave the image pending, not crash
            errors.append(f"{screener.name}: {type(exc).__name__}: {exc}"[:500])
    hits = [result for result in results.values() if result.get("hit")]
    return {"hit": bool(hits), "reason": hits[0].get("reason") or "other" if hits else None, "results": results,
            "error": "; ".join(errors)[:500] or None}


def await_screening(request: Any, image: Image) -> None:
    """Queue the screening job of a new donation (sent after commit) and keep the image pending until then.

    A donation over HTTP by anyone but a moderator waits; an operator's ``imagemonkey import`` (no HTTP
    route) and a moderator's donation stay public and are screened all the same (a hit quarantines them).
    """
    trusted = getattr(request, "matched_route", None) is None or (
        request.contributor is not None and request.contributor.has_role("moderator"))
    if image.status == "public" and not trusted:
        change_status(request, image, "pending", "report: awaiting screening", by_contributor=False)
    enqueue_job(request, "report.screen", image_id=image.id, key=image.medium_key)


def screen_job(ctx: JobContext, image_id: int, key: str | None = None) -> dict[str, Any]:
    """The ``report.screen`` job: :func:`screen_image`."""
    return screen_image(ctx.registry, image_id, key)


def screening_failed(ctx: JobContext, error: str) -> None:
    """``report.screen``'s ``on_failure``: the job gave up (its attempts ran out, or it raised), so the donation
    stays pending and unscreened; queue it for moderators with the reason."""
    with ctx.request() as request:
        image = request.dbsession.get(Image, ctx.params.get("image_id"), with_for_update=True)
        if image is None or image.status in ("removed", "hidden"):
            return
        item = open_item(request.dbsession, image, "pending")
        item.screening_error = f"job {ctx.job_id}: {error}"[:500]


def screen_image(registry: Any, image_id: int, key: str | None = None) -> dict[str, Any]:
    """Screen the image (its medium rendition, blob ``key`` when the caller knows it) and route it.

    Returns a JSON summary (the job's result). No transaction is open while the screeners run.
    """
    if key is None:
        with app_request(registry) as request:
            image = request.dbsession.get(Image, image_id)
            key = image.medium_key if image is not None else None
    data = registry["blobstore"].get(key) if key is not None and registry["blobstore"].exists(key) else None
    outcome = run_screeners(registry, data) if data is not None else None
    with app_request(registry) as request:
        image = request.dbsession.get(Image, image_id, with_for_update=True)
        if image is None or outcome is None or image.status in ("removed", "hidden"):
            return {"image_id": image_id, "skipped": True}
        route(request, image, outcome)
        return {"image_id": image_id, "hit": outcome["hit"], "error": outcome["error"], "status": image.status}


def route(request: Any, image: Image, outcome: dict[str, Any]) -> None:
    """Quarantine, queue or unlock ``image`` after screening."""
    dbsession = request.dbsession
    document = json.dumps({"reason": outcome["reason"], "results": outcome["results"]})
    if outcome["hit"]:
        item = open_item(dbsession, image, "screened", outcome["reason"])
        item.screening_hit = True
        _note(item, document, outcome["error"])
        hold(request, image, item, "report: screening hit")
        return
    if outcome["error"] or image.status != "pending":
        item = dbsession.get(QueueItem, image.id) or (open_item(dbsession, image, "pending") if outcome["error"]
                                                       else None)
        if item is not None:
            _note(item, document, outcome["error"])
        return
    if _unlocks(request, image):
        change_status(request, image, "public", "report: clean screening, donor in good standing")
        item = dbsession.get(QueueItem, image.id)
        if item is not None and item.kind == "pending":
            item.is_open = False
    else:
        _note(open_item(dbsession, image, "pending"), document, None)


def _unlocks(request: Any, image: Image) -> bool:
    """A pending image unlocks on a post-moderation site, or for a donor in good standing."""
    settings = request.registry.settings
    if settings.get("imagemonkey.moderation", "post") == "post":
        return True
    if not get_setting(request, "report.auto_unlock") or image.donor_id is None:
        return False
    return in_good_standing(request, image.donor_id)


def in_good_standing(request: Any, contributor_id: int) -> bool:
    """Not blocked, not fresh, no standing removal of their donations, validation agreement not poor."""
    dbsession = request.dbsession
    donor = dbsession.get(Contributor, contributor_id)
    if donor is None or donor.blocked:
        return False
    reporter = reporter_of(request, Policy.of(request), donor)
    if reporter.moderator:
        return True
    if reporter.fresh or (reporter.reliability is not None and reporter.reliability < 0.5):
        return False
    removals = dbsession.scalar(select(func.count()).select_from(Decision).join(Image, Image.id == Decision.image_id)
                                .where(Image.donor_id == contributor_id, Decision.new_status == "hidden",
                                       Decision.reverted_at.is_(None)))
    return not removals


def _note(item: QueueItem, document: str, error: str | None) -> None:
    item.screening, item.screening_error, item.screened_at = document, error, utcnow()
