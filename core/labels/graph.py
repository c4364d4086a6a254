"""The label graph: ``is_a`` and ``part_of`` links between catalog entries, checked and closed at load time.

A label names its parents by full catalog name (``"is_a": ["animal"]``, ``"part_of": ["car"]``); a sublabel is
``part_of`` its parent without saying so. :func:`link` checks that every name is known, that no label names
itself, that ``is_a`` joins labels of one kind (a scene with a scene, a thing with a thing), that no scene label
is a part and that the links have no cycle (following ``is_a`` and ``part_of`` together); then it precomputes what
the query language and the ``/labels`` page read: every label's kinds (itself and everything that ``is_a`` it,
transitively), its direct sub-kinds and its parts.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class _Entry(Protocol):
    name: str
    is_a: tuple[str, ...]
    part_of: tuple[str, ...]
    scene: bool


@dataclass(frozen=True)
class Graph:
    """What :func:`link` precomputes, each keyed by full label name with sorted tuples as values."""

    kinds: dict[str, tuple[str, ...]]
    subtypes: dict[str, tuple[str, ...]]
    parts: dict[str, tuple[str, ...]]


def link(by_name: Mapping[str, _Entry], defined_in: Mapping[str, str], error: type[Exception]) -> Graph:
    """Check the links of ``by_name`` and compute the graph; raise ``error`` naming the file and key of a mistake."""
    subtypes: dict[str, list[str]] = {name: [] for name in by_name}
    parts: dict[str, list[str]] = {name: [] for name in by_name}
    for name, label in by_name.items():
        where = f"{defined_in[name]} ({name})"
        for key, targets in (("is_a", label.is_a), ("part_of", label.part_of)):
            for target in targets:
                other = by_name.get(target)
                if target == name:
                    raise error(f"{where}: key '{key}' names the label itself")
                if other is None:
                    raise error(f"{where}: key '{key}' value {target!r} is not a label in the catalog "
                                "(use its full name, not an alias)")
                if key == "is_a" and other.scene != label.scene:
                    kind = "a scene label" if label.scene else "a thing"
                    raise error(f"{where}: key 'is_a' value {target!r}: {kind} can only be a kind of "
                                f"{'another scene label' if label.scene else 'another thing'}")
                (subtypes if key == "is_a" else parts)[target].append(name)
    _check_acyclic(by_name, defined_in, error)
    kinds = {name: tuple(sorted(_closure(name, subtypes))) for name in by_name}
    return Graph(kinds, {name: tuple(sorted(found)) for name, found in subtypes.items()},
                 {name: tuple(sorted(found)) for name, found in parts.items()})


def _closure(name: str, subtypes: Mapping[str, list[str]]) -> set[str]:
    """``name`` and every label that is one, following ``is_a`` downwards."""
    seen = {name}
    stack = [name]
    while stack:
        for child in subtypes[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _check_acyclic(by_name: Mapping[str, _Entry], defined_in: Mapping[str, str], error: type[Exception]) -> None:
    """Raise ``error`` with the loop spelled out when following ``is_a``/``part_of`` upwards comes back round."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(by_name):
        if state.get(start):
            continue
        path: list[str] = [start]
        iterators: list[Any] = [iter((*by_name[start].is_a, *by_name[start].part_of))]
        state[start] = 1
        while iterators:
            nxt = next(iterators[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iterators.pop()
                continue
            if state.get(nxt) == 1:
                loop = " -> ".join([*path[path.index(nxt):], nxt])
                raise error(f"{defined_in[nxt]} ({nxt}): keys 'is_a'/'part_of' make a cycle: {loop}")
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iterators.append(iter((*by_name[nxt].is_a, *by_name[nxt].part_of)))
