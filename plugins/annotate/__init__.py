"""The annotate plugin: outlines (rectangles, ellipses, polygons) of image labels, revisions, tasks, exports."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import Setting, as_bool, as_float, as_int, as_str, limiter_from_setting

from . import models  # noqa: F401  (registers the tables on the metadata for migrations)
from .shapes import MAX_POINTS, MAX_TOTAL_POINTS


def as_rate(raw: object) -> str:
    """A ``N/period`` rate (or ``off``), checked at start-up: a ValueError says what is wrong."""
    value = str(raw).strip()
    limiter_from_setting(value)
    return value


SETTINGS = [
    Setting("annotate.export_unverified", False, as_bool(),
            "Export outlines of labels validate has not verified (only matters with validate enabled)."),
    Setting("annotate.license_name", "unspecified", as_str(), "The license named in COCO exports."),
    Setting("annotate.license_url", "", as_str(), "The license's URL in COCO exports."),
    Setting("annotate.max_points_per_polygon", MAX_POINTS, as_int(min=3), "Most points in one polygon."),
    Setting("annotate.max_points", MAX_TOTAL_POINTS, as_int(min=3), "Most points in one annotation, all shapes."),
    Setting("annotate.segment_working_size", 256, as_int(min=64, max=1024),
            "Outline proposals: the longest side, in pixels, of the crop GrabCut works on."),
    Setting("annotate.segment_iterations", 4, as_int(min=1, max=10), "Outline proposals: GrabCut's iterations."),
    Setting("annotate.segment_epsilon", 0.004, as_float(min=0.0005, max=0.05),
            "Outline proposals: how far the polygon may stray from the contour, a fraction of its length."),
    Setting("annotate.segment_rate", "30/minute", as_rate,
            "Outline proposals each contributor may ask for (N/second|minute|hour|day, or off)."),
]


def includeme(config: Any) -> None:
    """Routes, views, the editor's static files and the hook implementations."""
    from imagemonkey.plugin import get_setting

    from . import hooks

    config.declare_settings(SETTINGS)
    config.registry["annotate.segment_limiter"] = limiter_from_setting(
        get_setting(config.registry, "annotate.segment_rate"), config.registry, "annotate.segment")
    api = config.add_api_route
    api("annotate.image_label_annotations", "/api/v1/image-labels/{id}/annotations")
    api("annotate.annotation", "/api/v1/annotations/{id}")
    api("annotate.annotation_revert", "/api/v1/annotations/{id}/revert")
    api("annotate.image_annotations", "/api/v1/images/{id}/annotations")
    api("annotate.skip", "/api/v1/image-labels/{id}/skip")
    api("annotate.not_annotatable", "/api/v1/image-labels/{id}/not-annotatable")
    api("annotate.backlog", "/api/v1/annotate/backlog")
    api("annotate.segment", "/api/v1/annotate/segment")
    config.add_route("annotate.start", "/annotate")
    config.add_route("annotate.editor", "/annotate/{image_id}")
    config.add_static_view("annotate/static", "imagemonkey_annotate:static", cache_max_age=3600)
    config.add_hooks(hooks, name="annotate")
    config.scan(".views")
