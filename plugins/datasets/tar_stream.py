"""A tar written as a stream of byte chunks: member headers, contents and padding as they are produced.

Entries are deterministic (mtime 0, uid/gid 0, no owner names, mode 0644 (folders 0755), POSIX pax headers), like the
release archives, and nothing is held in memory beyond one chunk of one member.
"""
from __future__ import annotations

import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BLOCK = 512
CHUNK = 1 << 20
END_OF_ARCHIVE = b"\0" * (2 * BLOCK)


def header(name: str, size: int, *, folder: bool = False) -> bytes:
    """The header block(s) of a regular file member ``name`` of ``size`` bytes (or of a folder)."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, 0, 0o755 if folder else 0o644
    if folder:
        info.type = tarfile.DIRTYPE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def padding(size: int) -> bytes:
    """The zero bytes that fill a member's last block."""
    return b"\0" * (-size % BLOCK)


def bytes_member(name: str, data: bytes) -> Iterator[bytes]:
    """A member holding ``data``."""
    yield header(name, len(data)) + data + padding(len(data))


def file_member(name: str, path: Path) -> Iterator[bytes]:
    """A member holding the file at ``path``, read in chunks (its size is taken when the member starts)."""
    with open(path, "rb") as source:
        size = source.seek(0, 2)
        source.seek(0)
        yield header(name, size)
        left = size
        while left:
            block = source.read(min(CHUNK, left))
            if not block:
                raise OSError(f"{path} shrank while it was being archived")
            left -= len(block)
            yield block
    yield padding(size)


def blob_member(name: str, store: Any, key: str) -> Iterator[bytes]:
    """A member holding blob ``key`` of the blob ``store`` (streamed from its file when the store keeps files)."""
    local = store.local_path(key)
    if local is not None:
        yield from file_member(name, Path(local))
    else:
        yield from bytes_member(name, store.get(key))
