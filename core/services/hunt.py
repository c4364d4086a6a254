"""The image hunt: the labels the dataset needs most, ticked off by a contributor's verified donations.

The labels come from the statistics' "Where help is needed" lists (every section's ``work``, core's "fewest
pictures" first); a label is ``donated`` once the contributor donated a picture that carries it, and ``verified``
once a plugin (validate) answers ``imagemonkey_verified_image_labels`` for that image label. A label the
contributor found that left those lists (its first pictures moved it off "fewest pictures") stays on their hunt
while it has fewer than :data:`NEEDY` public pictures, so a find is still seen being ticked off.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from ..models import Image, ImageLabel, StatLabel

#: At most this many needed labels, and at most this many more of the contributor's finds (bounded, not paginated).
HUNT_SIZE = 20
#: Per label, only the contributor's latest this many donations carrying it are looked at.
PER_LABEL = 10
#: A label with fewer public pictures than this still needs pictures: a find of it stays on the finder's hunt.
NEEDY = 10


def needed_labels(request: Any, limit: int = HUNT_SIZE) -> list[dict[str, str]]:
    """``[{"label", "reason"}]``: catalog labels from the statistics' work lists, in order, each once."""
    by_name = request.registry["catalog"].by_name
    sections = reversed(request.registry.pm.hook.imagemonkey_statistics(request=request))
    seen: dict[str, str] = {}
    for answer in sections:
        for section in (answer or {}).values():
            work = section.get("work") if isinstance(section, dict) else None
            for item in (work or {}).get("items", []):
                if item["label"] in by_name and item["label"] not in seen:
                    seen[item["label"]] = f"{work['title']}: {item['text']}"
    return [{"label": label, "reason": reason} for label, reason in list(seen.items())[:limit]]


def donated_image_labels(dbsession: Any, contributor_id: int, labels: list[str]) -> list[tuple[int, str, int]]:
    """``(image_label_id, label, image_id)`` on the contributor's donations of ``labels`` and of labels with fewer
    than :data:`NEEDY` public pictures, newest first, at most :data:`PER_LABEL` per label.

    The contributor's image labels are read first (a materialized CTE: the ``donor_id`` index, then the ``(image_id,
    label)`` unique index), and only then ranked per label; ranking in one query lets SQLite walk the label index
    through every image of a popular label instead.
    """
    covered = select(StatLabel.label).group_by(StatLabel.label).having(func.sum(StatLabel.images) >= NEEDY)
    mine = (select(ImageLabel.id, ImageLabel.label, ImageLabel.image_id)
            .join(Image, Image.id == ImageLabel.image_id)
            .where(Image.donor_id == contributor_id,
                   or_(ImageLabel.label.in_(labels), ImageLabel.label.not_in(covered)))
            .cte("mine").prefix_with("MATERIALIZED"))
    rank = func.row_number().over(partition_by=mine.c.label, order_by=mine.c.image_id.desc()).label("rank")
    ranked = select(mine.c.id, mine.c.label, mine.c.image_id, rank).subquery()
    rows = dbsession.execute(select(ranked.c.id, ranked.c.label, ranked.c.image_id).where(ranked.c.rank <= PER_LABEL)
                             .order_by(ranked.c.image_id.desc()))
    return [(row.id, row.label, row.image_id) for row in rows]


def hunt(request: Any, contributor_id: int) -> list[dict[str, Any]]:
    """The needed labels, then the contributor's finds of needy labels (newest first), each with the contributor's
    progress: ``status`` none, donated or verified, and ``image_id`` (a verified donation's, else the latest
    donation's, else None)."""
    needed = needed_labels(request)
    wanted = {item["label"] for item in needed}
    found = donated_image_labels(request.dbsession, contributor_id, list(wanted))
    finds = list(dict.fromkeys(label for _, label, _ in found if label not in wanted))[:HUNT_SIZE]
    kept = wanted | set(finds)
    found = [row for row in found if row[1] in kept]
    verified: set[int] = set()
    if found:
        for answer in request.registry.pm.hook.imagemonkey_verified_image_labels(
                request=request, image_label_ids=[row[0] for row in found]):
            verified.update(answer or ())
    progress: dict[str, tuple[str, int]] = {}
    for image_label_id, label, image_id in found:
        if image_label_id in verified and progress.get(label, ("",))[0] != "verified":
            progress[label] = ("verified", image_id)
        progress.setdefault(label, ("donated", image_id))
    items = needed + [{"label": label, "reason": f"Found by you: it has fewer than {NEEDY} public pictures"}
                      for label in finds]
    return [{**item, "status": progress.get(item["label"], ("none",))[0],
             "image_id": str(progress[item["label"]][1]) if item["label"] in progress else None}
            for item in items]
