"""annotate's statistics section (public images only): outlines per day, outlined labels, labels with the fewest."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import chart, daily, label_images

from .counters import REVISIONS, SHAPES
from .models import LabelCount

TOP_LABELS = 50
NEEDS_WORK = 10


def section(request: Any) -> dict[str, Any]:
    """From counters only: ``annotate_label_count``, core's per-day counters and labels by images."""
    dbsession = request.dbsession
    outlined_sum = func.sum(LabelCount.outlined)  # over the label's shards
    top = dbsession.execute(select(LabelCount.label, outlined_sum).group_by(LabelCount.label).having(outlined_sum > 0)
                            .order_by(outlined_sum.desc(), LabelCount.label).limit(TOP_LABELS)).all()
    series = daily(dbsession, [REVISIONS, SHAPES])  # of public images only
    revisions, shapes = series[REVISIONS], series[SHAPES]
    days = [point["day"] for point in revisions]
    popular = label_images(dbsession, TOP_LABELS)
    outlined = dict(dbsession.execute(select(LabelCount.label, outlined_sum).where(
        LabelCount.label.in_([name for name, _ in popular])).group_by(LabelCount.label)).all())
    fewest = sorted(popular, key=lambda row: (outlined.get(row[0], 0) / row[1], -row[1]))[:NEEDS_WORK]
    base = request.route_path("annotate.start")
    return {
        "annotated_labels": int(dbsession.scalar(select(func.coalesce(func.sum(LabelCount.outlined), 0)))),
        "top_labels": [{"label": label, "count": count} for label, count in top],
        "per_day": [{"day": r["day"], "revisions": r["count"], "shapes": s["count"]}
                    for r, s in zip(revisions, shapes, strict=True) if r["count"] or s["count"]],
        "charts": [chart("outlines", "Outlines saved per day", "bar", days,
                         {"outlines": [point["count"] for point in revisions],
                          "shapes": [point["count"] for point in shapes]})],
        "work": {"title": "Labels with the fewest outlines", "items": [
            {"label": name, "text": f"{outlined.get(name, 0)} of {images} outlined",
             "href": f"{base}?label={name}"} for name, images in fewest]},
    }
