"""Talking to the validate plugin when it is enabled (it is optional): detection and events.

Whether validate is enabled is decided at request time from the hooks it declares, so
the order of plugins in ``imagemonkey.plugins`` does not matter.
"""
from __future__ import annotations

from typing import Any


def _declared(registry: Any, name: str) -> Any:
    """The hook caller of ``name`` when some plugin declared its spec, else None.

    A bare ``hasattr(pm.hook, name)`` is not enough: pluggy also creates a caller, without
    a spec, for our own ``optionalhook`` implementations of validate's hooks.
    """
    caller = getattr(registry.pm.hook, name, None)
    return caller if caller is not None and caller.has_spec() else None


def validate_enabled(registry: Any) -> bool:
    """True when the validate plugin's hookspecs are registered on this app."""
    return _declared(registry, "validate_state_changed") is not None


def subject_changed(request: Any, annotation: Any, owner_id: int | None) -> None:
    """Tell validate that an annotation has a new current revision (its votes reset)."""
    hook = _declared(request.registry, "validate_subject_changed")
    if hook is not None:
        hook(request=request, kind="annotation", subject_id=annotation.id, image_id=annotation.image_id,
             label=annotation.label, owner_id=owner_id)


def subject_removed(request: Any, annotation_id: int) -> None:
    """Tell validate that an annotation is gone."""
    hook = _declared(request.registry, "validate_subject_removed")
    if hook is not None:
        hook(request=request, kind="annotation", subject_id=annotation_id)


def verified_ids(request: Any, image_label_ids: list[int]) -> set[int]:
    """The ids among ``image_label_ids`` whose image label validate considers verified."""
    hook = _declared(request.registry, "validate_states")
    if not image_label_ids or hook is None:
        return set()
    found = hook(request=request, kind="image_label", subject_ids=list(image_label_ids)) or {}
    return {subject_id for subject_id, state in found.items() if state == "verified"}
