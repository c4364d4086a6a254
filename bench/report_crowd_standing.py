"""Standing for the report crowd simulation: the honest crowd's validation history, and the self-agreeing brigade.

- ``seed_history``: the crowd earned its standing the way validate counts it (docs/plugins/validate.md,
  *Standing*): each person answered ``HISTORY_VOTES`` of 300 earlier pictures of 5 donors over two days before
  the simulated day, from their own address, and a moderator answered each picture afterwards (the anchor).
  The well-standing people agree with the moderator 88% of the time, the others 54%.
- ``run_brigade``: 50 fresh tokens from 2 addresses; the first donates 5 pictures labelled dog, the other 49
  vote yes on all five through validate's own vote path (``take_subject`` + ``cast``), and their votes are
  settled (``settle_pending``). ``brigade_events`` then has them report 24 good pictures, 2 reports each.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from imagemonkey_report.screening import in_good_standing
from imagemonkey_report.settings import Policy
from imagemonkey_report.weighting import base_weight, reporter_of
from sqlalchemy import insert, select

from imagemonkey.models import Contributor, Image
from imagemonkey.scripting import app_request
from imagemonkey.services.labeling import add_labels
from imagemonkey.services.near_duplicates import band_columns
from imagemonkey_validate.casting import cast, take_subject
from imagemonkey_validate.models import Subject, Trust, Vote
from imagemonkey_validate.settlement import settle_pending

HISTORY_IMAGES, HISTORY_DONORS, HISTORY_VOTES = 300, 5, 40
BRIGADE, BRIGADE_DONATIONS, BRIGADE_TARGETS = 50, 5, 24
BRIGADE_ADDRESSES = ("10.66.0.1", "10.66.0.2")


def image_rows(ids: range, donors: list[int], status: str = "public") -> list[dict[str, Any]]:
    """Rows of stand-in images (no files: nothing in the simulation reads them)."""
    return [{"id": i, "status": status, "format": "jpeg", "width": 64, "height": 64, "upload_sha256": f"{i:064x}",
             "original_key": f"{i:064x}", "medium_key": f"{i:064x}", "thumb_key": f"{i:064x}", "phash": i,
             **band_columns(i), "donor_id": donors[i % len(donors)], "label_count": 1} for i in ids]


def seed_history(db: Any, crowd: list[Contributor], well_standing: int, first_id: int, start: datetime,
                 rng: random.Random) -> None:
    """The crowd's anchored validation history (see the module's docstring), in the session ``db``."""
    donors = [Contributor(kind="client", created_at=start - timedelta(days=60)) for _ in range(HISTORY_DONORS)]
    moderator = Contributor(kind="account", role="moderator", name="sim-moderator", created_at=start)
    db.add_all([*donors, moderator])
    db.flush()
    ids = range(first_id, first_id + HISTORY_IMAGES)
    db.execute(insert(Image), image_rows(ids, [d.id for d in donors]))
    anchored_at = start - timedelta(hours=12)
    db.execute(insert(Subject), [
        {"kind": "image_label", "subject_id": i, "image_id": i, "label": "dog",
         "owner_id": donors[i % HISTORY_DONORS].id, "donor_id": donors[i % HISTORY_DONORS].id,
         "image_status": "public", "state": "verified", "confidence": 1.0, "yes_count": 1, "no_count": 0,
         "unsure_count": 0, "vote_count": 1, "queue": None, "random_key": rng.random()}
        for i in ids])
    votes = [{"contributor_id": moderator.id, "subject_id": i, "vote": "yes", "moderator": True, "at": anchored_at}
             for i in ids]
    for n, person in enumerate(crowd):
        agree = 0.88 if n < well_standing else 0.54
        for i in rng.sample(ids, HISTORY_VOTES):
            votes.append({"contributor_id": person.id, "subject_id": i, "moderator": False,
                          "vote": "yes" if rng.random() < agree else "no", "address_key": f"crowd{n:011d}",
                          "at": start - timedelta(hours=rng.uniform(14, 60))})
    db.execute(insert(Vote), [{"kind": "image_label", "counted": True, "created_at": v["at"], "updated_at": v["at"],
                               "answered_at": v.pop("at"), **v} for v in votes])


def run_brigade(app: Any, first_id: int, start: datetime) -> list[Contributor]:
    """The brigade's tokens, donation and votes (see the module's docstring); returns the tokens."""
    with app_request(app.registry) as request:
        tokens = [Contributor(kind="client", created_at=start) for _ in range(BRIGADE)]
        request.dbsession.add_all(tokens)
    label_ids = []
    for k in range(BRIGADE_DONATIONS):
        with app_request(app.registry, contributor=tokens[0]) as request:
            request.dbsession.execute(insert(Image), image_rows(range(first_id + k, first_id + k + 1),
                                                                [tokens[0].id]))
            image = request.dbsession.get(Image, first_id + k)
            image.label_count = 0
            label_ids.append(add_labels(request, image, ["dog"])[0][0].id)
    for n, token in enumerate(tokens[1:], start=1):
        with app_request(app.registry, contributor=token) as request:
            request.remote_addr = BRIGADE_ADDRESSES[n % 2]
            for label_id in label_ids:
                cast(request, take_subject(request.dbsession, "image_label", label_id), "yes")
    settle_pending(app.registry)
    return tokens


def brigade_events(tokens: list[Contributor], good: list[int], at: datetime,
                   rng: random.Random) -> tuple[list[tuple[datetime, Contributor, int, str]], set[int]]:
    """Two brigade reports on each of ``BRIGADE_TARGETS`` good pictures, within a minute: the events and targets."""
    targets = rng.sample(good, BRIGADE_TARGETS)
    events = [(at + timedelta(seconds=n), token, targets[(n - 1) // 2], "violence")
              for n, token in enumerate(tokens[1:1 + 2 * BRIGADE_TARGETS], start=1)]
    return events, set(targets)


def brigade_figures(app: Any, tokens: list[Contributor], targets: set[int], hidden: set[int]) -> dict[str, Any]:
    """What the brigade achieved: hidden targets, a member's weight and standing, fresh members in good standing."""
    with app_request(app.registry) as request:
        member = tokens[1]
        reporter = reporter_of(request, Policy.of(request), member)
        standing = request.registry.pm.hook.validate_standing(request=request, contributor_ids=[member.id])
        trust = request.dbsession.scalar(select(Trust.correct).where(Trust.contributor_id == member.id))
        unlocked = sum(in_good_standing(request, token.id) for token in tokens)
    return {"targets": len(targets), "hidden": len(targets & hidden), "member_weight": base_weight(
        Policy.of(app.registry), reporter), "member_standing_evidence": standing[member.id]["evidence"],
            "member_consensus_trust": round(trust or 0.0, 2), "members_in_good_standing": unlocked}
