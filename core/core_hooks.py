"""Core's own hook implementations: label tasks, core statistics, actions, navigation, revert."""
from __future__ import annotations

import random
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import delete, func, select, true, update

from .export.json_exporter import JsonExporter
from .hookspecs import hookimpl
from .models import Contribution, Contributor, Image, ImageLabel, ImageSuggestion, LabelSuggestion
from .query.caption import CAPTION_PREFIX
from .services.captions import revert_captions
from .services.core_recounts import core_counters
from .services.counters import ACTIVE, PUBLIC_BY_DAY, count_labels, count_public, count_status
from .services.person_recounts import person_counters
from .services.serialize import image_json
from .services.statistics import chart, daily, fewest_pictures, image_labels_total, images_by_status, label_images
from .services.status import change_status
from .services.task_filter import task_image_clause, task_preference_clause

TOP_LABELS = 50
CHART_LABELS = 15
NEEDS_PICTURES = 10


@hookimpl
def imagemonkey_task_kinds() -> list[str]:
    return ["label"]


def _first_unlabeled(request: Any, *conditions: Any) -> Image | None:
    query = (select(Image).where(Image.label_count == 0, *conditions, task_image_clause(request, Image.id))
             .order_by(Image.id).limit(1))
    return request.dbsession.scalar(query)


def choose_label_task_image(request: Any) -> Image | None:
    """An unlabeled image: the contributor's own pending ones first, then a public one from a random point.

    Uses the (status, label_count, id) index: a random pivot id, then the first match at
    or after it (wrapping around), never the image this contributor was given last. When a plugin prefers some
    images (``imagemonkey_task_preference``: the playground's active learning), the public ones are looked for among
    those first.
    """
    dbsession = request.dbsession
    contributor = request.contributor
    last = dbsession.scalar(select(Contributor.last_label_task_image_id).where(Contributor.id == contributor.id)) or 0
    image = _first_unlabeled(request, Image.donor_id == contributor.id, Image.status == "pending", Image.id != last)
    if image is None:
        max_id = dbsession.scalar(select(func.max(Image.id))) or 0
        pivot = random.randint(1, max_id) if max_id else 0
        preferred = task_preference_clause(request, "label", Image.id)
        for extra in ([preferred] if preferred is not None else []) + [true()]:
            image = (_first_unlabeled(request, Image.status == "public", Image.id >= pivot, Image.id != last, extra)
                     or _first_unlabeled(request, Image.status == "public", Image.id < pivot, Image.id != last, extra))
            if image is not None:
                break
    if image is not None:
        dbsession.execute(update(Contributor).where(Contributor.id == contributor.id)
                          .values(last_label_task_image_id=image.id))
    return image


@hookimpl
def imagemonkey_next_task(request: Any, kind: str, label: str | None) -> dict[str, Any] | None:
    if kind != "label":
        return None
    image = choose_label_task_image(request)
    return {"kind": "label", "image": image_json(request, image)} if image is not None else {}


@hookimpl
def imagemonkey_task_image_filter(request: Any, image_id: Any) -> Any:
    """Quarantined images are never a task (a NOT IN on the small, status-indexed quarantined set)."""
    return image_id.not_in(select(Image.id).where(Image.status == "quarantined").scalar_subquery())


@hookimpl
def imagemonkey_statistics(request: Any) -> dict[str, Any]:
    dbsession = request.dbsession
    # Only what the public may see: pending, hidden and quarantined images (and their labels) are counted nowhere.
    by_status = {status: count for status, count in images_by_status(dbsession).items() if status == "public"}
    series = daily(dbsession, [PUBLIC_BY_DAY, "image.donate", "label.add", ACTIVE])
    days = [point["day"] for point in series[ACTIVE]]
    top = label_images(dbsession, TOP_LABELS)
    catalog = request.registry["catalog"]
    fewest = fewest_pictures(dbsession, (label.name for label in catalog.labels), NEEDS_PICTURES)
    donate = request.route_path("donate")
    return {"images": {"total": sum(by_status.values()), "by_status": by_status,
                       "donations_per_day": [point for point in series[PUBLIC_BY_DAY] if point["count"]]},
            "labels": {"image_labels": image_labels_total(dbsession),
                       "catalog_size": len(request.registry["catalog"].by_name),
                       "top": [{"label": name, "count": count} for name, count in top],
                       "suggestions": dbsession.scalar(select(func.count()).select_from(LabelSuggestion)),
                       "charts": [chart("labels", "Labels on the most images", "bar",
                                        [name for name, _ in top[:CHART_LABELS]],
                                        {"images": [count for _, count in top[:CHART_LABELS]]})],
                       "work": {"title": "Labels with the fewest pictures", "items": [
                           {"label": name, "text": f"{count} public pictures",
                            "href": f"{donate}?{urlencode({'label': name})}"} for name, count in fewest]}},
            "activity": {"contributors_per_day": series[ACTIVE], "charts": [
                chart("donations", "Donations and labels per day", "bar", days, {
                    "donations": [point["count"] for point in series["image.donate"]],
                    "labels added": [point["count"] for point in series["label.add"]]}),
                chart("contributors", "Contributors active per day", "line", days,
                      {"contributors": [point["count"] for point in series[ACTIVE]]})]}}


@hookimpl
def imagemonkey_statistics_counters() -> list[Any]:
    return [*core_counters(), *person_counters()]


