"""Votable subjects: kinds from the ``validate_subject_kinds`` hook, rows, queues, questions."""
from __future__ import annotations

import random
from typing import Any

from sqlalchemy import bindparam, select

from imagemonkey.plugin import Image

from .consensus import Policy
from .counters import count_state
from .models import Subject

IMAGE_LABEL = "image_label"
KIND_GROUPS = {IMAGE_LABEL: 0}
OTHER_KINDS_GROUP = 1
#: queue = group * 10 + level; levels: open or contested, on a public or on a pending image.
LEVELS = {("unverified", "public"): 0, ("contested", "public"): 1, ("unverified", "pending"): 2,
          ("contested", "pending"): 3}


def policy_of(request: Any) -> Policy:
    """The consensus policy configured for this app."""
    return request.registry["validate.policy"]


def subject_kinds(request: Any) -> dict[str, dict[str, Any]]:
    """Every votable kind ``{"kind", "question", "describe"}`` by name (collected once per app)."""
    registry = request.registry
    found = registry.get("validate.kinds")
    if found is None:
        found = {}
        for batch in registry.pm.hook.validate_subject_kinds():
            for kind in batch or []:
                found[kind["kind"]] = kind
        registry["validate.kinds"] = found
    return found


def group_of(kind: str) -> int:
    """The queue group of a kind: image labels have their own (the grid uses it), other kinds share one."""
    return KIND_GROUPS.get(kind, OTHER_KINDS_GROUP)


def queue_for(policy: Policy, subject: Subject) -> int | None:
    """The selection queue of ``subject``, or None when it is not asked (settled, full, image not listed)."""
    if not policy.is_open(subject.state, subject.vote_count):
        return None
    level = LEVELS.get((subject.state, subject.image_status))
    return None if level is None else group_of(subject.kind) * 10 + level


def question(request: Any, kind: str, label: str) -> str:
    """The question for a subject, e.g. "Is there a dog in this picture?"."""
    template = subject_kinds(request).get(kind, {}).get("question", "Is there {article} {label} in this picture?")
    text = template.format(label=label.replace("/", " "), article=request.registry["catalog"].article(label))
    return " ".join(text.split())  # a mass noun has no article: no double space


SUBJECT_BY_KEY = select(Subject).where(Subject.kind == bindparam("kind"), Subject.subject_id == bindparam("subject_id"))
SUBJECT_BY_KEY_LOCKED = SUBJECT_BY_KEY.with_for_update()


def get_subject(dbsession: Any, kind: str, subject_id: int, *, lock: bool = False) -> Subject | None:
    """The subject row (locked for update when ``lock``), or None."""
    query = SUBJECT_BY_KEY_LOCKED if lock else SUBJECT_BY_KEY
    return dbsession.scalar(query, {"kind": kind, "subject_id": subject_id})


def new_subject(request: Any, kind: str, subject_id: int, image: Image, label: str, owner_id: int | None,
                image_label_id: int | None = None) -> Subject:
    """Create the row of a new subject (unverified, no votes) and count it."""
    policy = policy_of(request)
    subject = Subject(kind=kind, subject_id=subject_id, image_id=image.id, image_label_id=image_label_id,
                      label=label, owner_id=owner_id, donor_id=image.donor_id, image_status=image.status,
                      state="unverified", confidence=policy.prior, yes_count=0, no_count=0, unsure_count=0,
                      vote_count=0, random_key=random.random())
    subject.queue = queue_for(policy, subject)
    request.dbsession.add(subject)
    count_state(request.dbsession, label, None, "unverified")
    return subject


def set_image_status(request: Any, image: Image) -> None:
    """Follow an image's new status: its subjects enter or leave the selection queues."""
    policy = policy_of(request)
    for subject in request.dbsession.scalars(select(Subject).where(Subject.image_id == image.id)):
        subject.image_status = image.status
        subject.donor_id = image.donor_id
        subject.queue = queue_for(policy, subject)
