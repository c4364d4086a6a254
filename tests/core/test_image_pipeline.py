"""The upload pipeline on real crafted files: refusals, normalisation, renditions."""

from __future__ import annotations

import hashlib
import io
import time

import imagefactory as factory
import numpy as np
import pytest
from PIL import Image, ImageFile, ImageOps

from imagemonkey.errors import ApiError
from imagemonkey.images.process import ProcessedImage, process_upload, sniff_format


def refused(data: bytes, code: str, **options: int) -> ApiError:
    with pytest.raises(ApiError) as caught:
        process_upload(data, **options)
    assert caught.value.status == 422
    assert caught.value.code == code, caught.value.message
    return caught.value


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGBA"), dtype=np.int16)


def assert_no_metadata(data: bytes) -> None:
    for marker in factory.SECRETS + factory.METADATA_SIGNATURES:
        assert marker not in data, marker
    with Image.open(io.BytesIO(data)) as img:
        assert not img.getexif()
        assert "exif" not in img.info and "xmp" not in img.info and "comment" not in img.info


def stored_files(result: ProcessedImage) -> list[bytes]:
    return [result.original.data, result.medium.data, result.thumb.data]


# -- refusals --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"hello, I am a text file named photo.jpg\n", b"\x00" * 100])
def test_not_an_image(data: bytes) -> None:
    refused(data, "not_an_image")


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (factory.encoded(factory.photo_like(32, 24), "BMP"), "bmp"),
        (factory.encoded(factory.photo_like(32, 24), "TIFF"), "tiff"),
        (factory.encoded(factory.photo_like(32, 32), "ICO"), "ico"),
        (factory.SVG_BYTES, "svg"),
        (b"\x00\x00\x00\x1cftypheic\x00\x00\x00\x00mif1heic", "heic"),
    ],
)
def test_unsupported_format(data: bytes, fmt: str) -> None:
    assert sniff_format(data) == fmt
    assert refused(data, "unsupported_format").extra["format"] == fmt


def test_truncated_jpeg_is_corrupt() -> None:
    refused(factory.truncated_jpeg(), "corrupt_image")


def test_truncated_jpeg_refused_even_when_pillow_tolerates_truncation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    refused(factory.truncated_jpeg(), "corrupt_image")


def test_jpeg_with_garbage_scan_is_corrupt() -> None:
    data = bytearray(factory.jpeg_bytes(64, 48))
    sos = data.index(b"\xff\xda")
    data[sos + 2 : sos + 4] = b"\xff\xff"  # scan header length past the end
    refused(bytes(data), "corrupt_image")


def test_png_corruption_and_truncation() -> None:
    data = bytearray(factory.png_bytes(64, 48))
    refused(bytes(data[: len(data) - 20]), "corrupt_image")
    data[60] ^= 0xFF  # inside IDAT: checksum no longer matches
    refused(bytes(data), "corrupt_image")


