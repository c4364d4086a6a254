"""The attributes plugins add to exports (a dog's settled ``color``): of image labels, and of single outlined
objects (shapes), merged from a hook."""
from __future__ import annotations

from typing import Any

from ..plugin_types import PluginError


def _merged(answers: list[Any], what: str) -> dict[int, dict[str, str]]:
    """One ``{id: {name: value}}`` from several plugins' answers; a name given twice for one id is a PluginError."""
    merged: dict[int, dict[str, str]] = {}
    for answer in reversed(answers):  # first registered plugin first, like collect hooks
        for key, attributes in (answer or {}).items():
            target = merged.setdefault(int(key), {})
            for name, value in attributes.items():
                if name in target:
                    raise PluginError(f"two plugins give {what} {key} the export attribute {name!r}")
                target[name] = value
    return {key: value for key, value in merged.items() if value}


def export_attributes(request: Any, image_label_ids: list[int]) -> dict[int, dict[str, str]]:
    """``{image_label_id: {name: value}}`` from every plugin's ``imagemonkey_export_attributes``, for one batch.

    Image labels without attributes are left out of the answer. Two plugins giving the same image label the
    same attribute name raise :class:`PluginError` (names are shared by all exports, so they must be unique).
    """
    if not image_label_ids:
        return {}
    return _merged(request.registry.pm.hook.imagemonkey_export_attributes(
        request=request, image_label_ids=list(image_label_ids)), "image label")


def export_shape_attributes(request: Any, shape_ids: list[int]) -> dict[int, dict[str, str]]:
    """``{shape_id: {name: value}}`` from every plugin's ``imagemonkey_export_shape_attributes``, for one batch
    (shapes without attributes left out; a name given twice for one shape raises :class:`PluginError`)."""
    if not shape_ids:
        return {}
    return _merged(request.registry.pm.hook.imagemonkey_export_shape_attributes(
        request=request, shape_ids=list(shape_ids)), "shape")
