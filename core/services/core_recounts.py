"""Core's statistics counters (``imagemonkey.services.counters``) recounted from core's tables.

``stat_daily`` holds core's kinds ``image.public`` (public images by donation day), ``contributor.active``
(contributors who wrote that day) and one kind per contribution kind (writes per day, from the
contribution log: reverted entries stay counted, as they were written). Plugins' own ``stat_daily``
kinds (``count_daily``) are recounted by the plugins; they must not reuse a contribution kind.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, delete, distinct, func, insert, literal, select

from ..db.functions import day_of
from ..db.transactions import write
from ..models import Caption, CaptionVote, Contribution, Image, ImageLabel, StatActive, StatImageStatus, StatLabel
from .counters import ACTIVE, PUBLIC_BY_DAY
from .recount import StatCounter, Values, daily_counter, sharded_counter, table_counter


def _image_statuses(dbsession: Any) -> Any:
    return dbsession.execute(select(Image.status, func.count()).group_by(Image.status))


def _public_labels(dbsession: Any) -> Any:
    return dbsession.execute(select(ImageLabel.label, func.count()).join(Image, Image.id == ImageLabel.image_id)
                             .where(Image.status == "public").group_by(ImageLabel.label))


def _labels_per_image(dbsession: Any) -> Any:
    return dbsession.execute(select(ImageLabel.image_id, func.count()).group_by(ImageLabel.image_id))


def _caption_votes(dbsession: Any) -> Any:
    return dbsession.execute(select(CaptionVote.caption_id, func.sum(case((CaptionVote.vote > 0, 1), else_=0)),
                                    func.sum(case((CaptionVote.vote < 0, 1), else_=0)))
                             .group_by(CaptionVote.caption_id))


def _public_by_day(dbsession: Any) -> Any:
    day = day_of(Image.created_at)
    return dbsession.execute(select(day, literal(PUBLIC_BY_DAY), func.count()).where(Image.status == "public")
                             .group_by(day))


def _contribution_kinds(dbsession: Any) -> list[str]:
    return list(dbsession.scalars(select(Contribution.kind).distinct()))


def _writes_by_day(dbsession: Any) -> Any:
    day = day_of(Contribution.created_at)
    return dbsession.execute(select(day, Contribution.kind, func.count()).group_by(day, Contribution.kind))


def _active_by_day(dbsession: Any) -> Any:
    day = day_of(Contribution.created_at)
    return dbsession.execute(select(day, literal(ACTIVE), func.count(distinct(Contribution.contributor_id)))
                             .group_by(day))


def _active_stored(dbsession: Any) -> Values:
    return {(day, contributor_id): 1 for day, contributor_id in dbsession.execute(
        select(StatActive.day, StatActive.contributor_id))}


def _active_counted(dbsession: Any) -> Values:
    day = day_of(Contribution.created_at)
    return {(day_, contributor_id): 1 for day_, contributor_id in dbsession.execute(
        select(day, Contribution.contributor_id).distinct())}


def _active_repair(dbsession: Any, fixes: Values) -> None:
    for (day, contributor_id), value in fixes.items():
        if value:
            write(dbsession, insert(StatActive).values(day=day, contributor_id=contributor_id))
        else:
            write(dbsession, delete(StatActive).where(StatActive.day == day,
                                                      StatActive.contributor_id == contributor_id))


def core_counters() -> list[StatCounter]:
    """Core's counters, each with its recount from core's tables."""
    return [
        sharded_counter("core.image_status", StatImageStatus.__table__, ["status"], "images", _image_statuses),
        sharded_counter("core.label_images", StatLabel.__table__, ["label"], "images", _public_labels),
        table_counter("core.image_label_count", Image.__table__, ["id"], ["label_count"], _labels_per_image),
        table_counter("core.caption_votes", Caption.__table__, ["id"], ["up", "down"], _caption_votes),
        daily_counter("core.public_by_day", lambda dbsession: [PUBLIC_BY_DAY], _public_by_day),
        daily_counter("core.writes_by_day", _contribution_kinds, _writes_by_day),
        daily_counter("core.active_by_day", lambda dbsession: [ACTIVE], _active_by_day),
        StatCounter("core.active_contributors", _active_stored, _active_counted, _active_repair),
    ]
