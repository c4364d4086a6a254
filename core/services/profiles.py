"""A person's numbers, calendar, streak and badges, read from the person counters only (``docs/profiles.md``).

Every read is bounded whatever the log's size: the totals (one row per kind), the last
:data:`HISTORY_DAYS` days (one row per day and kind) and two rows of the week index.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from ..models import Contributor, PersonDaily, PersonKindWeek, PersonLabel, PersonLabelWeek, PersonTotal, PersonWeek
from .person_counters import week_of

#: Days of history read for the streak (a longer streak reads as this many days).
HISTORY_DAYS = 366
#: Weeks shown in the contribution calendar.
CALENDAR_WEEKS = 12
#: Size of the weekly top list (and the rank that earns the weekly badge).
TOP = 10
#: Labels shown as "the labels it helped most", and this week's labels checked for "top of a label".
TOP_LABELS = 5
#: What the profile's headline numbers count (contribution kinds; plugins that are off count 0).
HEADLINE = {"donations": "image.donate", "labels": "label.add", "outlines": "annotate.revision",
            "votes": "validate.vote"}
#: Badges core gives from its counters: id -> (name, rule in words).
BADGES = {
    "first_donation": ("First donation", "donated a first picture"),
    "streak_7": ("7-day streak", "contributed on 7 UTC days in a row (within the last year)"),
    "top_week": ("Top 10 this week",
                 f"one of the {TOP} people with the most contributions this week (Monday to Sunday, UTC)"),
}


def today() -> date:
    """The UTC date."""
    return datetime.now(UTC).date()


def totals(dbsession: Any, contributor_id: int) -> dict[str, int]:
    """The person's writes ever, by contribution kind."""
    rows = dbsession.execute(select(PersonTotal.kind, PersonTotal.count).where(
        PersonTotal.contributor_id == contributor_id, PersonTotal.count != 0))
    return {kind: int(count) for kind, count in rows}


def daily(dbsession: Any, contributor_id: int, since: date) -> dict[str, int]:
    """The person's writes per UTC day (``YYYY-MM-DD``, all kinds) from ``since`` on."""
    rows = dbsession.execute(select(PersonDaily.day, func.sum(PersonDaily.count)).where(
        PersonDaily.contributor_id == contributor_id, PersonDaily.day >= since.isoformat())
        .group_by(PersonDaily.day))
    return {day: int(count) for day, count in rows if count}


def today_by_kind(dbsession: Any, contributor_id: int, day: date) -> dict[str, int]:
    """The person's writes on ``day``, by kind."""
    rows = dbsession.execute(select(PersonDaily.kind, PersonDaily.count).where(
        PersonDaily.contributor_id == contributor_id, PersonDaily.day == day.isoformat(), PersonDaily.count != 0))
    return {kind: int(count) for kind, count in rows}


def today_and_streak(dbsession: Any, contributor_id: int) -> dict[str, Any]:
    """``/me``'s ``today`` (today's writes by kind, ``total`` too) and ``streak_days``."""
    end = today()
    by_kind = today_by_kind(dbsession, contributor_id, end)
    days = daily(dbsession, contributor_id, end - timedelta(days=HISTORY_DAYS - 1))
    return {"today": {**by_kind, "total": sum(by_kind.values())}, "streak_days": streak(days, end)}


def streak(days: dict[str, int], end: date) -> int:
    """Days in a row with a contribution, up to ``end`` (or up to the day before, while ``end`` has none yet)."""
    moment = end if days.get(end.isoformat()) else end - timedelta(days=1)
    run = 0
    while days.get(moment.isoformat()):
        run += 1
        moment -= timedelta(days=1)
    return run


def longest_streak(days: dict[str, int]) -> int:
    """The longest run of consecutive days in ``days``."""
    best = 0
    for day in days:
        moment = date.fromisoformat(day)
        if (moment - timedelta(days=1)).isoformat() in days:
            continue  # not the start of a run
        run = 0
        while days.get((moment + timedelta(days=run)).isoformat()):
            run += 1
        best = max(best, run)
    return best


def calendar(days: dict[str, int], end: date) -> list[dict[str, Any]]:
    """The last :data:`CALENDAR_WEEKS` ISO weeks up to ``end``, a ``{"day", "count"}`` per day, Mondays first."""
    start = date.fromisoformat(week_of(end.isoformat())) - timedelta(weeks=CALENDAR_WEEKS - 1)
    return [{"day": (start + timedelta(days=n)).isoformat(),
             "count": days.get((start + timedelta(days=n)).isoformat(), 0)}
            for n in range((end - start).days + 1)]


def week_rank(dbsession: Any, contributor_id: int, week: str) -> int | None:
    """1 + how many people wrote more than the person in ``week`` (None: nothing that week)."""
    mine = dbsession.scalar(select(PersonWeek.count).where(PersonWeek.week == week,
                                                           PersonWeek.contributor_id == contributor_id))
    if not mine:
        return None
    return 1 + dbsession.scalar(select(func.count()).select_from(PersonWeek).where(
        PersonWeek.week == week, PersonWeek.count > mine))


