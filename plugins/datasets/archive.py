"""Deterministic archives: the same entries give the same bytes (fixed times, owners and modes; entries are added
in the order the writers choose, which is always sorted by image id then name).

Zip entries get the date 1980-01-01 (zip's first); tar entries mtime 0, uid/gid 0, no owner names, mode 0644.
Pictures are stored as they are (already compressed); text is deflated.
"""
from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path
from typing import IO, Any

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


class Archive:
    """Where a format writer puts its entries: ``add_bytes(name, data)`` and ``add_blob(name, store, key)``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add_bytes(self, name: str, data: bytes) -> None:
        """Add an entry holding ``data``."""
        raise NotImplementedError

    def add_stream(self, name: str, size: int, stream: IO[bytes]) -> None:
        """Add an entry of ``size`` bytes read from ``stream``."""
        raise NotImplementedError

    def add_blob(self, name: str, store: Any, key: str) -> None:
        """Add the blob ``key`` of ``store`` (streamed from its file when the store has files)."""
        local = store.local_path(key)
        if local is None:
            self.add_bytes(name, store.get(key))
            return
        with open(local, "rb") as handle:
            self.add_stream(name, os.fstat(handle.fileno()).st_size, handle)

    def close(self) -> None:
        """Finish the archive."""
        raise NotImplementedError

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ZipArchive(Archive):
    """A zip file (zip64 when needed)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._zip = zipfile.ZipFile(path, "w", allowZip64=True)

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, ZIP_DATE)
        info.external_attr = 0o644 << 16
        info.create_system = 3  # unix, whatever the building machine is
        stored = name.lower().endswith(_STORED_SUFFIXES)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        return info

    def add_bytes(self, name: str, data: bytes) -> None:
        self._zip.writestr(self._info(name), data, compresslevel=6)

    def add_stream(self, name: str, size: int, stream: IO[bytes]) -> None:
        info = self._info(name)
        info.file_size = size
        with self._zip.open(info, "w", force_zip64=size > 2**31) as out:
            shutil.copyfileobj(stream, out, 1 << 20)

    def close(self) -> None:
        self._zip.close()


def ustar_header(name: str, size: int) -> bytes:
    """A ustar header block: mode 0644, uid/gid 0, mtime 0, no owner names (what ``tarfile`` writes for that
    TarInfo, built here without its per-entry copying and PAX checks)."""
    encoded = name.encode("utf-8")
    if len(encoded) > 100:
        raise ValueError(f"tar entry name over 100 bytes: {name}")
    fields = [encoded.ljust(100, b"\0"), b"0000644\0", b"0000000\0", b"0000000\0",
              f"{size:011o}".encode() + b"\0", b"00000000000\0", b" " * 8, b"0", b"\0" * 100,
              b"ustar\x0000", b"\0" * 32, b"\0" * 32, b"\0" * 8, b"\0" * 8, b"\0" * 155]
    block = b"".join(fields).ljust(512, b"\0")
    checksum = f"{sum(block):06o}".encode() + b"\0 "
    return block[:148] + checksum + block[156:]


class TarArchive(Archive):
    """An uncompressed ustar file, as WebDataset reads it (entry names stay far below ustar's 100 bytes)."""

    RECORD = 20 * 512  # tar's record size: the file is padded to a multiple of it

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._out = open(path, "wb")  # noqa: SIM115  (closed by close())

    def _pad(self, size: int) -> None:
        if size % 512:
            self._out.write(b"\0" * (512 - size % 512))

    def add_bytes(self, name: str, data: bytes) -> None:
        self._out.write(ustar_header(name, len(data)))
        self._out.write(data)
        self._pad(len(data))

    def add_stream(self, name: str, size: int, stream: IO[bytes]) -> None:
        self._out.write(ustar_header(name, size))
        copied = 0
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            self._out.write(chunk)
            copied += len(chunk)
        if copied != size:
            raise ValueError(f"{name}: expected {size} bytes, read {copied}")
        self._pad(size)

    def close(self) -> None:
        self._out.write(b"\0" * 1024)
        end = self._out.tell()
        if end % self.RECORD:
            self._out.write(b"\0" * (self.RECORD - end % self.RECORD))
        self._out.close()