def test_truncated_webp_and_gif() -> None:
    webp = factory.webp_bytes()
    refused(webp[: len(webp) // 2], "corrupt_image")
    refused(factory.gif_bytes()[:10], "corrupt_image")


def test_decompression_bomb_is_refused_fast() -> None:
    bomb = factory.bomb_png()
    assert len(bomb) < 1_000_000
    started = time.perf_counter()
    error = refused(bomb, "too_many_pixels")
    assert time.perf_counter() - started < 0.5
    assert error.extra["width"] == 30000


def test_more_than_max_pixels() -> None:
    data = factory.jpeg_bytes(100, 100)
    refused(data, "too_many_pixels", max_pixels=9_999)
    assert process_upload(data, max_pixels=10_000).width == 100


def test_pillow_global_limit_untouched() -> None:
    before = Image.MAX_IMAGE_PIXELS
    process_upload(factory.jpeg_bytes(64, 48))
    with pytest.raises(ApiError):
        process_upload(factory.bomb_png())
    assert Image.MAX_IMAGE_PIXELS == before


# -- JPEG ------------------------------------------------------------------------------------------------------------


def test_rotated_jpeg_with_gps_is_upright_and_clean() -> None:
    data = factory.jpeg_bytes(640, 480, exif_orientation=6, gps=True, metadata=True)
    result = process_upload(data)
    assert (result.format, result.width, result.height) == ("jpeg", 480, 640)
    assert (result.original.width, result.original.height) == (480, 640)
    assert (result.medium.width, result.medium.height) == (480, 640)
    assert (result.thumb.width, result.thumb.height) == (192, 256)
    for stored in stored_files(result):
        assert_no_metadata(stored)
    with Image.open(io.BytesIO(result.original.data)) as img:
        assert img.size == (480, 640)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_applied(orientation: int) -> None:
    data = factory.jpeg_bytes(160, 120, exif_orientation=orientation, quality=95)
    result = process_upload(data)
    with Image.open(io.BytesIO(data)) as img:
        expected = np.asarray(ImageOps.exif_transpose(img).convert("RGBA"), dtype=np.int16)
    assert (result.width, result.height) == (expected.shape[1], expected.shape[0])
    assert np.abs(pixels(result.original.data) - expected).mean() < 3
    assert np.abs(pixels(result.medium.data) - expected).mean() < 4


def test_unrotated_jpeg_is_rewritten_losslessly() -> None:
    data = factory.jpeg_bytes(640, 480, exif_orientation=1, gps=True, metadata=True, icc=True) + b"TRAILING-DATA"
    result = process_upload(data)
    assert result.upload_sha256 == hashlib.sha256(data).hexdigest()
    assert (result.format, result.original.content_type) == ("jpeg", "image/jpeg")
    assert len(result.original.data) < len(data)
    assert b"TRAILING-DATA" not in result.original.data
    assert np.array_equal(pixels(result.original.data), pixels(data))
    for stored in stored_files(result):
        assert_no_metadata(stored)


def test_icc_profile_is_kept() -> None:
    for data in (
        factory.jpeg_bytes(300, 200, icc=True, gps=True),
        factory.jpeg_bytes(300, 200, icc=True, exif_orientation=8),
    ):
        result = process_upload(data)
        for stored in stored_files(result):
            with Image.open(io.BytesIO(stored)) as img:
                assert img.info.get("icc_profile") == factory.srgb_icc()


def test_cmyk_jpeg_renditions_are_rgb() -> None:
    data = factory.encoded(factory.photo_like(200, 100).convert("CMYK"), "JPEG", quality=90)
    result = process_upload(data)
    with Image.open(io.BytesIO(result.medium.data)) as img:
        assert img.mode == "RGB"


# -- PNG, WebP, GIF --------------------------------------------------------------------------------------------------


def test_png_text_chunks_are_removed_losslessly() -> None:
    data = factory.png_bytes(300, 200, text_chunks=True, icc=True)
    result = process_upload(data)
    assert result.format == "png"
    kinds = factory.png_chunk_types(result.original.data)
    assert kinds == [b"IHDR", b"iCCP", b"IDAT", b"IEND"]
    assert np.array_equal(pixels(result.original.data), pixels(data))
    for stored in stored_files(result):
        assert_no_metadata(stored)
        with Image.open(io.BytesIO(stored)) as img:
            assert img.info.get("icc_profile") == factory.srgb_icc()


def test_png_exif_orientation_is_applied() -> None:
    data = factory.png_bytes(120, 80, exif_orientation=8)
    result = process_upload(data)
    assert (result.width, result.height) == (80, 120)
    assert b"eXIf" not in result.original.data
    with Image.open(io.BytesIO(data)) as img:
        expected = np.asarray(img.convert("RGBA").transpose(Image.Transpose.ROTATE_90), dtype=np.int16)
    assert np.array_equal(pixels(result.original.data), expected)


def test_png_with_alpha_keeps_alpha_in_webp_renditions() -> None:
    result = process_upload(factory.png_bytes(2000, 1000, alpha=True))
    assert result.original.content_type == "image/png"
    for rendition, size in ((result.medium, (1024, 512)), (result.thumb, (256, 128))):
        assert rendition.content_type == "image/webp"
        with Image.open(io.BytesIO(rendition.data)) as img:
            assert img.size == size and img.mode == "RGBA"
            assert img.getchannel("A").getextrema()[0] < 10


def test_sixteen_bit_png() -> None:
    array = (np.arange(64 * 32, dtype=np.uint16).reshape(32, 64) * 30).astype(np.uint16)
    data = factory.encoded(Image.fromarray(array), "PNG")
    result = process_upload(data)
    assert result.medium.content_type == "image/jpeg"
    assert pixels(result.medium.data)[..., 0].max() > 200


@pytest.mark.parametrize("lossless", [False, True])
def test_webp_metadata_removed_losslessly(lossless: bool) -> None:
    data = factory.webp_bytes(320, 240, xmp=True, icc=True, lossless=lossless, exif_orientation=1)
    assert factory.XMP_SECRET in data and factory.GPS_SECRET in data
    result = process_upload(data)
    assert (result.format, result.original.content_type) == ("webp", "image/webp")
    assert np.array_equal(pixels(result.original.data), pixels(data))
    for stored in stored_files(result):
        assert_no_metadata(stored)
    with Image.open(io.BytesIO(result.original.data)) as img:
        assert img.info.get("icc_profile") == factory.srgb_icc()


def test_rotated_webp() -> None:
    result = process_upload(factory.webp_bytes(320, 240, exif_orientation=6, xmp=True, alpha=True))
    assert (result.format, result.width, result.height) == ("webp", 240, 320)
    for stored in stored_files(result):
        assert_no_metadata(stored)


def test_animated_webp_keeps_first_frame() -> None:
    data = factory.webp_bytes(64, 48, frames=3, lossless=True)
    result = process_upload(data)
    assert result.format == "webp"
    with Image.open(io.BytesIO(data)) as img:
        first = np.asarray(img.convert("RGBA"), dtype=np.int16)
    with Image.open(io.BytesIO(result.original.data)) as img:
        assert getattr(img, "n_frames", 1) == 1
    assert np.array_equal(pixels(result.original.data), first)


@pytest.mark.parametrize("transparent", [False, True])
def test_gif_first_frame_stored_as_png(transparent: bool) -> None:
    result = process_upload(factory.gif_bytes(frames=3, transparent=transparent))
    assert (result.format, result.original.content_type) == ("png", "image/png")
    assert (result.width, result.height) == (64, 48)
    assert_no_metadata(result.original.data)
    with Image.open(io.BytesIO(result.original.data)) as img:
        assert getattr(img, "n_frames", 1) == 1
        rgba = img.convert("RGBA")
        assert rgba.getpixel((40, 40)) == (255, 0, 0, 255)  # red frame 0, not blue
        assert rgba.getpixel((2, 2))[3] == (0 if transparent else 255)
    assert result.medium.content_type == ("image/webp" if transparent else "image/jpeg")


# -- renditions ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "medium", "thumb"),
    [
        ((3000, 2000), (1024, 683), (256, 171)),
        ((1500, 3000), (512, 1024), (128, 256)),
        ((800, 600), (800, 600), (256, 192)),
        ((100, 50), (100, 50), (100, 50)),
        ((1024, 1024), (1024, 1024), (256, 256)),
    ],
)
def test_rendition_sizes(size: tuple[int, int], medium: tuple[int, int], thumb: tuple[int, int]) -> None:
    result = process_upload(factory.jpeg_bytes(*size))
    assert (result.width, result.height) == size
    for rendition, expected in ((result.medium, medium), (result.thumb, thumb)):
        assert (rendition.width, rendition.height) == expected
        assert rendition.content_type == "image/jpeg"
        with Image.open(io.BytesIO(rendition.data)) as img:
            assert img.format == "JPEG" and img.size == expected


def test_large_jpeg_medium_matches_full_decode() -> None:
    data = factory.jpeg_bytes(3000, 2000, seed=3)
    result = process_upload(data)
    with Image.open(io.BytesIO(data)) as img:
        reference = np.asarray(img.convert("RGB").resize((1024, 683), Image.Resampling.LANCZOS), dtype=np.int16)
    medium = np.asarray(Image.open(io.BytesIO(result.medium.data)).convert("RGB"), dtype=np.int16)
    assert np.abs(medium - reference).mean() < 3


def test_result_is_frozen_and_hash_unsigned() -> None:
    result = process_upload(factory.jpeg_bytes(64, 48))
    assert 0 <= result.phash < 2**64
    with pytest.raises(AttributeError):
        result.width = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"GIF89a", "gif"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "webp"),
        (b"BM", "bmp"),
        (b"II*\x00", "tiff"),
        (b"<svg xmlns='x'>", "svg"),
        (b"plain text", None),
        (b"", None),
    ],
)
def test_sniff_format(data: bytes, fmt: str | None) -> None:
    assert sniff_format(data) == fmt


@pytest.mark.parametrize("options", [{"progressive": True}, {"restart_marker_blocks": 4}, {"subsampling": 0}])
def test_lossless_jpeg_path_handles_scan_variants(options: dict[str, object]) -> None:
    exif = factory.exif_block(orientation=1, gps=True).tobytes()
    data = factory.encoded(factory.photo_like(1600, 1200, seed=7), "JPEG", quality=90, exif=exif, **options)
    result = process_upload(data)
    assert np.array_equal(pixels(result.original.data), pixels(data))
    assert (result.medium.width, result.medium.height) == (1024, 768)
    assert_no_metadata(result.original.data)
