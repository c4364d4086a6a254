"""Checking the statistics counters against the tables they count, and repairing them.

Every owner of a counter (core, each plugin) describes it as a :class:`StatCounter`: how to read
the stored values, how to count them again from its own tables, and how to write the right
values back. ``imagemonkey stats verify`` and the test suite (after every test, in
``imagemonkey.testing``) compare the two; ``--repair`` writes the recounted values.

Values are compared as maps ``key -> int`` where a missing key means 0, so a stored zero and
no row at all are the same.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, delete, func, insert, or_, select, update

from ..db.transactions import write
from ..models import StatDaily

Key = tuple[Any, ...]
Values = Mapping[Key, int]


@dataclass(frozen=True)
class StatCounter:
    """A counter its owner can recount.

    ``name`` is ``<owner>.<what>`` (``"core.image_status"``); ``stored(dbsession)`` and
    ``recount(dbsession)`` give ``{key: value}`` (zeros may be left out); ``repair(dbsession, fixes)``
    sets each key of ``fixes`` to its value (0: no row, or a row holding 0).
    """

    name: str
    stored: Callable[[Any], Values]
    recount: Callable[[Any], Values]
    repair: Callable[[Any, Values], None]


@dataclass(frozen=True)
class Drift:
    """One key of one counter whose stored value is not what the tables say."""

    counter: str
    key: Key
    stored: int
    counted: int

    def __str__(self) -> str:
        key = ", ".join(str(part) for part in self.key)
        return f"{self.counter} [{key}]: stored {self.stored}, counted {self.counted}"


def differences(counter: StatCounter, dbsession: Any) -> list[Drift]:
    """The keys of ``counter`` whose stored value differs from its recount, sorted by key."""
    stored, counted = counter.stored(dbsession), counter.recount(dbsession)
    keys = {key for key, value in stored.items() if value} | {key for key, value in counted.items() if value}
    return [Drift(counter.name, key, stored.get(key, 0), counted.get(key, 0))
            for key in sorted(keys, key=lambda key: tuple(map(str, key)))
            if stored.get(key, 0) != counted.get(key, 0)]


def verify(dbsession: Any, counters: Iterable[StatCounter], *, repair: bool = False) -> list[Drift]:
    """Every drift of every counter (and, with ``repair``, write the recounted values)."""
    found: list[Drift] = []
    for counter in counters:
        drifts = differences(counter, dbsession)
        if drifts and repair:
            counter.repair(dbsession, {drift.key: drift.counted for drift in drifts})
        found.extend(drifts)
    return found


def collect(registry: Any) -> list[StatCounter]:
    """The counters of core and every enabled plugin (``imagemonkey_statistics_counters``), by name."""
    counters: dict[str, StatCounter] = {}
    for group in registry.pm.hook.imagemonkey_statistics_counters():
        for counter in group or ():
            if counter.name in counters:
                raise ValueError(f"statistics counter {counter.name!r} is declared twice")
            counters[counter.name] = counter
    return [counters[name] for name in sorted(counters)]


def _rows_to_values(rows: Iterable[Any], width: int, columns: list[str]) -> dict[Key, int]:
    """``(key..., value...)`` rows as ``{(key..., column): value}`` (the column left out when there is one)."""
    values: dict[Key, int] = {}
    for row in rows:
        key = tuple(row[:width])
        for column, value in zip(columns, row[width:], strict=True):
            values[key + ((column,) if len(columns) > 1 else ())] = int(value or 0)
    return values


def table_counter(name: str, table: Table, keys: list[str], columns: list[str],
                  recount: Callable[[Any], Iterable[Any]]) -> StatCounter:
    """A counter kept in ``columns`` of ``table``, one row per ``keys``; ``recount(dbsession)`` gives rows
    ``(key..., column values...)`` in that order. Repair updates the row, or inserts it when there is none."""
    width = len(keys)

    def stored(dbsession: Any) -> Values:
        query = select(*(table.c[k] for k in keys), *(table.c[c] for c in columns)).where(
            or_(*(table.c[c] != 0 for c in columns)))
        return _rows_to_values(dbsession.execute(query), width, columns)

    def counted(dbsession: Any) -> Values:
        return _rows_to_values(recount(dbsession), width, columns)

    def repair(dbsession: Any, fixes: Values) -> None:
        rows: dict[Key, dict[str, int]] = {}
        for key, value in fixes.items():
            column = key[width] if len(columns) > 1 else columns[0]
            rows.setdefault(key[:width], {})[column] = value
        for row_key, values in rows.items():
            where = and_(*(table.c[k] == v for k, v in zip(keys, row_key, strict=True)))
            if not write(dbsession, update(table).where(where).values(**values)).rowcount:
                write(dbsession, insert(table).values(**dict(zip(keys, row_key, strict=True)),
                                                      **{c: values.get(c, 0) for c in columns}))

    return StatCounter(name, stored, counted, repair)


def sharded_counter(name: str, table: Table, keys: list[str], columns: str | list[str],
                    recount: Callable[[Any], Iterable[Any]]) -> StatCounter:
    """A counter kept in ``columns`` (one name or a list) of ``table`` with a row per ``keys`` and ``shard``
    (``stat_label``, ``validate_label_count``): a key's value is the sum over its shards; ``recount(dbsession)``
    gives rows ``(key..., column values...)`` as :func:`table_counter`'s. Repair leaves one row (shard 0) per key."""
    width, columns = len(keys), [columns] if isinstance(columns, str) else columns
    key_columns = [table.c[k] for k in keys]

    def stored(dbsession: Any) -> Values:
        totals = [func.sum(table.c[c]) for c in columns]
        query = select(*key_columns, *totals).group_by(*key_columns).having(or_(*(total != 0 for total in totals)))
        return _rows_to_values(dbsession.execute(query), width, columns)

    def counted(dbsession: Any) -> Values:
        return _rows_to_values(recount(dbsession), width, columns)

    def repair(dbsession: Any, fixes: Values) -> None:
        wrong = {key[:width] for key in fixes}
        right = {**stored(dbsession), **fixes}
        for row_key in sorted(wrong, key=lambda key: tuple(map(str, key))):
            values = dict(zip(keys, row_key, strict=True))
            write(dbsession, delete(table).where(and_(*(table.c[k] == v for k, v in values.items()))))
            counts = {c: right.get(row_key + ((c,) if len(columns) > 1 else ()), 0) for c in columns}
            if any(counts.values()):
                write(dbsession, insert(table).values(**values, shard=0, **counts))

    return StatCounter(name, stored, counted, repair)


def daily_counter(name: str, kinds: Callable[[Any], list[str]],
                  recount: Callable[[Any], Iterable[Any]]) -> StatCounter:
    """A counter kept in ``stat_daily`` (summed over its shards): keys ``(day, kind)`` for the ``kinds(dbsession)``
    it owns; ``recount(dbsession)`` gives rows ``(day, kind, count)``. Repair leaves one row (shard 0) per key."""

    def stored(dbsession: Any) -> Values:
        query = (select(StatDaily.day, StatDaily.kind, func.sum(StatDaily.count))
                 .where(StatDaily.kind.in_(kinds(dbsession))).group_by(StatDaily.day, StatDaily.kind))
        return {(day, kind): int(count) for day, kind, count in dbsession.execute(query)}

    def counted(dbsession: Any) -> Values:
        return {(day, kind): int(count) for day, kind, count in recount(dbsession)}

    def repair(dbsession: Any, fixes: Values) -> None:
        for (day, kind), value in fixes.items():
            write(dbsession, delete(StatDaily).where(StatDaily.day == day, StatDaily.kind == kind))
            if value:
                write(dbsession, insert(StatDaily).values(day=day, kind=kind, shard=0, count=value))

    return StatCounter(name, stored, counted, repair)
