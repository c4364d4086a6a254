"""``imagemonkey export --query``: only the matching images are written; a mistake stops with its position."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import jpeg, png

from imagemonkey.cli import main


def test_export_query(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, out = tmp_path / "site", tmp_path / "export"
    for name, data, labels in (("dogs", jpeg(60), ["dog"]), ("both", png(61), ["dog", "cat"]),
                               ("cats", jpeg(62), ["cat"])):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "a.jpg").write_bytes(data)
        args = ["import", str(folder), "--data-dir", str(data_dir)]
        for label in labels:
            args += ["--label", label]
        assert main(args) == 0
    assert main(["export", "--format", "json", str(out), "--query", "puppy & ~cat", "--data-dir", str(data_dir)]) == 0
    assert "images: 1" in capsys.readouterr().out
    rows = [json.loads(line) for line in (out / "images.jsonl").read_text().splitlines()]
    assert [row["labels"] for row in rows] == [["dog"]]
    assert main(["export", "--format", "json", str(out), "--query", "dog & (cat", "--data-dir", str(data_dir)]) == 2
    assert "position 10" in capsys.readouterr().err
