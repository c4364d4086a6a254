"""The built-in screener: NudeNet's detector, with configurable classes and a score threshold."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


class NudeNetScreener:
    """``screen(data)`` runs ``nudenet.NudeDetector().detect`` on the decoded image; a configured class at or
    above ``threshold`` is a hit (reason ``nudity``). The ONNX model ships inside the ``nudenet`` package."""

    name = "nudenet"

    def __init__(self, classes: Iterable[str], threshold: float) -> None:
        import cv2
        from nudenet import NudeDetector  # the optional ``report`` extra; imported when screening starts

        self.classes = frozenset(classes)
        self.threshold = threshold
        self.detector = NudeDetector()
        self._decode = lambda data: cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)

    def screen(self, data: bytes) -> dict[str, Any]:
        """Detections of the configured classes at or above the threshold; any of them is a hit."""
        picture = self._decode(data)
        if picture is None:
            raise ValueError("the image could not be decoded")
        detections = [{"class": d["class"], "score": round(float(d["score"]), 4), "box": [int(v) for v in d["box"]]}
                      for d in self.detector.detect(picture)]
        hits = [d for d in detections if d["class"] in self.classes and d["score"] >= self.threshold]
        return {"hit": bool(hits), "reason": "nudity" if hits else None, "detections": hits}
