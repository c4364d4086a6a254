"""Crafted image files for tests (and the ingest benchmark), made with Pillow in memory.

Metadata planted by these helpers uses distinctive marker strings (:data:`SECRETS`)
so a test can prove that none of it survives by searching the stored bytes.
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import lru_cache

import numpy as np
from PIL import Image, ImageCms, ImageDraw, ImageFilter, PngImagePlugin

EXIF_SECRET = b"SECRET-EXIF-DESCRIPTION"
GPS_SECRET = b"SECRET-GPS-PLACE"
XMP_SECRET = b"SECRET-XMP-CREATOR"
COMMENT_SECRET = b"SECRET-COMMENT"
IPTC_SECRET = b"SECRET-IPTC-CAPTION"
TEXT_SECRET = b"SECRET-PNG-TEXT"
#: Every marker string a crafted file may carry, plus the generic metadata signatures.
SECRETS = (EXIF_SECRET, GPS_SECRET, XMP_SECRET, COMMENT_SECRET, IPTC_SECRET, TEXT_SECRET)
METADATA_SIGNATURES = (b"Exif\x00", b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"GPS")

XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="' + XMP_SECRET + b'"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


@lru_cache(maxsize=1)
def srgb_icc() -> bytes:
    """The bytes of an sRGB ICC profile (made by LittleCMS)."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo_like(width: int, height: int, *, seed: int = 0, noise: float = 6.0) -> Image.Image:
    """An RGB image with gradients, shapes, soft edges and grain, so it compresses and hashes like a photo.

    Drawn at half size and upscaled (which softens the edges like a lens), then grain is added.
    """
    rng = np.random.default_rng(seed)
    w, h = max(1, width // 2), max(1, height // 2)
    x = np.linspace(0, 3, w, dtype=np.float32)[None, :]
    y = np.linspace(0, 3, h, dtype=np.float32)[:, None]
    base = np.empty((h, w, 3), np.float32)
    for channel in range(3):
        a, b, c = rng.uniform(-1, 1, 3)
        base[..., channel] = 128 + 90 * np.sin(a * x + b * y + c * 6)
    img = Image.fromarray(base.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    scale = min(w, h)
    for _ in range(int(rng.integers(12, 24))):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        rx, ry = rng.uniform(0.04, 0.3) * scale, rng.uniform(0.04, 0.3) * scale
        color = tuple(int(v) for v in rng.integers(0, 256, 3))
        box = (cx - rx, cy - ry, cx + rx, cy + ry)
        kind = rng.integers(0, 3)
        if kind == 0:
            draw.ellipse(box, fill=color)
        elif kind == 1:
            draw.rectangle(box, fill=color)
        else:
            points = [(cx + rx * np.cos(t), cy + ry * np.sin(t)) for t in rng.uniform(0, 2 * np.pi, 5)]
            draw.polygon(points, fill=color)
    img = img.filter(ImageFilter.BoxBlur(1)).resize((width, height), Image.Resampling.BICUBIC)
    if noise:
        grain = rng.standard_normal((height, width, 1), dtype=np.float32) * np.float32(noise)
        img = Image.fromarray((np.asarray(img, np.float32) + grain).clip(0, 255).astype(np.uint8), "RGB")
    return img


def exif_block(*, orientation: int | None = None, gps: bool = False) -> Image.Exif:
    """An EXIF block with a description, a camera make and, optionally, orientation and GPS."""
    exif = Image.Exif()
    exif[0x010E] = EXIF_SECRET.decode()  # ImageDescription
    exif[0x010F] = "ACME Camera"  # Make
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {
            1: "N",
            2: (52.0, 31.0, 12.0),
            3: "E",
            4: (13.0, 24.0, 1.0),
            27: b"ASCII\x00\x00\x00" + GPS_SECRET,  # GPSProcessingMethod
            28: b"ASCII\x00\x00\x00GPS area " + GPS_SECRET,  # GPSAreaInformation
        }
    return exif


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_bytes(
    width: int,
    height: int,
    *,
    exif_orientation: int | None = None,
    gps: bool = False,
    quality: int = 90,
    icc: bool = False,
    metadata: bool = False,
    seed: int = 0,
    image: Image.Image | None = None,
) -> bytes:
    """A photo-like JPEG; ``metadata`` adds XMP, a COM comment and an APP13 IPTC block too."""
    img = image if image is not None else photo_like(width, height, seed=seed)
    options: dict[str, object] = {"quality": quality}
    if exif_orientation is not None or gps or metadata:
        options["exif"] = exif_block(orientation=exif_orientation, gps=gps).tobytes()
    if icc:
        options["icc_profile"] = srgb_icc()
    if metadata:
        options["comment"] = COMMENT_SECRET
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", **options)
    data = buffer.getvalue()
    if metadata:
        xmp = _jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP_PACKET)
        iptc = _jpeg_segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + struct.pack(">I", 24) + IPTC_SECRET)
        data = data[:2] + xmp + iptc + data[2:]
    return data


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bytes(
    width: int,
    height: int,
    *,
    text_chunks: bool = False,
    alpha: bool = False,
    icc: bool = False,
    exif_orientation: int | None = None,
    seed: int = 0,
    image: Image.Image | None = None,
) -> bytes:
    """A photo-like PNG; ``text_chunks`` adds tEXt, zTXt, iTXt, eXIf (with GPS) and tIME chunks."""
    img = image if image is not None else photo_like(width, height, seed=seed, noise=0)
    if alpha and img.mode != "RGBA":
        img = img.convert("RGBA")
        mask = Image.new("L", img.size, 255)
        ImageDraw.Draw(mask).ellipse((0, 0, width // 2, height // 2), fill=0)
        img.putalpha(mask)
    options: dict[str, object] = {}
    if icc:
        options["icc_profile"] = srgb_icc()
    if text_chunks or exif_orientation is not None:
        options["exif"] = exif_block(orientation=exif_orientation, gps=text_chunks).tobytes()
    if text_chunks:
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", TEXT_SECRET.decode())
        info.add_text("Author", "zipped " + TEXT_SECRET.decode(), zip=True)
        info.add_itxt("XML:com.adobe.xmp", XMP_PACKET.decode(), zip=False)
        info.add(b"tIME", struct.pack(">HBBBBB", 2024, 5, 17, 12, 30, 0))
        options["pnginfo"] = info
    buffer = io.BytesIO()
    img.save(buffer, "PNG", **options)
    return buffer.getvalue()


def png_chunk_types(data: bytes) -> list[bytes]:
    """The chunk types of a PNG, in order."""
    kinds, pos = [], 8
    while pos + 8 <= len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kinds.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return kinds


def webp_bytes(
    width: int = 320,
    height: int = 240,
    *,
    exif_orientation: int | None = None,
    xmp: bool = False,
    lossless: bool = False,
    alpha: bool = False,
    icc: bool = False,
    frames: int = 1,
    seed: int = 0,
) -> bytes:
    """A photo-like WebP, optionally with EXIF (+GPS), XMP, ICC, alpha, or several frames."""
    img = photo_like(width, height, seed=seed, noise=0)
    if alpha:
        img = img.convert("RGBA")
        img.putalpha(Image.linear_gradient("L").resize(img.size))
    options: dict[str, object] = {"lossless": lossless, "quality": 90}
    if exif_orientation is not None or xmp:
        options["exif"] = exif_block(orientation=exif_orientation, gps=True).tobytes()
    if xmp:
        options["xmp"] = XMP_PACKET
    if icc:
        options["icc_profile"] = srgb_icc()
    buffer = io.BytesIO()
    if frames > 1:
        others = [Image.new(img.mode, img.size, (0, 0, 255, 255)[: len(img.mode)]) for _ in range(frames - 1)]
        img.save(buffer, "WEBP", save_all=True, append_images=others, duration=100, **options)
    else:
        img.save(buffer, "WEBP", **options)
    return buffer.getvalue()


def gif_bytes(frames: int = 2, width: int = 64, height: int = 48, *, transparent: bool = False) -> bytes:
    """An (animated) GIF: frame 0 is red with a white square (transparent if asked), then blue frames."""
    first = Image.new("P", (width, height), 0)
    first.putpalette([255, 0, 0, 255, 255, 255, 0, 0, 255] + [0] * (256 * 3 - 9))
    ImageDraw.Draw(first).rectangle((0, 0, width // 4, height // 4), fill=1)
    others = [Image.new("RGB", (width, height), (0, 0, 255)) for _ in range(frames - 1)]
    buffer = io.BytesIO()
    options: dict[str, object] = {"comment": COMMENT_SECRET}
    if transparent:
        options["transparency"] = 1
    first.save(buffer, "GIF", save_all=frames > 1, append_images=others, duration=100, loop=0, **options)
    return buffer.getvalue()


@lru_cache(maxsize=4)
def bomb_png(w: int = 30000, h: int = 30000) -> bytes:
    """A valid 1-bit greyscale PNG of all zeros with huge dimensions: a few hundred KB at most."""
    row = b"\x00" * (1 + (w + 7) // 8)
    compressor = zlib.compressobj(9)
    block = 256
    parts = [compressor.compress(row * block) for _ in range(h // block)]
    parts += [compressor.compress(row * (h % block)), compressor.flush()]
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b"")


def truncated_jpeg(width: int = 640, height: int = 480) -> bytes:
    """A JPEG cut in the middle of its image data."""
    data = jpeg_bytes(width, height)
    return data[: len(data) // 2]


def encoded(img: Image.Image, fmt: str, **options: object) -> bytes:
    """``img`` saved in Pillow format ``fmt`` (e.g. ``"BMP"``, ``"TIFF"``, ``"ICO"``)."""
    buffer = io.BytesIO()
    img.save(buffer, fmt, **options)
    return buffer.getvalue()


SVG_BYTES = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n'
