"""The upload pipeline: validate, normalise, make renditions and a perceptual hash.

:func:`process_upload` refuses (``ApiError`` 422, nothing stored) an upload that is
not an image (``not_an_image``: empty, unknown magic bytes), is in a refused format
(``unsupported_format``: anything but JPEG, PNG, WebP, GIF), is truncated or corrupt
(``corrupt_image``), or has more than ``max_pixels`` pixels (``too_many_pixels``,
decided from the container header before any pixel is decoded).

Stored original, always upright and without metadata (EXIF, GPS, XMP, IPTC,
comments, text chunks), ICC profile kept:

* JPEG / PNG / still WebP with no EXIF rotation: the upload's own bytes with the
  metadata segments or chunks removed (:mod:`.jpeg`, :mod:`.png`, :mod:`.webp`), so
  the pixels are bit-identical and no generation loss occurs.
* with an EXIF orientation other than 1: decoded, rotated and re-encoded in the same
  format (JPEG quality 92; PNG; WebP lossless if the upload was lossless, else 92).
* animated WebP: its first frame, re-encoded as WebP.
* GIF: its first frame, stored as PNG (``format == "png"``): GIF is palette-only and
  PNG holds the same pixels losslessly, with transparency.

Renditions come from the same single decode; for a JPEG that needs no rotation it is
a reduced-scale (DCT-scaled) decode no smaller than the medium size. See
:mod:`.renditions` for their formats.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from imagemonkey.errors import ApiError, invalid
from imagemonkey.images.budget import PixelBudget
from imagemonkey.images.container import ORIENTATION_TRANSPOSE, Container, corrupt, exif_orientation, parse_gif
from imagemonkey.images.jpeg import parse_jpeg
from imagemonkey.images.perceptual import phash64
from imagemonkey.images.png import parse_png
from imagemonkey.images.renditions import (
    MEDIUM_SIZE,
    THUMB_SIZE,
    Rendition,
    display_image,
    drop_opaque_alpha,
    encode_original,
    encode_rendition,
    fit,
    scaled,
)
from imagemonkey.images.sniff import ACCEPTED_FORMATS, CONTENT_TYPES, sniff_format
from imagemonkey.images.webp import parse_webp

__all__ = ["ProcessedImage", "Rendition", "process_upload", "sniff_format"]

DEFAULT_MAX_PIXELS = 40_000_000

_PARSERS: dict[str, Callable[[bytes], Container]] = {
    "jpeg": parse_jpeg,
    "png": parse_png,
    "webp": parse_webp,
    "gif": parse_gif,
}
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, struct.error, zlib.error)


@dataclass(frozen=True)
class ProcessedImage:
    """Everything the server stores for one accepted upload."""

    format: str  # format of the stored original: "jpeg" | "png" | "webp"
    width: int  # upright
    height: int
    upload_sha256: str  # sha256 hex of the bytes as uploaded (exact-duplicate key)
    original: Rendition  # metadata-free, upright
    medium: Rendition
    thumb: Rendition
    phash: int  # unsigned 64-bit


def _check_pixels(width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise invalid(
            f"The image is {width}x{height} ({width * height / 1e6:.1f} megapixels); "
            f"the limit is {max_pixels / 1e6:g} megapixels.",
            code="too_many_pixels",
            width=width,
            height=height,
            max_pixels=max_pixels,
        )


def _decode(source: bytes, fmt: str, max_pixels: int, draft: tuple[int, int] | None) -> Image.Image:
    """Decode the first frame of ``source`` (at a reduced JPEG scale if ``draft``); refuse on any error."""
    try:
        img = Image.open(io.BytesIO(source), formats=[_PIL_FORMATS[fmt]])
        _check_pixels(img.width, img.height, max_pixels)
        if draft is not None:
            img.draft(img.mode, draft)
        img.load()
    except ApiError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise invalid(f"The image has too many pixels: {error}", code="too_many_pixels") from error
    except UnidentifiedImageError as error:
        raise corrupt("it cannot be read as an image") from error
    except MemoryError as error:
        raise invalid("The image is too large to decode.", code="too_many_pixels") from error
    except _DECODE_ERRORS as error:
        raise corrupt(str(error) or type(error).__name__) from error
    transparency = img.info.get("transparency")
    icc = img.info.get("icc_profile") or None
    # Drop everything else Pillow read (comments, XMP, EXIF...) so no encoder writes it back.
    img.info = {"icc_profile": icc} if icc else {}
    if transparency is not None:
        img.info["transparency"] = transparency
    return img


def process_upload(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS,
                   budget: PixelBudget | None = None) -> ProcessedImage:
    """Validate and normalise one upload; raises ``ApiError`` (422) if it cannot be kept.

    With a ``budget`` the decode waits for its pixels (503 when they do not come in time).
    """
    data = bytes(data)
    if not data:
        raise invalid("The upload is empty (0 bytes), not an image.", code="not_an_image")
    fmt = sniff_format(data)
    if fmt is None:
        raise invalid("The upload is not an image (accepted: JPEG, PNG, WebP, GIF).", code="not_an_image")
    if fmt not in ACCEPTED_FORMATS:
        raise invalid(
            f"{fmt.upper()} images are not accepted; upload a JPEG, PNG, WebP or GIF.",
            code="unsupported_format",
            format=fmt,
        )
    container = _PARSERS[fmt](data)
    _check_pixels(container.width, container.height, max_pixels)
    if budget is None:
        return _normalise(data, fmt, container, max_pixels)
    with budget.reserve(container.width * container.height):
        return _normalise(data, fmt, container, max_pixels)


def _normalise(data: bytes, fmt: str, container: Container, max_pixels: int) -> ProcessedImage:
    """Decode once; the stored original, the renditions and the perceptual hash."""
    orientation = exif_orientation(container.exif)
    clean = container.clean
    keep_bytes = clean is not None and orientation == 1
    draft = fit(container.width, container.height, MEDIUM_SIZE) if keep_bytes and fmt == "jpeg" else None
    img = _decode(clean if clean is not None else data, fmt, max_pixels, draft)
    icc = img.info.get("icc_profile")
    stored_format = "png" if fmt == "gif" else fmt
    if keep_bytes and clean is not None:
        original = Rendition(clean, container.width, container.height, CONTENT_TYPES[fmt])
    else:
        if orientation != 1:
            img = img.transpose(ORIENTATION_TRANSPOSE[orientation])
        original = encode_original(img, stored_format, icc, lossless=container.lossless)
    width, height = original.width, original.height
    shown, shown_icc = display_image(img, icc)
    medium_image = drop_opaque_alpha(scaled(shown, fit(width, height, MEDIUM_SIZE)))
    thumb_image = scaled(medium_image, fit(width, height, THUMB_SIZE))
    return ProcessedImage(
        format=stored_format,
        width=width,
        height=height,
        upload_sha256=hashlib.sha256(data).hexdigest(),
        original=original,
        medium=encode_rendition(medium_image, shown_icc),
        thumb=encode_rendition(thumb_image, shown_icc),
        phash=phash64(_on_white(thumb_image)),
    )


def _on_white(img: Image.Image) -> Image.Image:
    """``img`` composited on white when it has alpha (hash what a viewer sees)."""
    if img.mode not in ("RGBA", "LA"):
        return img
    rgba = img.convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
