"""torch as the playground's machine-learning modules import it: ``from .torch_runtime import torch``.

Importing it the first time applies this process's thread count (:mod:`.threads`, ``playground.threads``).
"""
from __future__ import annotations

import torch

from .threads import apply

apply(torch)

__all__ = ["torch"]
