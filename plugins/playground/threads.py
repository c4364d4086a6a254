"""torch's intra-op thread count in this process (``playground.threads``), applied when torch is loaded.

torch is not imported at start-up: the app's modules (views, hooks, jobs, CLI, serving) import the
machine-learning modules inside the functions that use them (the first prediction, training or suggestion).
Those modules import torch through :mod:`.torch_runtime`, which applies the count set here by ``includeme``.
"""
from __future__ import annotations

import sys
from typing import Any

_configured: int | None = None


def configure(threads: int) -> None:
    """Use ``threads`` threads: now if torch is already loaded, else when :mod:`.torch_runtime` loads it."""
    global _configured
    _configured = threads
    torch = sys.modules.get("torch")
    if torch is not None:
        apply(torch)


def apply(torch: Any) -> None:
    """Set the configured count on the loaded ``torch`` (nothing when no app configured one)."""
    if _configured is not None and torch.get_num_threads() != _configured:
        torch.set_num_threads(_configured)
