"""What the container of an upload says, read without decoding pixels.

Each format module (:mod:`.jpeg`, :mod:`.png`, :mod:`.webp`, and :func:`parse_gif`
here) turns the uploaded bytes into a :class:`Container`: the declared dimensions
(checked against the pixel limit before anything is decoded), the raw EXIF block
(only to read the orientation), and, where possible, ``clean``: the same file
rewritten losslessly without any metadata segment or chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from imagemonkey.errors import ApiError, invalid

#: EXIF orientation value -> the Pillow transpose that makes the image upright.
ORIENTATION_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Container:
    """The container-level facts about an upload.

    ``width``/``height`` are as stored (before EXIF orientation); ``clean`` is the
    metadata-free lossless rewrite, or ``None`` when the format needs a re-encode
    (GIF, animated WebP); ``lossless`` tells whether the pixel data is lossless
    (PNG, GIF, VP8L WebP), which decides how a re-encode is done.
    """

    width: int
    height: int
    exif: bytes | None = None
    clean: bytes | None = None
    lossless: bool = False


def corrupt(detail: str) -> ApiError:
    """The ``corrupt_image`` error (422) with a short explanation."""
    return invalid(f"The file is truncated or corrupt: {detail}.", code="corrupt_image")


def exif_orientation(exif: bytes | None) -> int:
    """The EXIF orientation (1..8) in a raw EXIF block (TIFF header first), 1 if absent or unreadable."""
    if not exif:
        return 1
    try:
        parsed = Image.Exif()
        parsed.load(exif if exif.startswith(b"Exif\x00\x00") else b"Exif\x00\x00" + exif)
        value = parsed.get(0x0112, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block only means "no orientation"
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def parse_gif(data: bytes) -> Container:
    """The logical screen size of a GIF; GIFs are always re-encoded (first frame, as PNG)."""
    if len(data) < 13:
        raise corrupt("the GIF header is incomplete")
    width = int.from_bytes(data[6:8], "little")
    height = int.from_bytes(data[8:10], "little")
    if not width or not height:
        raise corrupt("the GIF declares an empty image")
    return Container(width=width, height=height, lossless=True)
