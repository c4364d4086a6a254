"""Lossless WebP metadata removal by rewriting RIFF chunks.

A still WebP keeps ``VP8X`` (its EXIF and XMP flags cleared), ``ICCP``, ``ALPH``,
``VP8 `` and ``VP8L``; ``EXIF``, ``XMP `` and unknown chunks are dropped, as is
anything after the RIFF payload. An animated WebP (``ANIM``/``ANMF``) has no
lossless still form: :func:`parse_webp` gives ``clean=None`` and the pipeline
re-encodes its first frame.
"""

from __future__ import annotations

from imagemonkey.images.container import Container, corrupt

_KEEP = frozenset({b"VP8X", b"ICCP", b"ALPH", b"VP8 ", b"VP8L"})
_FLAG_EXIF, _FLAG_XMP, _FLAG_ANIMATION = 0x08, 0x04, 0x02


def _frame_size(kind: bytes, payload: bytes) -> tuple[int, int]:
    """The dimensions in a ``VP8X``, ``VP8 `` or ``VP8L`` chunk."""
    if kind == b"VP8X" and len(payload) >= 10:
        return int.from_bytes(payload[4:7], "little") + 1, int.from_bytes(payload[7:10], "little") + 1
    if kind == b"VP8 " and len(payload) >= 10 and payload[3:6] == b"\x9d\x01\x2a":
        return int.from_bytes(payload[6:8], "little") & 0x3FFF, int.from_bytes(payload[8:10], "little") & 0x3FFF
    if kind == b"VP8L" and len(payload) >= 5 and payload[0] == 0x2F:
        bits = int.from_bytes(payload[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise corrupt(f"the WebP {kind.decode('latin-1').strip()} header is invalid")


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "little") + payload + (b"\x00" if len(payload) % 2 else b"")


def _sub_chunks(data: bytes) -> list[bytes]:
    """The chunk kinds inside an ``ANMF`` frame payload (after its 16-byte header)."""
    kinds, pos = [], 0
    while pos + 8 <= len(data):
        kinds.append(data[pos : pos + 4])
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        pos += 8 + length + (length % 2)
    return kinds


def parse_webp(data: bytes) -> Container:
    """Read a WebP's dimensions and EXIF block, and rewrite a still WebP without metadata.

    Raises ``corrupt_image`` for a bad RIFF structure or a truncated file.
    """
    if len(data) < 20 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise corrupt("no WebP RIFF header")
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise corrupt("the WebP is shorter than its RIFF header says")
    chunks: list[tuple[bytes, bytes]] = []
    pos = 12
    while pos + 8 <= end:
        kind, length = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if pos + 8 + length > end:
            raise corrupt(f"the WebP chunk {kind!r} runs past the end of the file")
        chunks.append((kind, data[pos + 8 : pos + 8 + length]))
        pos += 8 + length + (length % 2)
    kinds = [kind for kind, _ in chunks]
    if not chunks or not ({b"VP8 ", b"VP8L", b"ANMF"} & set(kinds)):
        raise corrupt("the WebP has no image data")
    width, height = _frame_size(kinds[0], chunks[0][1])
    exif = next((payload for kind, payload in chunks if kind == b"EXIF"), None)
    first_frame = next((payload for kind, payload in chunks if kind == b"ANMF"), None)
    frame_kinds = _sub_chunks(first_frame[16:]) if first_frame is not None else kinds
    lossless = b"VP8L" in frame_kinds and b"VP8 " not in frame_kinds
    animated = b"ANMF" in kinds or (kinds[0] == b"VP8X" and bool(chunks[0][1][0] & _FLAG_ANIMATION))
    if not width or not height:
        raise corrupt("the WebP declares an empty image")
    if animated:
        return Container(width=width, height=height, exif=exif, lossless=lossless)
    body: list[bytes] = []
    for kind, payload in chunks:
        if kind == b"VP8X":
            payload = bytes((payload[0] & ~(_FLAG_EXIF | _FLAG_XMP) & 0xFF,)) + payload[1:]
        if kind in _KEEP:
            body.append(_chunk(kind, payload))
    riff = b"WEBP" + b"".join(body)
    clean = b"RIFF" + len(riff).to_bytes(4, "little") + riff
    return Container(width=width, height=height, exif=exif, clean=clean, lossless=lossless)
