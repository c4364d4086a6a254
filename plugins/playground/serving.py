"""The model a process serves: loaded once, swapped when another version becomes active.

Every ``playground.reload_seconds`` one request (whichever comes first; the others do not wait) asks the
database which version is active and, if it changed, loads it from the blob store and swaps the reference.
Requests that already hold the old :class:`Loaded` finish on it; nothing is locked while predicting.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from .models import ModelVersion
from .settings import setting

if TYPE_CHECKING:
    from .predictor import Predictor


@dataclass(frozen=True)
class Loaded:
    """One loaded version."""

    id: int
    version: int
    predictor: Predictor


class ModelHolder:
    """Per process (kept in the registry): the active version, checked at most every ``interval`` seconds."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.loaded: Loaded | None = None
        self.checked_at = float("-inf")
        self.lock = threading.Lock()

    def current(self, request: Any) -> Loaded | None:
        """The version to predict with (None when no version is active)."""
        if time.monotonic() - self.checked_at >= self.interval and self.lock.acquire(blocking=self.loaded is None):
            try:
                if time.monotonic() - self.checked_at >= self.interval:
                    self.refresh(request)
            finally:
                self.lock.release()
        return self.loaded

    def refresh(self, request: Any) -> None:
        """Load the active version if it is not the one held (the first load imports torch)."""
        row = request.dbsession.execute(select(ModelVersion.id, ModelVersion.version, ModelVersion.weights_key)
                                        .where(ModelVersion.status == "active").limit(1)).first()
        if row is None:
            self.loaded = None
        elif self.loaded is None or self.loaded.id != row.id:
            from .model_file import ModelFile
            from .predictor import Predictor
            from .providers import backbone_of

            model = ModelFile.from_bytes(request.registry["blobstore"].get(row.weights_key))
            self.loaded = Loaded(row.id, row.version, Predictor(model, backbone_of(request.registry)))
        self.checked_at = time.monotonic()


def holder(request: Any) -> ModelHolder:
    """This process's holder (created with the app, see ``includeme``)."""
    registry = request.registry
    if "playground.holder" not in registry:
        registry["playground.holder"] = ModelHolder(setting(registry, "playground.reload_seconds"))
    return registry["playground.holder"]
