"""docs/plugins.md gives every name of ``imagemonkey.plugin`` and every core hook its signature.

A callable is documented as `` `name(a, b=1, *, c)` `` somewhere in the page, with the parameter names of its
real signature in order (defaults and annotations may be written or not); a constant, an exception or a
mapped class (whose constructor takes ``**kwargs``) by its name in backticks. So a name added to
``__all__`` or a hook added to ``core/hookspecs.py`` fails here until the page documents it.
"""
from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest

import imagemonkey.hookspecs as hookspecs
import imagemonkey.plugin as plugin_api

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text(encoding="utf-8")
CORE_HOOKS = sorted(name for name, value in vars(hookspecs).items()
                    if name.startswith("imagemonkey_") and inspect.isfunction(value))


def signature_names(value: Any) -> list[str] | None:
    """The parameter names of ``value``'s signature (``*args``/``**kwargs`` with their stars), or None when it has
    no signature worth writing (not callable, an exception, a constructor taking only ``*args, **kwargs``)."""
    if not callable(value):
        return None
    try:
        parameters = list(inspect.signature(value).parameters.values())
    except (TypeError, ValueError):
        return None
    if all(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters) and inspect.isclass(value):
        return None
    stars = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return [stars.get(p.kind, "") + p.name for p in parameters if not p.name.startswith("_")]  # private fields


def split_arguments(text: str) -> list[str]:
    """The top-level comma-separated parts of ``text`` (commas inside brackets or quotes do not split)."""
    parts, depth, quote, current = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    return [part.strip() for part in [*parts, current] if part.strip()]


def documented_signatures(name: str) -> list[list[str]]:
    """The parameter names of every `` `name(...)` `` written in the page."""
    found = []
    for match in re.finditer(rf"`(?:@)?{re.escape(name)}\(", DOCS):
        depth, end = 1, match.end()
        while depth and end < len(DOCS) and DOCS[end] != "`":
            depth += {"(": 1, ")": -1}.get(DOCS[end], 0)
            end += 1
        arguments = split_arguments(DOCS[match.end():end - 1])
        found.append([re.split(r"[=:]", part, maxsplit=1)[0].strip() for part in arguments if part not in ("*", "/")])
    return found


@pytest.mark.parametrize("name", plugin_api.__all__)
def test_every_stable_name_is_documented_with_its_signature(name: str) -> None:
    expected = signature_names(getattr(plugin_api, name))
    if expected is None:
        assert f"`{name}`" in DOCS or f"`{name}(" in DOCS, f"{name} is not in docs/plugins.md"
    else:
        assert expected in documented_signatures(name), (
            f"docs/plugins.md has no `{name}({', '.join(expected)})`; it has {documented_signatures(name)}")


@pytest.mark.parametrize("name", CORE_HOOKS)
def test_every_core_hook_is_documented_with_its_signature(name: str) -> None:
    assert f"### {name}\n" in DOCS
    expected = signature_names(getattr(hookspecs, name))
    assert expected in documented_signatures(name), (
        f"docs/plugins.md has no `{name}({', '.join(expected or [])})`; it has {documented_signatures(name)}")


def test_the_check_reads_signatures_as_written() -> None:
    assert split_arguments("a, b=(1, 2), *, c='x,y', **kw") == ["a", "b=(1, 2)", "*", "c='x,y'", "**kw"]
    assert signature_names(plugin_api.bounded_int) == ["value", "field", "minimum", "maximum"]
    assert signature_names(plugin_api.Image) is None and signature_names(plugin_api.MAX_INT32) is None
