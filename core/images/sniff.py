"""Cheap format detection from magic bytes.

:func:`sniff_format` names the format of a blob from its first bytes only, without
Pillow. It knows the four formats ImageMonkey accepts (``jpeg``, ``png``, ``webp``,
``gif``) and a few common image formats it refuses (so that a BMP is answered with
``unsupported_format`` rather than ``not_an_image``).
"""

from __future__ import annotations

#: Formats accepted for donation (GIF is stored as its first frame, in PNG).
ACCEPTED_FORMATS: frozenset[str] = frozenset({"jpeg", "png", "webp", "gif"})

#: MIME type of every format that can be *stored* (the original or a rendition).
CONTENT_TYPES: dict[str, str] = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "jpeg"),
    (PNG_SIGNATURE, "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),
    (b"MM\x00+", "tiff"),
    (b"\x00\x00\x01\x00", "ico"),
    (b"\x00\x00\x02\x00", "ico"),
    (b"8BPS", "psd"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "jp2"),
    (b"\xff\x4f\xff\x51", "jp2"),
    (b"\xff\x0a", "jxl"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "jxl"),
    (b"%PDF-", "pdf"),
    (b"qoif", "qoi"),
    (b"DDS ", "dds"),
    (b"\x76\x2f\x31\x01", "exr"),
)

_HEIF_BRANDS: dict[bytes, str] = {
    b"heic": "heic",
    b"heix": "heic",
    b"heim": "heic",
    b"heis": "heic",
    b"hevc": "heic",
    b"mif1": "heif",
    b"msf1": "heif",
    b"avif": "avif",
    b"avis": "avif",
}


def sniff_format(data: bytes) -> str | None:
    """Name the image format of ``data`` from its magic bytes, or ``None`` if unknown.

    Returns a lower-case name: one of :data:`ACCEPTED_FORMATS`, or the name of a
    recognised but refused format (``bmp``, ``tiff``, ``ico``, ``svg``, ``heic``,
    ``avif``, ...). Only the first 512 bytes are looked at.
    """
    head = bytes(data[:512])
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for prefix, name in _PREFIXES:
        if head.startswith(prefix):
            return name
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12], "heif" if head[8:10] in (b"he", b"mi") else None)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!doctype svg")) and b"<svg" in head.lower():
        return "svg"
    return None
