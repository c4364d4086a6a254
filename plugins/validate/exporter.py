"""The ``imagefolder`` exporter: verified image labels as ``train/<label>/`` and ``val/<label>/`` class folders."""
from __future__ import annotations

import hashlib

from sqlalchemy import select

from imagemonkey.plugin import ExportContext, Exporter

from .models import Subject
from .subjects import IMAGE_LABEL

VAL_PERCENT = 20


def split_of(image_id: int) -> str:
    """``train`` or ``val``, decided by a hash of the image id (about 80/20, the same in every export)."""
    bucket = int.from_bytes(hashlib.sha256(str(image_id).encode()).digest()[:2], "big") % 100
    return "val" if bucket < VAL_PERCENT else "train"


def class_folder(label: str) -> str:
    """A filesystem-safe class folder name: sublabels ``dog/head`` become ``dog__head``."""
    return label.replace("/", "__")


class ImageFolderExporter(Exporter):
    """Loadable by ``torchvision.datasets.ImageFolder(out/"train")`` and ``(out/"val")``.

    Only labels the crowd verified are exported (with ``--include-unverified`` every label that is not
    rejected); an image with several such labels appears in each of their folders (hard-linked when
    possible). Both splits get the same class folders (empty where needed), so ImageFolder numbers the
    classes the same in both, and ``classes.txt`` lists them in that order (class ``i`` on line ``i + 1``).
    """

    name = "imagefolder"
    description = "verified labels as train/<label>/ and val/<label>/ class folders (torchvision ImageFolder)"

    def export(self, ctx: ExportContext) -> dict[str, int]:
        counts = {"images": 0, "files": 0, "train": 0, "val": 0}
        classes: set[str] = set()
        for split in ("train", "val"):
            (ctx.out_dir / split).mkdir(parents=True, exist_ok=True)
        dbsession = ctx.request.dbsession
        for batch in ctx.batches():
            labels = ctx.labels_of(batch)
            ids = [il.id for found in labels.values() for il in found]
            states = dict(dbsession.execute(select(Subject.subject_id, Subject.state).where(
                Subject.kind == IMAGE_LABEL, Subject.subject_id.in_(ids))).all())
            wanted = {"verified", "unverified", "contested"} if ctx.include_unverified else {"verified"}
            kept = {il_id for il_id in ids if states.get(il_id, "unverified") in wanted}
            ctx.leave_out("unverified", sum(1 for il_id in ids if states.get(il_id, "unverified") in
                                            ({"unverified", "contested"} - wanted)))
            ctx.leave_out("rejected", sum(1 for il_id in ids if states.get(il_id) == "rejected"))
            for image in batch:
                names = [il.label for il in labels[image.id] if il.id in kept]
                if not names:
                    continue
                split = split_of(image.id)
                for name in names:
                    ctx.add_image(image, folder=f"{split}/{class_folder(name)}")
                    classes.add(name)
                counts["images"] += 1
                counts["files"] += len(names)
                counts[split] += 1
            ctx.advance(len(batch))
        folders = sorted(class_folder(name) for name in classes)
        for split in ("train", "val"):
            for folder in folders:
                (ctx.out_dir / split / folder).mkdir(parents=True, exist_ok=True)
        (ctx.out_dir / "classes.txt").write_text("".join(f"{folder}\n" for folder in folders), encoding="utf-8")
        counts["classes"] = len(classes)
        return counts
