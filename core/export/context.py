"""What an exporter works with: batches of public images, their labels, and image files."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, exists, select

from ..models import Image, ImageLabel
from .attributes import export_attributes, export_shape_attributes

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "gif"}


class Exporter:
    """Base class of exporters: set ``name`` and ``description``, implement :meth:`export`."""

    name: str = ""
    description: str = ""

    def export(self, ctx: ExportContext) -> dict[str, int]:
        """Write the dataset into ``ctx.out_dir``; return counts such as ``{"images": n}``."""
        raise NotImplementedError


@dataclass
class ExportContext:
    """The dataset as an exporter sees it; everything streams in batches."""

    request: Any
    out_dir: Path
    labels: list[str] | None = None
    copy_images: bool = True
    progress: Callable[[int], None] | None = None
    where: ColumnElement[bool] | None = None  # a compiled ``--query`` the images must match
    include_unverified: bool = False  # ``--include-unverified``: exporters that want verified labels take all
    left_out: dict[str, int] = field(default_factory=dict)  # what exporters skipped, by reason (reported)
    _made: set[Path] = field(default_factory=set)

    def batches(self, batch_size: int = 500) -> Iterator[list[Image]]:
        """Public images in id order, ``batch_size`` at a time (keyset pagination, never all at once)."""
        last_id = 0
        dbsession = self.request.dbsession
        while True:
            query = select(Image).where(Image.status == "public", Image.id > last_id)
            if self.where is not None:
                query = query.where(self.where)
            if self.labels:
                query = query.where(exists().where(ImageLabel.image_id == Image.id, ImageLabel.label.in_(self.labels)))
            batch = list(dbsession.scalars(query.order_by(Image.id).limit(batch_size)))
            if not batch:
                return
            yield batch
            last_id = batch[-1].id
            dbsession.expunge_all()

    def labels_of(self, images: list[Image]) -> dict[int, list[ImageLabel]]:
        """The labels of ``images`` (only those in ``self.labels`` when it is set), in one query."""
        found: dict[int, list[ImageLabel]] = {image.id: [] for image in images}
        query = select(ImageLabel).where(ImageLabel.image_id.in_(list(found))).order_by(ImageLabel.id)
        if self.labels:
            query = query.where(ImageLabel.label.in_(self.labels))
        for image_label in self.request.dbsession.scalars(query):
            found[image_label.image_id].append(image_label)
        return found

    def attributes_of(self, image_label_ids: list[int]) -> dict[int, dict[str, str]]:
        """``{image_label_id: {"color": "brown"}}``: what plugins add to these image labels in exports (one batch;
        image labels without attributes are left out)."""
        return export_attributes(self.request, image_label_ids)

    def shape_attributes_of(self, shape_ids: list[int]) -> dict[int, dict[str, str]]:
        """``{shape_id: {"color": "brown"}}``: what plugins add to single outlined objects in exports (one batch of
        the shape ids ``imagemonkey_outline_shapes`` answers; shapes without attributes are left out)."""
        return export_shape_attributes(self.request, shape_ids)

    @staticmethod
    def file_name(image: Image) -> str:
        """The stable file name of an image in every export: ``<id>.<ext>``."""
        return f"{image.id}.{EXTENSIONS.get(image.format, image.format)}"

    def add_image(self, image: Image, folder: str = "images") -> str:
        """Place the image's original under ``folder`` (hard link, else copy); returns its relative path."""
        relative = f"{folder}/{self.file_name(image)}" if folder else self.file_name(image)
        if self.copy_images:
            target = self.out_dir / relative
            if target.parent not in self._made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(target.parent)
            if not target.exists():
                self._place(image.original_key, target)
        return relative

    def add_bytes(self, relative: str, data: bytes) -> str:
        """Write ``data`` as the export's file ``relative`` (folders made as needed); returns ``relative``.

        Use it for files that belong next to an image (a WebDataset sample's JSON, a LabelMe file): a
        streamed export (``GET /api/v1/export``) sends them at once, right after the image, where files
        written straight into ``out_dir`` follow only when the exporter is done.
        """
        target = self.out_dir / relative
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        target.write_bytes(data)
        return relative

    def image_bytes(self, image: Image) -> bytes:
        """The original's bytes (metadata removed, upright)."""
        return self.request.registry["blobstore"].get(image.original_key)

    def _place(self, key: str, target: Path) -> None:
        store = self.request.registry["blobstore"]
        source = store.local_path(key)
        if source is not None:
            try:
                os.link(source, target)
                return
            except OSError:
                shutil.copyfile(source, target)
                return
        target.write_bytes(store.get(key))

    def leave_out(self, reason: str, count: int) -> None:
        """Record that ``count`` image labels were skipped for ``reason`` (e.g. ``unverified``); the CLI reports it."""
        if count:
            self.left_out[reason] = self.left_out.get(reason, 0) + count

    def advance(self, count: int = 1) -> None:
        """Report progress (images done)."""
        if self.progress is not None:
            self.progress(count)
