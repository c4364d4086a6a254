"""Core's ``json`` exporter: images, labels and provenance as JSON Lines, images alongside."""
from __future__ import annotations

import json

from ..models.types import isoformat
from .context import ExportContext, Exporter


class JsonExporter(Exporter):
    """One JSON object per image in ``images.jsonl``; files under ``images/``."""

    name = "json"
    description = "images, labels and provenance as JSON Lines (images.jsonl) with the image files"

    def export(self, ctx: ExportContext) -> dict[str, int]:
        count = 0
        with open(ctx.out_dir / "images.jsonl", "w", encoding="utf-8") as out:
            for batch in ctx.batches():
                labels = ctx.labels_of(batch)
                for image in batch:
                    out.write(json.dumps({
                        "id": str(image.id), "file_name": ctx.add_image(image), "width": image.width,
                        "height": image.height, "format": image.format, "created_at": isoformat(image.created_at),
                        "source_url": image.source_url, "page_url": image.page_url,
                        "labels": [label.label for label in labels[image.id]],
                    }) + "\n")
                    count += 1
                ctx.advance(len(batch))
        return {"images": count}
