"""The annotate plugin: outlines (rectangles, ellipses, polygons) of image labels, revisions, tasks, exports."""
from __future__ import annotations

from typing import Any

from . import models  # noqa: F401  (registers the tables on the metadata for migrations)


def includeme(config: Any) -> None:
    """Routes, views, the editor's static files and the hook implementations."""
    from . import hooks

    api = config.add_api_route
    api("annotate.image_label_annotations", "/api/v1/image-labels/{id}/annotations")
    api("annotate.annotation", "/api/v1/annotations/{id}")
    api("annotate.annotation_revert", "/api/v1/annotations/{id}/revert")
    api("annotate.image_annotations", "/api/v1/images/{id}/annotations")
    api("annotate.skip", "/api/v1/image-labels/{id}/skip")
    api("annotate.not_annotatable", "/api/v1/image-labels/{id}/not-annotatable")
    api("annotate.backlog", "/api/v1/annotate/backlog")
    config.add_route("annotate.start", "/annotate")
    config.add_route("annotate.editor", "/annotate/{image_id}")
    config.add_static_view("annotate/static", "imagemonkey_annotate:static", cache_max_age=3600)
    config.add_hooks(hooks, name="annotate")
    config.scan(".views")
