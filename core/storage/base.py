"""The content-addressed blob store protocol and key validation.

A key is the lower-case SHA-256 hex digest (64 characters) of the stored bytes. Every
store validates keys with :func:`validate_key` before touching a path or an object
name, so a key can never escape the store (no ``..``, no ``/``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

KEY_PATTERN = re.compile(r"[0-9a-f]{64}")

#: MIME types a store can derive from magic bytes (see :func:`imagemonkey.images.sniff.sniff_format`).
SNIFFED_CONTENT_TYPES: dict[str, str] = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def validate_key(key: str) -> str:
    """Return ``key`` if it is a lower-case SHA-256 hex digest, else raise ``ValueError``."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"not a blob key (64 lower-case hex characters): {key!r}")
    return key


@runtime_checkable
class BlobStore(Protocol):
    """Where image files live, addressed by the SHA-256 of their bytes."""

    def put(self, data: bytes, content_type: str) -> str:
        """Store ``data`` atomically and idempotently; return its key (sha256 hex)."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes stored under ``key``; ``KeyError`` if there are none."""
        ...

    def exists(self, key: str) -> bool:
        """Whether ``key`` is stored."""
        ...

    def delete(self, key: str) -> None:
        """Remove ``key``; no error if it is not stored."""
        ...

    def keys(self) -> Iterator[str]:
        """Every stored key, streamed (for garbage collection); no order promised."""
        ...

    def local_path(self, key: str) -> Path | None:
        """A file path holding ``key``'s bytes (to hard-link or serve), or ``None`` if the store has no files.

        A store with files raises ``KeyError`` for a key it does not hold.
        """
        ...

    def content_type(self, key: str) -> str:
        """The MIME type of ``key``; ``KeyError`` if it is not stored."""
        ...

    # Optional, offered by both of core's stores (``imagemonkey.plugin.store_file`` and ``signed_blob_url`` fall
    # back without them): ``put_file(path, content_type) -> key`` stores a file streamed (never read whole), and
    # ``signed_url(key, *, seconds, filename=None) -> str`` gives a presigned download URL (object storage only);
    # ``get_file(key, target)`` writes a blob into a file streamed (``imagemonkey.plugin.fetch_file`` falls back to
    # ``get``).
