"""``CHANGES.md``: what changed against the previous release (or revision), from the two snapshots, streamed.

Both snapshots are in image id order, so a merge walks them once: images added and taken out, and labels that
became verified or rejected on images that are in both.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .snapshot import records

EXAMPLES = 20


def _states(record: dict[str, Any]) -> dict[str, str]:
    return {item["label"]: item["state"] for item in record["labels"] + record["left_out"]}


def diff(old: Path, new: Path) -> dict[str, Any]:
    """Counts (and the first few examples) of images added and taken out, labels verified and rejected since."""
    found: dict[str, Any] = {key: {"count": 0, "examples": []} for key in ("added", "removed", "verified", "rejected")}

    def note(key: str, example: str) -> None:
        found[key]["count"] += 1
        if len(found[key]["examples"]) < EXAMPLES:
            found[key]["examples"].append(example)

    olds, news = records(old), records(new)
    a, b = next(olds, None), next(news, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a["id"] < b["id"]):
            note("removed", str(a["id"]))  # type: ignore[index]
            a = next(olds, None)
        elif a is None or b["id"] < a["id"]:
            note("added", str(b["id"]))
            b = next(news, None)
        else:
            before, after = _states(a), _states(b)
            for label, state in sorted(after.items()):
                if state in ("verified", "rejected") and before.get(label) != state:
                    note(state, f"{b['id']}: {label}")
            a, b = next(olds, None), next(news, None)
    return found


def _section(title: str, item: dict[str, Any]) -> Iterator[str]:
    yield f"- {title}: {item['count']}"
    if item["examples"]:
        more = f" (and {item['count'] - len(item['examples'])} more)" if item["count"] > len(item["examples"]) else ""
        yield f"  - {', '.join(item['examples'])}{more}"


def changes_md(version: str, revision: int, against: str | None, found: dict[str, Any] | None,
               takedown: dict[str, Any] | None = None) -> str:
    """The text. ``against`` names the previous release (None: the first); ``takedown`` is a revision's
    ``{"images": n, "reasons": {reason class: n}}``."""
    lines = [f"# Changes in {version}" + (f", revision {revision}" if revision > 1 else ""), ""]
    if takedown is not None:
        reasons = ", ".join(f"{reason}: {count}" for reason, count in sorted(takedown["reasons"].items()))
        lines += [f"Revision {revision} takes {takedown['images']} image(s) out of revision {revision - 1} "
                  f"(reason: {reasons}). Revision {revision - 1}'s files are withdrawn.", ""]
    if against is None or found is None:
        lines += ["The first release: nothing to compare with.", ""]
        return "\n".join(lines)
    lines += [f"Against {against}:", ""]
    for key, title in (("added", "Images added"), ("removed", "Images taken out"),
                       ("verified", "Labels verified since"), ("rejected", "Labels rejected since")):
        lines += list(_section(title, found[key]))
    return "\n".join(lines + [""])
