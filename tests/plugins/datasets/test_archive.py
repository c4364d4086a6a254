"""Deterministic archives: the tar writer's bytes are tarfile's for the same fixed TarInfo; zips have fixed dates."""
from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

from imagemonkey_datasets.archive import TarArchive, ZipArchive

ENTRIES = [("000000001.jpg", b"\xff\xd8" + b"x" * 700), ("000000001.json", b"{}"), ("a/b.txt", b"y" * 512)]


def test_tar_is_what_tarfile_writes_with_fixed_owners_times_and_modes(tmp_path: Path) -> None:
    with TarArchive(tmp_path / "ours.tar") as archive:
        for name, data in ENTRIES:
            archive.add_bytes(name, data)
    reference = io.BytesIO()
    with tarfile.open(fileobj=reference, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in ENTRIES:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = \
                len(data), 0, 0o644, 0, 0, "", ""
            tar.addfile(info, io.BytesIO(data))
    assert (tmp_path / "ours.tar").read_bytes() == reference.getvalue()
    with tarfile.open(tmp_path / "ours.tar") as tar:
        assert [(m.name, m.mtime, m.uid, m.uname, m.mode) for m in tar.getmembers()] == \
            [(name, 0, 0, "", 0o644) for name, _ in ENTRIES]


def test_zip_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    for name in ("one.zip", "two.zip"):
        with ZipArchive(tmp_path / name) as archive:
            for entry, data in ENTRIES:
                archive.add_bytes(entry, data)
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        infos = archive.infolist()
        assert [info.date_time for info in infos] == [(1980, 1, 1, 0, 0, 0)] * 3
        assert infos[0].compress_type == zipfile.ZIP_STORED and infos[1].compress_type == zipfile.ZIP_DEFLATED
        assert archive.read("a/b.txt") == b"y" * 512
