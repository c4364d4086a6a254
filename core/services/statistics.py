"""Reading the statistics counters: per-day series, labels by images, image statuses (no table scans)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from ..models import StatDaily, StatImageStatus, StatLabel

DAYS = 30


def last_days(days: int = DAYS) -> list[str]:
    """The last ``days`` UTC days, oldest first, as ``YYYY-MM-DD``."""
    today = datetime.now(UTC).date()
    return [(today - timedelta(days=back)).isoformat() for back in range(days - 1, -1, -1)]


def daily(dbsession: Any, kinds: Iterable[str], days: int = DAYS) -> dict[str, list[dict[str, Any]]]:
    """For each kind, ``[{"day", "count"}]`` over the last ``days`` days (zeros included), from ``stat_daily``
    (summed over its shards)."""
    kinds = list(kinds)
    calendar = last_days(days)
    found: dict[tuple[str, str], int] = {}
    rows = dbsession.execute(select(StatDaily.day, StatDaily.kind, func.sum(StatDaily.count)).where(
        StatDaily.day >= calendar[0], StatDaily.kind.in_(kinds)).group_by(StatDaily.day, StatDaily.kind))
    for day, kind, count in rows:
        found[(day, kind)] = count
    return {kind: [{"day": day, "count": found.get((day, kind), 0)} for day in calendar] for kind in kinds}


def _label_sums() -> Any:
    """``(label, images)``: ``stat_label`` summed over its shards, one row per label name in use."""
    return select(StatLabel.label, func.sum(StatLabel.images).label("images")).group_by(StatLabel.label).subquery()


def label_images(dbsession: Any, limit: int) -> list[tuple[str, int]]:
    """The ``limit`` labels on most images (``stat_label`` has a row per shard of each label name in use)."""
    sums = _label_sums()
    return [(label, int(images)) for label, images in dbsession.execute(
        select(sums.c.label, sums.c.images).where(sums.c.images > 0)
        .order_by(sums.c.images.desc(), sums.c.label).limit(limit))]


def fewest_pictures(dbsession: Any, names: Iterable[str], limit: int) -> list[tuple[str, int]]:
    """The ``limit`` of ``names`` (catalog labels) on the fewest public images, fewest first, ties by name.

    Reads ``stat_label`` (a row per shard of each label name in use), so the cost follows the catalog's size,
    never the images'.
    """
    names = sorted(set(names))
    sums = _label_sums()
    counts = {label: int(images) for label, images in dbsession.execute(select(sums.c.label, sums.c.images))}
    return sorted(((name, counts.get(name, 0)) for name in names), key=lambda row: (row[1], row[0]))[:limit]


def image_labels_total(dbsession: Any) -> int:
    """How many image labels exist (a sum over the shards of each label name)."""
    return int(dbsession.scalar(select(func.coalesce(func.sum(StatLabel.images), 0))))


def images_by_status(dbsession: Any) -> dict[str, int]:
    """Images per status (summed over the shards), leaving out statuses with none; quarantined images are counted
    nowhere."""
    return {status: int(count) for status, count in dbsession.execute(
        select(StatImageStatus.status, func.sum(StatImageStatus.images))
        .where(StatImageStatus.status != "quarantined").group_by(StatImageStatus.status))
        if count}


def chart(chart_id: str, title: str, kind: str, x: list[Any], series: dict[str, list[Any]],
          stacked: bool = False, *, x_title: str = "", y_title: str = "") -> dict[str, Any]:
    """A chart for the statistics page: ``series`` maps a name to values along ``x``.

    ``kind`` is ``line`` or ``bar`` (``x`` are categories: days, labels) or ``xy`` (``x`` are numbers on a linear
    axis, each series' points joined in the given order); ``x_title`` and ``y_title`` name the axes (``x_title`` also
    heads the table's first column). Any statistics section may carry ``"charts": [chart(...), ...]``; the page
    draws each one and shows the same numbers in a table.
    """
    if kind not in ("line", "bar", "xy"):
        raise ValueError(f"chart kind must be line, bar or xy, not {kind!r}")
    return {"id": chart_id, "title": title, "kind": kind, "x": x, "stacked": stacked, "x_title": x_title,
            "y_title": y_title,
            "series": [{"name": name, "values": values} for name, values in series.items()]}
