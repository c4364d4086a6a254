"""A blob store on the local file system.

Layout: ``root/ab/cd/<sha256>`` where ``ab`` and ``cd`` are the first two pairs of hex
digits. A blob is written to a temporary file (``.tmp-*``) in its final directory,
flushed and fsynced, then moved into place with :func:`os.replace`, so a reader never
sees a partial file and concurrent writers of the same bytes are harmless.

The content type is not stored: it is derived from the file's magic bytes (the store
holds images: JPEG, PNG, WebP, GIF; anything else reads as
``application/octet-stream``). This keeps one file per blob, which suits hard-linking
and serving the files directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from imagemonkey.images.sniff import sniff_format
from imagemonkey.storage.base import DEFAULT_CONTENT_TYPE, KEY_PATTERN, SNIFFED_CONTENT_TYPES, validate_key

_HEX_PAIR = frozenset(f"{i:02x}" for i in range(256))


class FileBlobStore:
    """Content-addressed files under ``root`` (see the module docstring for the layout)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"FileBlobStore({str(self.root)!r})"

    def path_for(self, key: str) -> Path:
        """Where ``key`` is (or would be) stored; ``ValueError`` for an invalid key."""
        key = validate_key(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes, content_type: str) -> str:
        """Store ``data`` (``content_type`` is not kept: it is derived from the bytes); return its key."""
        key = hashlib.sha256(data).hexdigest()
        path = self.path_for(key)
        if path.is_file():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o644)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        return key

    def put_file(self, source: Path | str, content_type: str) -> str:
        """Store the file at ``source`` streamed (hashed, then hard-linked, or copied in chunks); return its key.

        The store keeps the file: ``source`` must not be changed afterwards (deleting it is fine)."""
        digest = hashlib.sha256()
        with open(source, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        key = digest.hexdigest()
        path = self.path_for(key)
        if path.is_file():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # the same file system: a hard link is the copy (the caller must not change ``source`` afterwards)
            os.link(source, path)
            os.chmod(path, 0o644)
            return key
        except FileExistsError:
            return key
        except OSError:
            pass
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle, open(source, "rb") as reader:
                shutil.copyfileobj(reader, handle, 1 << 20)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o644)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        return key

    def get(self, key: str) -> bytes:
        """The stored bytes; ``KeyError`` if missing."""
        try:
            return self.path_for(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def get_file(self, key: str, target: Path | str) -> None:
        """Copy ``key``'s file to ``target`` in chunks; ``KeyError`` if missing."""
        try:
            with self.path_for(key).open("rb") as reader, open(target, "wb") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
        except FileNotFoundError:
            raise KeyError(key) from None

    def exists(self, key: str) -> bool:
        """Whether ``key`` is stored."""
        return self.path_for(key).is_file()

    def delete(self, key: str) -> None:
        """Remove ``key`` if stored (empty directories are left for concurrent writers)."""
        with contextlib.suppress(FileNotFoundError):
            self.path_for(key).unlink()

    def keys(self) -> Iterator[str]:
        """Every stored key, streamed directory by directory (temporary files skipped)."""
        for first in _subdirs(self.root):
            for second in _subdirs(Path(first.path)):
                prefix = first.name + second.name
                with os.scandir(second.path) as entries:
                    for entry in entries:
                        if KEY_PATTERN.fullmatch(entry.name) and entry.name.startswith(prefix) and entry.is_file():
                            yield entry.name

    def local_path(self, key: str) -> Path | None:
        """The file holding ``key``; ``KeyError`` if missing."""
        path = self.path_for(key)
        if not path.is_file():
            raise KeyError(key)
        return path

    def content_type(self, key: str) -> str:
        """The MIME type sniffed from the stored bytes; ``KeyError`` if missing."""
        try:
            with self.path_for(key).open("rb") as handle:
                head = handle.read(512)
        except FileNotFoundError:
            raise KeyError(key) from None
        return SNIFFED_CONTENT_TYPES.get(sniff_format(head) or "", DEFAULT_CONTENT_TYPE)


def _subdirs(path: Path) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(path) as entries:
            found = [entry for entry in entries if entry.name in _HEX_PAIR and entry.is_dir()]
    except FileNotFoundError:
        return
    yield from sorted(found, key=lambda entry: entry.name)
