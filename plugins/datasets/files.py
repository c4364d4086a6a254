"""Release files on disk and in the blob store: their hashes, content types, and local copies of blobs."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

CONTENT_TYPES = {".jsonl": "application/jsonlines",
                 ".zip": "application/zip", ".tar": "application/x-tar", ".md": "text/markdown; charset=utf-8",
                 ".json": "application/json", ".cff": "text/yaml; charset=utf-8", "SUMS": "text/plain; charset=utf-8"}


_HASHED: dict[tuple[str, int, int], str] = {}


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in chunks (remembered by path, size and mtime while the build lasts)."""
    stat = path.stat()
    memo = (str(path), stat.st_size, stat.st_mtime_ns)
    if memo in _HASHED:
        return _HASHED[memo]
    if len(_HASHED) > 1000:
        _HASHED.clear()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    _HASHED[memo] = digest.hexdigest()
    return _HASHED[memo]


def fetch_blob(registry: Any, key: str, target: Path) -> Path:
    """A local file holding blob ``key`` (the store's own file when it has files)."""
    store = registry["blobstore"]
    local = store.local_path(key)
    if local is not None:
        return Path(local)
    target.write_bytes(store.get(key))
    return target


def content_type(name: str) -> str:
    """The MIME type a release file (by its name) is stored and served with."""
    return next((kind for suffix, kind in CONTENT_TYPES.items() if name.endswith(suffix)),
                "application/octet-stream")
