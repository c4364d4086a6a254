"""imagefolder: the same class folders in train/ and val/ with classes.txt; left-out counts; --include-unverified."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from webtest import TestApp

sys.path.insert(0, str(Path(__file__).parent))
from validate_support import PLUGINS, donate, vote  # noqa: E402

from imagemonkey.cli import main  # noqa: E402
from imagemonkey.export import run_export  # noqa: E402
from imagemonkey.testing import new_client, new_moderator, settle_now  # noqa: E402


def test_same_classes_in_both_splits_and_left_out_counts(app_factory: Callable[..., TestApp], tmp_path: Path) -> None:
    app = app_factory(plugins=PLUGINS)
    donor, moderator = new_client(app), new_moderator(app)
    for seed in range(8):
        image = donate(app, donor, ("dog",) if seed % 2 else ("cat",), seed=300 + seed)
        vote(app, moderator, image["labels"][0]["id"], "yes")
    rejected = donate(app, donor, ("bird",), seed=320)
    vote(app, moderator, rejected["labels"][0]["id"], "no")
    donate(app, donor, ("car",), seed=321)  # unverified
    settle_now(app)  # votes settle off the request path
    counts = run_export(app.app.registry, "imagefolder", tmp_path / "out")
    out = tmp_path / "out"
    assert counts["left_out_unverified"] == 1 and counts["left_out_rejected"] == 1
    assert sorted(p.name for p in (out / "train").iterdir()) == sorted(p.name for p in (out / "val").iterdir()) \
        == ["cat", "dog"]
    assert (out / "classes.txt").read_text() == "cat\ndog\n"
    datasets = pytest.importorskip("torchvision.datasets")
    train = datasets.ImageFolder(str(out / "train"), allow_empty=True)
    val = datasets.ImageFolder(str(out / "val"), allow_empty=True)
    assert train.class_to_idx == val.class_to_idx == {"cat": 0, "dog": 1}

    everything = run_export(app.app.registry, "imagefolder", tmp_path / "all", include_unverified=True)
    assert "left_out_unverified" not in everything and everything["left_out_rejected"] == 1
    assert (tmp_path / "all" / "classes.txt").read_text() == "car\ncat\ndog\n"


def test_cli_says_how_many_were_left_out(app_factory: Callable[..., TestApp], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "site"
    (tmp_path / "in").mkdir()
    from validate_support import picture
    (tmp_path / "in" / "a.jpg").write_bytes(picture(330))
    assert main(["import", str(tmp_path / "in"), "--label", "dog", "--data-dir", str(data_dir),
                 "--plugins", "validate"]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "imagefolder", str(tmp_path / "out"), "--data-dir", str(data_dir),
                 "--plugins", "validate"]) == 0
    printed = capsys.readouterr().out
    assert "images: 0" in printed and "left_out_unverified: 1" in printed and "--include-unverified" in printed
    assert main(["export", "--format", "imagefolder", str(tmp_path / "all"), "--data-dir", str(data_dir),
                 "--plugins", "validate", "--include-unverified"]) == 0
    assert "images: 1" in capsys.readouterr().out
