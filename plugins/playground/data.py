"""What a training learns from: the labels and the (image, labels) examples, read from the database.

With validate enabled only verified image labels count (through validate's ``validate_verified_clause`` hook);
without it every image label counts. Only public images; a label needs ``min_images`` images; the
``max_labels`` most frequent labels are kept and at most ``max_images`` images (the newest) are used.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from imagemonkey.plugin import Image, ImageLabel, get_setting

if TYPE_CHECKING:
    from .training import Example

#: A model tells labels apart: with fewer than two there is nothing to learn (and the head cannot be built).
MIN_LABELS = 2


def verified_only(request: Any) -> bool:
    """Whether trainings learn from verified labels only (validate is enabled and says which are verified)."""
    hook = getattr(request.registry.pm.hook, "validate_verified_clause", None)
    return hook is not None and hook.has_spec()


def eligible_clause(request: Any) -> Any:
    """Public images, and verified labels when validate is there."""
    clause = Image.status == "public"
    if verified_only(request):
        verified = request.registry.pm.hook.validate_verified_clause(request=request, image_label_id=ImageLabel.id)
        if verified is not None:
            clause = clause & verified
    return clause


def select_labels(request: Any, min_images: int, max_labels: int) -> list[str]:
    """Labels with at least ``min_images`` eligible images, most frequent first, at most ``max_labels``."""
    images = func.count(func.distinct(ImageLabel.image_id))
    rows = request.dbsession.execute(
        select(ImageLabel.label, images).join(Image, Image.id == ImageLabel.image_id).where(eligible_clause(request))
        .group_by(ImageLabel.label).having(images >= min_images).order_by(images.desc(), ImageLabel.label)
        .limit(max_labels))
    return [label for label, _ in rows]


def trainable_labels(request: Any) -> list[str]:
    """:func:`select_labels` with the site's ``playground.min_images`` and ``playground.max_labels``."""
    return select_labels(request, get_setting(request, "playground.min_images"),
                         get_setting(request, "playground.max_labels"))


def select_examples(request: Any, labels: list[str], max_images: int) -> list[Example]:
    """(image id, [labels]) of the newest ``max_images`` images carrying any of ``labels``, by image id."""
    if not labels:
        return []
    newest = (select(ImageLabel.image_id).join(Image, Image.id == ImageLabel.image_id)
              .where(eligible_clause(request), ImageLabel.label.in_(labels)).distinct()
              .order_by(ImageLabel.image_id.desc()).limit(max_images).subquery())
    pairs = request.dbsession.execute(
        select(ImageLabel.image_id, ImageLabel.label).join(Image, Image.id == ImageLabel.image_id)
        .where(eligible_clause(request), ImageLabel.label.in_(labels), ImageLabel.image_id.in_(select(newest)))
        .order_by(ImageLabel.image_id))
    examples: dict[int, set[str]] = {}
    for image_id, label in pairs:
        examples.setdefault(image_id, set()).add(label)
    return [(image_id, sorted(names)) for image_id, names in examples.items()]