@hookimpl
def imagemonkey_image_labeled(request: Any, image: Any, image_labels: list[Any]) -> None:
    if image.status == "public":  # labels of other images count once the image becomes public
        count_labels(request.dbsession, [image_label.label for image_label in image_labels])


@hookimpl
def imagemonkey_image_labels_removed(request: Any, image_labels: list[Any]) -> None:
    ids = [image_label.id for image_label in image_labels]
    public = request.dbsession.scalars(select(ImageLabel.label).join(Image, Image.id == ImageLabel.image_id)
                                       .where(ImageLabel.id.in_(ids), Image.status == "public"))
    count_labels(request.dbsession, list(public), sign=-1)


@hookimpl
def imagemonkey_image_status_changed(request: Any, image: Any, old_status: str, new_status: str,
                                     reason: str | None) -> None:
    count_status(request.dbsession, old_status, new_status)
    if (old_status == "public") != (new_status == "public"):
        sign = 1 if new_status == "public" else -1
        count_public(request.dbsession, image, sign)
        labels = request.dbsession.scalars(select(ImageLabel.label).where(ImageLabel.image_id == image.id))
        count_labels(request.dbsession, list(labels), sign=sign)


@hookimpl
def imagemonkey_extension_actions(request: Any) -> list[dict[str, Any]]:
    return [
        {"id": "donate", "kind": "donate", "title": "Donate to ImageMonkey", "contexts": ["image"]},
        {"id": "label-donate", "kind": "label", "title": "Label and donate…", "contexts": ["image"]},
    ]


@hookimpl
def imagemonkey_navigation(request: Any) -> list[dict[str, Any]]:
    return [{"title": "Browse", "href": request.route_path("browse"),
             "description": "Explore the public images with queries such as dog & ~cat."},
            {"title": "Statistics", "href": request.route_path("statistics"),
             "description": "Donations, votes and outlines per day, and the labels that most need work."},
            {"title": "Donate", "href": request.route_path("donate"),
             "description": "Upload pictures with labels from the catalog."},
            {"title": "Image hunt", "href": request.route_path("hunt"),
             "description": "The labels the dataset needs most: donate a picture of each and tick them off."}]


def uncount_labels(dbsession: Any, contributor_id: int, chunk: int = 500) -> None:
    """Take the labels ``contributor_id`` put on each image off its ``label_count``: one statement per distinct
    count and ``chunk`` images (one ORM update per label, each synchronizing every loaded label, took a minute for
    10,000); loaded images reread the count."""
    by_count: dict[int, list[int]] = {}
    for image_id, count in dbsession.execute(select(ImageLabel.image_id, func.count())
                                             .where(ImageLabel.contributor_id == contributor_id)
                                             .group_by(ImageLabel.image_id)):
        by_count.setdefault(count, []).append(image_id)
    for count, image_ids in by_count.items():
        for start in range(0, len(image_ids), chunk):
            dbsession.execute(update(Image).where(Image.id.in_(image_ids[start:start + chunk]))
                              .values(label_count=Image.label_count - count)
                              .execution_options(synchronize_session=False))
    for loaded in [obj for obj in dbsession.identity_map.values() if isinstance(obj, Image)]:
        dbsession.expire(loaded, ["label_count"])


@hookimpl(trylast=True)
def imagemonkey_revert_contributor(request: Any, contributor: Any) -> dict[str, int]:
    """Core's part runs after every plugin's (declared ``trylast``): labels, suggestions, then donated images."""
    dbsession = request.dbsession
    labels = list(dbsession.scalars(select(ImageLabel).where(ImageLabel.contributor_id == contributor.id)))
    if labels:
        request.registry.pm.hook.imagemonkey_image_labels_removed(request=request, image_labels=labels)
    uncount_labels(dbsession, contributor.id)
    dbsession.execute(delete(ImageLabel).where(ImageLabel.contributor_id == contributor.id))
    suggestions = list(dbsession.scalars(select(ImageSuggestion.suggestion_id)
                                         .where(ImageSuggestion.contributor_id == contributor.id)))
    for suggestion_id in suggestions:
        dbsession.execute(update(LabelSuggestion).where(LabelSuggestion.id == suggestion_id)
                          .values(usage_count=LabelSuggestion.usage_count - 1))
    dbsession.execute(delete(ImageSuggestion).where(ImageSuggestion.contributor_id == contributor.id))
    named = list(dbsession.scalars(select(Contribution.target_id).where(
        Contribution.contributor_id == contributor.id, Contribution.kind == "label.suggest_name",
        Contribution.reverted.is_(False))))
    for suggestion_id in named:
        dbsession.execute(update(LabelSuggestion).where(LabelSuggestion.id == int(suggestion_id))
                          .values(usage_count=LabelSuggestion.usage_count - 1))
    removed = 0
    for image in dbsession.scalars(select(Image).where(Image.donor_id == contributor.id, Image.status != "removed")):
        removed += change_status(request, image, "removed", "reverted: donor's contributions were reverted")
    return {"label.add": len(labels), "label.suggest": len(suggestions), "label.suggest_name": len(named),
            "image.donate": removed, **revert_captions(dbsession, contributor.id)}


@hookimpl
def imagemonkey_query_prefixes() -> list[Any]:
    return [CAPTION_PREFIX]


@hookimpl
def imagemonkey_exporters() -> list[Any]:
    return [JsonExporter()]

