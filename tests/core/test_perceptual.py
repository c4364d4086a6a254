"""Perceptual hashes: robustness to re-encoding, separation of unrelated images, banded lookup."""

from __future__ import annotations

import io
import itertools
import random
import statistics

import imagefactory as factory
import pytest
from PIL import Image

from imagemonkey.images.perceptual import (
    band_probes,
    bands,
    hamming,
    phash64,
    to_signed64,
)
from imagemonkey.images.process import process_upload

SEEDS = range(8)


def degraded_copy(data: bytes) -> bytes:
    """The upload resized to 50% and re-encoded at JPEG quality 40."""
    with Image.open(io.BytesIO(data)) as img:
        small = img.convert("RGB").resize((img.width // 2, img.height // 2), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=40)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def originals() -> dict[int, bytes]:
    return {seed: factory.jpeg_bytes(800, 600, seed=seed) for seed in SEEDS}


@pytest.mark.parametrize("seed", SEEDS)
def test_degraded_copy_is_near(originals: dict[int, bytes], seed: int) -> None:
    original = process_upload(originals[seed]).phash
    copy = process_upload(degraded_copy(originals[seed])).phash
    assert hamming(original, copy) <= 6


def test_unrelated_images_are_far(originals: dict[int, bytes]) -> None:
    hashes = [process_upload(data).phash for data in originals.values()]
    distances = [hamming(a, b) for a, b in itertools.combinations(hashes, 2)]
    assert statistics.median(distances) > 20
    assert min(distances) > 12


def test_hash_is_of_the_upright_image() -> None:
    photo = factory.photo_like(640, 480, seed=5)
    upright = photo.transpose(Image.Transpose.ROTATE_270)  # what orientation 6 shows
    rotated = process_upload(factory.jpeg_bytes(640, 480, image=photo, exif_orientation=6)).phash
    assert hamming(rotated, process_upload(factory.jpeg_bytes(480, 640, image=upright)).phash) <= 4
    assert hamming(rotated, process_upload(factory.jpeg_bytes(640, 480, image=photo)).phash) > 12


def test_phash64_is_unsigned_64_bit() -> None:
    values = [phash64(factory.photo_like(256, 192, seed=seed)) for seed in range(4)]
    assert all(0 <= value < 2**64 for value in values)
    assert any(value >= 2**63 for value in values + [phash64(Image.new("L", (64, 64), 200))])


def test_hamming() -> None:
    assert hamming(0, 0) == 0
    assert hamming(0, 2**64 - 1) == 64
    assert hamming(0b1011, 0b0001) == 2
    assert hamming(-1, 2**64 - 1) == 0  # a signed value means the same bits


def test_bands_split_most_significant_first() -> None:
    assert bands(0xFFFF_FC00_0000_0000) == (2**22 - 1, 0, 0)
    assert bands(0x0000_03FF_FFE0_0000) == (0, 2**21 - 1, 0)
    assert bands(0x0000_0000_001F_FFFF) == (0, 0, 2**21 - 1)
    h = random.Random(1).getrandbits(64)
    b0, b1, b2 = bands(h)
    assert (b0 << 42) | (b1 << 21) | b2 == h


def test_signed_round_trip() -> None:
    for value in (0, 1, 2**63 - 1, 2**63, 2**64 - 1):
        signed = to_signed64(value)
        assert -(2**63) <= signed < 2**63
        assert signed & (2**64 - 1) == value
    assert to_signed64(2**64 - 1) == -1
    with pytest.raises(ValueError):
        to_signed64(2**64)


@pytest.mark.parametrize(("distance", "sizes"), [(0, (1, 1, 1)), (2, (1, 1, 1)), (3, (23, 22, 22)),
                                                  (6, (254, 232, 232)), (8, (254, 232, 232))])
def test_band_probe_sizes(distance: int, sizes: tuple[int, int, int]) -> None:
    probes = band_probes(0xDEAD_BEEF_0000_FFFF, distance)
    assert len(probes) == 3
    for probe, band, size, width in zip(probes, bands(0xDEAD_BEEF_0000_FFFF), sizes, (22, 21, 21), strict=True):
        assert len(probe) == len(set(probe)) == size
        assert probe[0] == band
        assert all(0 <= value < 2**width and (value ^ band).bit_count() <= distance // 3 for value in probe)


def test_pigeonhole_every_near_hash_shares_a_probed_band() -> None:
    rng = random.Random(20240517)
    for _ in range(2000):
        h = rng.getrandbits(64)
        max_distance = rng.randint(0, 11)
        flips = rng.sample(range(64), rng.randint(0, max_distance))
        other = h
        for bit in flips:
            other ^= 1 << bit
        assert hamming(h, other) <= max_distance
        probes = band_probes(h, max_distance)
        assert any(band in probes[i] for i, band in enumerate(bands(other)))


def test_band_probes_refuses_negative_distance() -> None:
    with pytest.raises(ValueError):
        band_probes(0, -1)
