"""The playground's settings: names, defaults, parsers and meanings (read with :func:`setting`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def positive_int(raw: Any) -> int:
    """An int >= 1 (``ValueError`` otherwise)."""
    value = int(raw)
    if value < 1:
        raise ValueError(f"{raw!r} is not a positive integer")
    return value


def non_negative_int(raw: Any) -> int:
    """An int >= 0 (0 switches the feature off)."""
    value = int(raw)
    if value < 0:
        raise ValueError(f"{raw!r} is negative")
    return value


def probability(raw: Any) -> float:
    """A float in (0, 1]."""
    value = float(raw)
    if not 0 < value <= 1:
        raise ValueError(f"{raw!r} is not in (0, 1]")
    return value


@dataclass(frozen=True)
class Declared:
    """One setting."""

    key: str
    default: Any
    parse: Callable[[Any], Any]
    help: str


DECLARED = [
    Declared("playground.min_images", 5, positive_int, "Images (verified, with validate) a label needs to be learnt."),
    Declared("playground.max_labels", 200, positive_int, "At most this many labels (the most frequent) per model."),
    Declared("playground.max_images", 50000, positive_int, "At most this many images (the newest) per training."),
    Declared("playground.retrain_every", 86400, non_negative_int,
             "Seconds between scheduled retrainings (0: no schedule); checked hourly."),
    Declared("playground.retrain_after_labels", 200, non_negative_int,
             "Retrain once this many eligible image labels were added since the last model (0: never)."),
    Declared("playground.reload_seconds", 2.0, float, "How often a process checks which version is active."),
    Declared("playground.suggest_threshold", 0.9, probability,
             "A new active model's probability at which a missing label becomes a validation question."),
    Declared("playground.suggest_limit", 500, non_negative_int, "At most this many suggestions per activation."),
    Declared("playground.suggest_images", 2000, non_negative_int,
             "At most this many images (newest first, not trained on) are scored for suggestions per activation."),
    Declared("playground.threads", 1, positive_int,
             "torch's intra-op threads in this process (requests run in parallel already; 1 avoids oversubscription)."),
    Declared("playground.rate", "60/minute", str,
             "Prediction requests per client address: N/second, N/minute, ... or off."),
]
BY_KEY = {item.key: item for item in DECLARED}


def setting(request_or_registry: Any, key: str) -> Any:
    """The typed value of a playground setting (the default when unset)."""
    registry = getattr(request_or_registry, "registry", request_or_registry)
    item = BY_KEY[key]
    raw = registry.settings.get(key)
    return item.default if raw is None or raw == "" else item.parse(raw)
