"""What every format writer gets: the snapshot, its summary, the blob store, and where to write."""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..archive import Archive
from ..snapshot import Summary, records

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "gif"}


@dataclass
class WriteJob:
    """One format's build: read ``snapshot`` (summarised by ``summary``), write archives into ``work_dir``."""

    snapshot: Path
    summary: Summary
    store: Any
    work_dir: Path
    revision: int
    license: str = "CC0-1.0"
    shard_images: int = 1000
    advance: Callable[[int], None] | None = None

    def records(self) -> Iterator[dict[str, Any]]:
        """The snapshot's records, reporting progress as they go."""
        for record in records(self.snapshot):
            yield record
            if self.advance is not None:
                self.advance(1)

    def archive_path(self, stem: str, suffix: str = ".zip") -> Path:
        """The path of an archive named after the format and the revision: ``coco-r1.zip``."""
        return self.work_dir / f"{stem}-r{self.revision}{suffix}"

    def class_ids(self) -> dict[str, int]:
        """Label name to class index (0-based, sorted names)."""
        return {name: i for i, name in enumerate(self.summary.categories)}


def file_name(record: dict[str, Any]) -> str:
    """An image's name in every archive: ``<id>.<ext>``."""
    return f"{record['id']}.{EXTENSIONS.get(record['format'], record['format'])}"


def split_of(record: dict[str, Any]) -> str:
    """A stable split: every tenth image (by id) is in ``val``."""
    return "val" if record["id"] % 10 == 0 else "train"


def add_image(archive: Archive, job: WriteJob, name: str, record: dict[str, Any]) -> None:
    """Add the record's picture (its stored original) to ``archive`` as ``name``."""
    archive.add_blob(name, job.store, record["sha256"])


@contextmanager
def spool(job: WriteJob) -> Iterator[IO[str]]:
    """A temporary text file in the work dir (large text is written there, then streamed into the archive)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=job.work_dir) as handle:
        yield handle


def add_spool(archive: Archive, name: str, handle: IO[str]) -> None:
    """Add a spooled text file's content as entry ``name``."""
    handle.flush()
    raw = handle.buffer if hasattr(handle, "buffer") else handle  # type: ignore[union-attr]
    raw.seek(0, 2)
    size = raw.tell()
    raw.seek(0)
    archive.add_stream(name, size, raw)
