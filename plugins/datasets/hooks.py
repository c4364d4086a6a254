"""The datasets plugin's implementations of core's hooks."""
from __future__ import annotations
