"""Lossless PNG metadata removal by rewriting chunks.

Only chunks that describe how to render the pixels are kept (a whitelist):
``IHDR PLTE IDAT IEND tRNS cHRM gAMA iCCP sBIT sRGB cICP mDCV cLLI bKGD hIST pHYs sPLT``.
Everything else is dropped, notably the text chunks ``tEXt zTXt iTXt``, ``eXIf``,
``tIME``, private/unknown chunks and the APNG animation chunks ``acTL fcTL fdAT``
(an animated PNG keeps its default image, i.e. the still first frame). Every chunk's
CRC is checked; a missing ``IEND`` means the file is truncated. Bytes after ``IEND``
are dropped.
"""

from __future__ import annotations

import zlib

from imagemonkey.images.container import Container, corrupt
from imagemonkey.images.sniff import PNG_SIGNATURE

_KEEP = frozenset(b"IHDR PLTE IDAT IEND tRNS cHRM gAMA iCCP sBIT sRGB cICP mDCV cLLI bKGD hIST pHYs sPLT".split())


def parse_png(data: bytes) -> Container:
    """Read a PNG's dimensions and ``eXIf`` block, and rewrite it with only rendering chunks.

    Raises ``corrupt_image`` for a bad chunk structure, a CRC mismatch or a missing ``IEND``.
    """
    if not data.startswith(PNG_SIGNATURE):
        raise corrupt("no PNG signature")
    view = memoryview(data)
    out: list[bytes | memoryview] = [PNG_SIGNATURE]
    pos, end = len(PNG_SIGNATURE), len(data)
    size: tuple[int, int] | None = None
    exif: bytes | None = None
    while True:
        if pos + 12 > end:
            raise corrupt("the PNG ends before its IEND chunk")
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = bytes(data[pos + 4 : pos + 8])
        stop = pos + 12 + length
        if length > 0x7FFFFFFF or stop > end:
            raise corrupt(f"the PNG chunk {kind!r} runs past the end of the file")
        body = view[pos + 8 : pos + 8 + length]
        if zlib.crc32(view[pos + 4 : pos + 8 + length]) != int.from_bytes(data[stop - 4 : stop], "big"):
            raise corrupt(f"the PNG chunk {kind.decode('latin-1')} has a wrong checksum")
        if size is None:
            if kind != b"IHDR" or length != 13:
                raise corrupt("the PNG does not start with a valid IHDR chunk")
            size = (int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big"))
        if kind == b"eXIf" and exif is None:
            exif = bytes(body)
        if kind in _KEEP:
            out.append(view[pos:stop])
        pos = stop
        if kind == b"IEND":
            break
    if not size[0] or not size[1]:
        raise corrupt("the PNG declares an empty image")
    return Container(width=size[0], height=size[1], exif=exif, clean=b"".join(out), lossless=True)