def top_list(dbsession: Any, week: str, limit: int = TOP) -> list[dict[str, Any]]:
    """The people with the most writes in ``week`` among those who opted in (``top_list``), most first."""
    rows = dbsession.execute(select(Contributor.name, Contributor.public_profile, PersonWeek.count)
                             .join(Contributor, Contributor.id == PersonWeek.contributor_id)
                             .where(PersonWeek.week == week, Contributor.top_list.is_(True),
                                    Contributor.kind == "account", Contributor.blocked.is_(False))
                             .order_by(PersonWeek.count.desc(), Contributor.name).limit(limit))
    return [{"name": name, "public_profile": public, "count": int(count)} for name, public, count in rows]


def top_labels(dbsession: Any, contributor_id: int) -> list[dict[str, Any]]:
    """The labels the person's writes were most about (``{"label", "count"}``, most first)."""
    rows = dbsession.execute(select(PersonLabel.label, PersonLabel.count).where(
        PersonLabel.contributor_id == contributor_id, PersonLabel.count > 0)
        .order_by(PersonLabel.count.desc(), PersonLabel.label).limit(TOP_LABELS))
    return [{"label": label, "count": int(count)} for label, count in rows]


def labels_topped(dbsession: Any, contributor_id: int, week: str) -> list[str]:
    """Of the person's :data:`TOP_LABELS` busiest labels in ``week``, those nobody wrote more about that week."""
    mine = dbsession.execute(select(PersonLabelWeek.label, PersonLabelWeek.count).where(
        PersonLabelWeek.contributor_id == contributor_id, PersonLabelWeek.week == week, PersonLabelWeek.count > 0)
        .order_by(PersonLabelWeek.count.desc(), PersonLabelWeek.label).limit(TOP_LABELS)).all()
    return [label for label, count in mine if dbsession.scalar(select(func.max(PersonLabelWeek.count)).where(
        PersonLabelWeek.week == week, PersonLabelWeek.label == label)) == count]


#: "Top ... this week" badges: the contribution kind -> who does most of it.
TOP_OF_KIND = {"validate.vote": "validator", "image.donate": "donor", "label.add": "labeller",
               "annotate.revision": "outliner"}
#: what each of :data:`TOP_OF_KIND` counts, in the badge's rule
KIND_WORDS = {"validate.vote": "votes", "image.donate": "donations", "label.add": "labels",
              "annotate.revision": "outlines"}


def kinds_topped(dbsession: Any, contributor_id: int, week: str) -> list[str]:
    """The kinds of :data:`TOP_OF_KIND` nobody wrote more of than the person in ``week`` (index lookups only)."""
    mine = dbsession.execute(select(PersonKindWeek.kind, PersonKindWeek.count).where(
        PersonKindWeek.contributor_id == contributor_id, PersonKindWeek.week == week,
        PersonKindWeek.kind.in_(list(TOP_OF_KIND)), PersonKindWeek.count > 0)).all()
    return sorted(kind for kind, count in mine if dbsession.scalar(select(func.max(PersonKindWeek.count)).where(
        PersonKindWeek.week == week, PersonKindWeek.kind == kind)) == count)


def badge(badge_id: str) -> dict[str, str]:
    """A core badge's document."""
    name, rule = BADGES[badge_id]
    return {"id": badge_id, "name": name, "rule": rule}


def core_badges(counts: dict[str, int], days: dict[str, int], rank: int | None, kinds: list[str],
                labels: list[str]) -> list[dict[str, str]]:
    """The badges core gives from the counters (``kinds``, ``labels``: what the person is top of this week)."""
    earned = []
    if counts.get("image.donate", 0) > 0:
        earned.append("first_donation")
    if longest_streak(days) >= 7:
        earned.append("streak_7")
    if rank is not None and rank <= TOP:
        earned.append("top_week")
    return [badge(badge_id) for badge_id in earned] + [
        {"id": "top_kind_week", "kind": kind, "name": f"Top {TOP_OF_KIND[kind]} this week",
         "rule": f"nobody gave more {KIND_WORDS[kind]} this week (Monday to Sunday, UTC)"} for kind in kinds] + [
        {"id": "top_label_week", "label": label, "name": f"Top of {label} this week",
         "rule": f"nobody did more for {label} this week (Monday to Sunday, UTC)"} for label in labels]


def profile(request: Any, account: Contributor) -> dict[str, Any]:
    """The public profile of ``account``: numbers, calendar, streak, badges and what plugins add
    (``imagemonkey_profile``: each answer's ``stats`` are merged into ``stats``, its ``badges`` appended)."""
    dbsession = request.dbsession
    end = today()
    counts = totals(dbsession, account.id)
    days = daily(dbsession, account.id, end - timedelta(days=HISTORY_DAYS - 1))
    week = week_of(end.isoformat())
    rank = week_rank(dbsession, account.id, week)
    stats: dict[str, Any] = {name: counts.get(kind, 0) for name, kind in HEADLINE.items()}
    stats["top_labels"] = top_labels(dbsession, account.id)
    badges = core_badges(counts, days, rank, kinds_topped(dbsession, account.id, week),
                         labels_topped(dbsession, account.id, week))
    for extra in request.registry.pm.hook.imagemonkey_profile(request=request, account=account, counts=counts):
        if extra:
            stats.update(extra.get("stats", {}))
            badges.extend(extra.get("badges", []))
    return {"name": account.name, "since": account.created_at.date().isoformat(), "stats": stats, "counts": counts,
            "streak_days": streak(days, end), "week_rank": rank, "calendar": calendar(days, end), "badges": badges}
