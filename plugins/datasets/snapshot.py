"""A release's snapshot: one JSON line per image (id order) with its content hash, the labels the release keeps
(with their outlines, export attributes and, where plugins give any, each outlined object's own attributes) and those
it leaves out. Every file of a release is written from it, so
a release never reads the live database twice, and a revision is the snapshot without the images taken down.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import (
    Image,
    ImageLabel,
    export_attributes,
    export_shape_attributes,
    image_labels_json,
    outline_shapes,
)

IMAGE_COLUMNS = (Image.id, Image.original_key, Image.format, Image.width, Image.height)
KEPT = {False: {"verified"}, True: {"verified", "unverified", "contested"}}


def canonical(document: Any) -> str:
    """The one JSON text of ``document`` (sorted keys, no spaces): what digests and archives are built from."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def shape_attributes(request: Any, image_label_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    """``{image_label_id: [attributes of each shape of its outline, in order]}`` for the image labels whose outlined
    objects have attributes of their own (refine's settled values per outline); one batch of each hook."""
    shapes = outline_shapes(request, image_label_ids=image_label_ids)
    found = export_shape_attributes(request, [shape["id"] for shape in shapes])
    by_label: dict[int, list[dict[str, str]]] = {}
    for shape in shapes:
        by_label.setdefault(shape["image_label_id"], []).append(found.get(shape["id"], {}))
    return {label: values for label, values in by_label.items() if any(values)}


def _record(image: Any, documents: list[dict[str, Any]], include_unverified: bool,
            attributes: dict[int, dict[str, str]], per_shape: dict[int, list[dict[str, str]]]) -> dict[str, Any]:
    kept, left_out = [], []
    for doc in sorted(documents, key=lambda d: (d["label"], int(d["id"]))):
        state = doc.get("state", "unverified")
        if state in KEPT[include_unverified]:
            shapes = (doc.get("outline") or {}).get("shapes", [])
            item = {"label": doc["label"], "state": state, "shapes": shapes}
            if int(doc["id"]) in attributes:  # only when there are some: older snapshots keep their digests
                item["attributes"] = attributes[int(doc["id"])]
            own = per_shape.get(int(doc["id"]))
            if own and len(own) == len(shapes):  # one per shape, in the outline's order
                item["shape_attributes"] = own
            kept.append(item)
        else:
            left_out.append({"label": doc["label"], "state": state})
    return {"id": image.id, "sha256": image.original_key, "format": image.format, "width": image.width,
            "height": image.height, "labels": kept, "left_out": left_out}


def write_snapshot(request: Any, out: Path, *, where: Any, include_unverified: bool, batch: int,
                   progress: Callable[[int], None] | None = None) -> None:
    """Stream the public images matching ``where`` (None: all) into ``out``, ``batch`` images at a time."""
    dbsession = request.dbsession
    last_id = 0
    with open(out, "w", encoding="utf-8") as handle:
        while True:
            query = select(*IMAGE_COLUMNS).where(Image.status == "public", Image.id > last_id)
            if where is not None:
                query = query.where(where)
            images = list(dbsession.execute(query.order_by(Image.id).limit(batch)))  # rows, not ORM objects
            if not images:
                return
            labels = list(dbsession.scalars(select(ImageLabel).where(
                ImageLabel.image_id.in_([image.id for image in images])).order_by(ImageLabel.id)))
            by_image: dict[int, list[dict[str, Any]]] = {image.id: [] for image in images}
            for image_label, doc in zip(labels, image_labels_json(request, labels), strict=True):
                by_image[image_label.image_id].append(doc)
            attributes = export_attributes(request, [image_label.id for image_label in labels])
            per_shape = shape_attributes(request, [image_label.id for image_label in labels])
            for image in images:
                handle.write(canonical(_record(image, by_image[image.id], include_unverified, attributes,
                                               per_shape)) + "\n")
            last_id = images[-1].id
            dbsession.expunge_all()
            if progress is not None:
                progress(len(images))


def object_attributes(record: dict[str, Any]) -> list[dict[str, str]]:
    """The attributes of every outlined object of a record, in the order of :func:`~.geometry.instances`: its label's,
    with the object's own laid over them (a settled colour of one dog among several)."""
    found = []
    for label in record["labels"]:
        own = label.get("shape_attributes") or [{}] * len(label["shapes"])
        found += [{**label.get("attributes", {}), **values} for values in own]
    return found


def records(path: Path) -> Iterator[dict[str, Any]]:
    """The snapshot's records, streamed."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def filter_snapshot(source: Path, out: Path, keep: Callable[[list[int]], set[int]], batch: int = 500) -> list[int]:
    """Copy ``source`` to ``out`` keeping the records whose ids ``keep`` (asked per batch) returns; returns the
    ids left out."""
    dropped: list[int] = []
    with open(source, encoding="utf-8") as reader, open(out, "w", encoding="utf-8") as writer:
        pending: list[tuple[int, str]] = []

        def flush() -> None:
            kept = keep([image_id for image_id, _ in pending])
            for image_id, line in pending:
                if image_id in kept:
                    writer.write(line)
                else:
                    dropped.append(image_id)
            pending.clear()

        for line in reader:
            pending.append((json.loads(line)["id"], line))
            if len(pending) >= batch:
                flush()
        flush()
    return dropped


@dataclass
class Summary:
    """What a snapshot holds: its digest, counts and per-label counts."""

    digest: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    per_label: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        """The labels the release keeps, sorted: class ``i`` of every format."""
        return sorted(name for name, row in self.per_label.items() if row["kept"])


def summarize(path: Path) -> Summary:
    """One pass over the snapshot: the digest (content hashes with kept labels, states and shapes) and counts."""
    digest = hashlib.sha256()
    summary = Summary()
    counts = {"images": 0, "image_labels": 0, "shapes": 0, "left_out": 0}
    for record in records(path):
        digest.update(canonical({"sha256": record["sha256"], "labels": record["labels"]}).encode() + b"\n")
        counts["images"] += 1
        for label in record["labels"]:
            row = summary.per_label.setdefault(label["label"], {"kept": 0, "verified": 0, "all": 0, "shapes": 0})
            row["kept"] += 1
            row["all"] += 1
            row["verified"] += label["state"] == "verified"
            row["shapes"] += len(label["shapes"])
            counts["image_labels"] += 1
            counts["shapes"] += len(label["shapes"])
        for label in record["left_out"]:
            row = summary.per_label.setdefault(label["label"], {"kept": 0, "verified": 0, "all": 0, "shapes": 0})
            row["all"] += 1
            counts["left_out"] += 1
    counts["labels"] = sum(1 for row in summary.per_label.values() if row["kept"])
    counts["verified"] = sum(row["verified"] for row in summary.per_label.values())
    summary.digest = digest.hexdigest()
    summary.counts = counts
    return summary
