"""Core's ``json`` exporter: images, labels (with their attributes), captions and provenance as JSON Lines, images
alongside."""
from __future__ import annotations

import json

from ..models.types import isoformat
from ..services.captions import export_captions, settled_captions
from .context import ExportContext, Exporter


class JsonExporter(Exporter):
    """One JSON object per image in ``images.jsonl``; files under ``images/``."""

    name = "json"
    description = "images, labels, captions and provenance as JSON Lines (images.jsonl) with the image files"

    def export(self, ctx: ExportContext) -> dict[str, int]:
        count = 0
        with open(ctx.out_dir / "images.jsonl", "w", encoding="utf-8") as out:
            for batch in ctx.batches():
                labels = ctx.labels_of(batch)
                ids = [image.id for image in batch]
                captions = export_captions(ctx.request.dbsession, ids)
                settled = settled_captions(ctx.request.dbsession, ids)
                attributes = ctx.attributes_of([label.id for found in labels.values() for label in found])
                for image in batch:
                    out.write(json.dumps({
                        "id": str(image.id), "file_name": ctx.add_image(image), "width": image.width,
                        "height": image.height, "format": image.format, "created_at": isoformat(image.created_at),
                        "source_url": image.source_url, "page_url": image.page_url,
                        "labels": [label.label for label in labels[image.id]],
                        "attributes": {label.label: attributes[label.id] for label in labels[image.id]
                                       if label.id in attributes},
                        "caption": settled[image.id].text if image.id in settled else None,
                        "captions": captions[image.id],
                    }) + "\n")
                    count += 1
                ctx.advance(len(batch))
        return {"images": count}
