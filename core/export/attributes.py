"""The attributes of image labels that plugins add to exports (a dog's settled ``color``), merged from a hook."""
from __future__ import annotations

from typing import Any

from ..plugin_types import PluginError


def export_attributes(request: Any, image_label_ids: list[int]) -> dict[int, dict[str, str]]:
    """``{image_label_id: {name: value}}`` from every plugin's ``imagemonkey_export_attributes``, for one batch.

    Image labels without attributes are left out of the answer. Two plugins giving the same image label the
    same attribute name raise :class:`PluginError` (names are shared by all exports, so they must be unique).
    """
    merged: dict[int, dict[str, str]] = {}
    if not image_label_ids:
        return merged
    answers = request.registry.pm.hook.imagemonkey_export_attributes(request=request,
                                                                     image_label_ids=list(image_label_ids))
    for answer in reversed(answers):  # first registered plugin first, like collect hooks
        for image_label_id, attributes in (answer or {}).items():
            target = merged.setdefault(int(image_label_id), {})
            for name, value in attributes.items():
                if name in target:
                    raise PluginError(f"two plugins give image label {image_label_id} the export attribute {name!r}")
                target[name] = value
    return {key: value for key, value in merged.items() if value}
