"""Lossless JPEG metadata removal by rewriting marker segments.

The entropy-coded data, tables and frame headers are copied byte for byte, so the
pixels are exactly those of the upload. Kept: every non-APPn segment (SOF, DHT,
DQT, DRI, SOS, ...), ``APP0`` JFIF (its embedded thumbnail removed), ``APP2``
``ICC_PROFILE`` chunks and ``APP14`` Adobe (it says how to read CMYK/YCCK).
Dropped: every other APPn (``APP1`` EXIF and XMP, ``APP2`` MPF, ``APP13`` IPTC /
Photoshop, maker segments, JFXX thumbnails), ``COM`` comments, and anything after
``EOI`` (appended previews, polyglot payloads). A file without ``EOI`` is truncated.
"""

from __future__ import annotations

import re

from imagemonkey.images.container import Container, corrupt

#: Start-of-frame markers (carry the dimensions): C0-CF except DHT (C4), JPG (C8), DAC (CC).
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
#: Standalone markers (no length field).
_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}
#: The next marker after entropy-coded data: 0xFF followed by neither a stuffed 0x00, RSTn nor fill 0xFF.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_SOS, _EOI, _COM = 0xDA, 0xD9, 0xFE


def _kept_app(marker: int, payload: bytes) -> bytes | None:
    """The payload to write for an APPn segment, or ``None`` to drop it."""
    if marker == 0xE0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
        return payload[:12] + b"\x00\x00"  # version, units, density; no thumbnail
    if marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00"):
        return payload
    if marker == 0xEE and payload.startswith(b"Adobe"):
        return payload
    return None


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


def parse_jpeg(data: bytes) -> Container:
    """Read a JPEG's dimensions and EXIF block, and rewrite it without metadata.

    Raises ``corrupt_image`` for a malformed marker structure or a missing ``EOI``.
    """
    if not data.startswith(b"\xff\xd8"):
        raise corrupt("no JPEG start-of-image marker")
    out: list[bytes] = [b"\xff\xd8"]
    pos, end = 2, len(data)
    size: tuple[int, int] | None = None
    exif: bytes | None = None
    while True:
        if pos >= end:
            raise corrupt("the JPEG ends before its end-of-image marker")
        if data[pos] != 0xFF:
            raise corrupt(f"unexpected byte at offset {pos} between JPEG segments")
        while pos < end and data[pos] == 0xFF:
            pos += 1
        if pos >= end:
            raise corrupt("the JPEG ends inside a marker")
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            out.append(b"\xff\xd9")
            break
        if marker in _STANDALONE:
            out.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > end:
            raise corrupt("the JPEG ends inside a segment header")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            raise corrupt("a JPEG segment runs past the end of the file")
        payload = data[pos + 2 : pos + length]
        start, pos = pos - 2, pos + length
        if marker in _SOF_MARKERS and size is None:
            if len(payload) < 6:
                raise corrupt("the JPEG frame header is too short")
            size = (int.from_bytes(payload[3:5], "big"), int.from_bytes(payload[1:3], "big"))
        if 0xE0 <= marker <= 0xEF:
            if marker == 0xE1 and exif is None and payload.startswith(b"Exif\x00\x00"):
                exif = payload[6:]
            kept = _kept_app(marker, payload)
            if kept is not None:
                out.append(_segment(marker, kept))
        elif marker == _COM:
            continue
        elif marker == _SOS:
            if size is None:
                raise corrupt("the JPEG has a scan before its frame header")
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                raise corrupt("the JPEG ends inside its image data")
            out.append(data[start : found.start()])
            pos = found.start()
        else:
            out.append(data[start:pos])
    if size is None:
        raise corrupt("the JPEG has no frame header")
    if not size[0] or not size[1]:
        raise corrupt("the JPEG declares an empty image")
    return Container(width=size[0], height=size[1], exif=exif, clean=b"".join(out))
