"""Per process: the similar-pictures index of each backbone version, memory-mapped and reopened when it changes."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ann import AnnFile, manifest_path, read_manifest
from .shared_index import local_copies, on_object_storage, published_keys
from .similar import path_of

logger = logging.getLogger(__name__)


@dataclass
class Held:
    """One index a process holds: the opened segments, what they were opened from (the manifest's modification
    time, or the published segment blob keys on object storage) and when that was last checked."""

    ann: AnnFile
    version: str
    checked: float


class IndexHolder:
    """Per process: the memory-mapped index of each backbone, checked at most every ``interval`` seconds and
    reopened when it changed (another process saved it, or published a new copy to object storage).

    One thread checks (and, on object storage, downloads) at a time; meanwhile the others keep answering from the
    copy held, and wait only while nothing is held yet."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.files: dict[Path, Held] = {}
        self.lock = threading.Lock()

    def current(self, registry: Any, backbone: str, features: int) -> AnnFile:
        """The index of ``backbone`` as last saved (empty when none was built yet)."""
        path = path_of(registry, backbone)
        held = self.files.get(path)
        if held is not None and time.monotonic() - held.checked < self.interval:
            return held.ann
        if not self.lock.acquire(blocking=held is None):
            return held.ann  # another thread is checking: answer from the copy held
        try:
            held = self.files.get(path)
            if held is None or time.monotonic() - held.checked >= self.interval:
                held = self.files[path] = self.refresh(registry, backbone, features, path, held)
            return held.ann
        finally:
            self.lock.release()

    def refresh(self, registry: Any, backbone: str, features: int, path: Path, held: Held | None) -> Held:
        """``held`` checked again, or the index reopened when its manifest changed or other segments were
        published."""
        shared = on_object_storage(registry)
        keys = published_keys(registry, backbone) if shared else None
        manifest = manifest_path(path)
        if shared:
            version = ",".join(keys or [])
        else:
            version = str(manifest.stat().st_mtime) if manifest.exists() else ""
        if held is not None and held.version == version:
            return Held(held.ann, version, time.monotonic())
        if not shared:
            opened = AnnFile.open(path, features, view=True)
            if held is not None and len(opened.index) == 0 and read_manifest(path)["segments"]:
                # a segment the manifest names could not be opened (a rebuild removing it between our reading the
                # manifest and opening it): keep answering from the index held, and look again next interval
                return Held(held.ann, held.version, time.monotonic())
            return Held(opened, version, time.monotonic())
        if not keys:
            return Held(AnnFile.empty(path, features), version, time.monotonic())
        try:
            copies = local_copies(registry, path, keys)
        except Exception:  # the store unreachable, or a blob replaced meanwhile: try again after the interval
            logger.exception("similar-pictures index %s: download of its segments failed", backbone)
            stale = held or Held(AnnFile.empty(path, features), "", 0.0)
            return Held(stale.ann, stale.version, time.monotonic())
        return Held(AnnFile.of_files(path, copies, features, read_manifest(path).get("watermark")), version,
                    time.monotonic())
