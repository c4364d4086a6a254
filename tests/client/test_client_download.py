"""Releases and downloads with the client against a real server (datasets plugin): a download broken
mid-stream by a loopback proxy resumes with Range and verifies; a partial file resumes; a bad one is refetched.
Also ``Client.export`` and its typed 413."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from imagemonkey_client import Client, TooLarge
from imagemonkey_client.cli import main as cli_main

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).parent))
from client_support import picture, start_server  # noqa: E402
from cutting_proxy import CuttingProxy  # noqa: E402

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A server with the datasets plugin, six donated photos and release 1.0 (COCO) built by a moderator."""
    live = start_server(tmp_path_factory.mktemp("releases"), "validate datasets",
                        **{"datasets.max_export_images": "4"})
    try:
        subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", "mod", "--role", "moderator",
                        "--config", str(live.ini)], input=PASSWORD + "\n", text=True, check=True, timeout=120)
        token = requests.post(f"{live.url}/api/v1/sessions", json={"username": "mod", "password": PASSWORD},
                              timeout=30).json()["token"]
        moderator = Client(live.url, token, progress=False)
        for seed in range(6):
            moderator.donate(picture(900 + seed, 320, 240), ["dog" if seed else "cat"])
        job = moderator.create_release("1.0", formats=["coco"], include_unverified=True)["job"]
        deadline = time.monotonic() + 120
        while (state := moderator.job(job["id"])["state"]) not in ("done", "failed"):
            assert time.monotonic() < deadline, "the release was not built in time"
            time.sleep(0.2)
        assert state == "done"
        yield {"live": live, "release": moderator.release("1.0")}
    finally:
        live.stop()


def coco_file(release: dict) -> dict:
    (item,) = [item for item in release["files"] if item["format"] == "coco"]
    return item


def range_starts(proxy: CuttingProxy) -> list[int]:
    """The first byte of every ``Range`` request that went through ``proxy``."""
    return [int(start) for start in re.findall(rb"(?i)range: bytes=(\d+)-", bytes(proxy.sent))]


def test_releases_are_listed(site: dict, make_client: Callable[..., Client]) -> None:
    client = make_client(site["live"].url)
    (release,) = list(client.releases())
    assert release["version"] == "1.0" and release["status"] == "ready" and release["counts"]["images"] == 6


def test_download_cut_mid_stream_resumes_and_verifies(site: dict, make_client: Callable[..., Client],
                                                      tmp_path: Path) -> None:
    item = coco_file(site["release"])
    assert item["bytes"] > 300_000  # the proxy cuts it twice, at 120 KB into a connection
    proxy = CuttingProxy(site["live"].port, cut_after=120_000, cuts=2)
    try:
        (path,) = make_client(proxy.url, backoff=0.01).download("1.0", "coco", tmp_path)
    finally:
        proxy.stop()
    assert proxy.cut == 2
    starts = range_starts(proxy)
    assert len(starts) == 2 and all(0 < start < item["bytes"] for start in starts)  # resumed, not restarted
    assert hashlib.sha256(path.read_bytes()).hexdigest() == item["sha256"]
    assert not path.with_name(path.name + ".part").exists()
    assert path.stat().st_size == item["bytes"]


def test_partial_file_on_disk_resumes(site: dict, make_client: Callable[..., Client], tmp_path: Path) -> None:
    item = coco_file(site["release"])
    whole = requests.get(urljoin(site["live"].url, item["url"]), timeout=30).content
    part = tmp_path / (item["name"] + ".part")
    part.write_bytes(whole[: len(whole) // 3])
    observer = CuttingProxy(site["live"].port)
    try:
        client = make_client(observer.url)
        (path,) = client.download("1.0", "coco", tmp_path, resume=True)
    finally:
        observer.stop()
    assert range_starts(observer) == [len(whole) // 3]
    assert path.read_bytes() == whole


def test_corrupt_partial_file_is_fetched_again(site: dict, make_client: Callable[..., Client],
                                               tmp_path: Path) -> None:
    item = coco_file(site["release"])
    (tmp_path / (item["name"] + ".part")).write_bytes(b"\0" * 50_000)  # not the file's first bytes
    (path,) = make_client(site["live"].url).download("1.0", "coco", tmp_path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == item["sha256"]


def test_export_to_a_file_and_too_many_images(site: dict, make_client: Callable[..., Client],
                                              tmp_path: Path) -> None:
    live: LiveServer = site["live"]
    client = make_client(live.url)
    archive = client.export("cat", format="json", dest=tmp_path)
    assert archive == tmp_path / "export-json.tar"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "images.jsonl" in names and sum(name.startswith("images/") for name in names) == 1
    with pytest.raises(TooLarge) as too_many:  # five dogs, four at most
        client.export("dog", format="json", dest=tmp_path / "dogs.tar")
    assert too_many.value.code == "too_many_images" and not (tmp_path / "dogs.tar").exists()


def test_cli_download(site: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    item = coco_file(site["release"])
    args = ["--url", site["live"].url, "--quiet", "download", "--version", "1.0", "--format", "coco",
            "--dest", str(tmp_path / "data")]
    assert cli_main(args) == 0
    (printed,) = capsys.readouterr().out.splitlines()
    assert Path(printed) == tmp_path / "data" / item["name"]
    assert hashlib.sha256(Path(printed).read_bytes()).hexdigest() == item["sha256"]
    assert cli_main([*args[:-4], "--format", "tiff"]) == 1
    assert "no_such_format" in capsys.readouterr().err
