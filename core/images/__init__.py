"""Image ingestion: validation, metadata removal, renditions and perceptual hashes.

The entry point is :func:`imagemonkey.images.process.process_upload`. The names below
are loaded lazily, so importing a light submodule (e.g. :mod:`.sniff`) does not pull
in Pillow's codecs, NumPy and ImageHash.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ProcessedImage", "Rendition", "process_upload", "sniff_format"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from imagemonkey.images import process

        return getattr(process, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
