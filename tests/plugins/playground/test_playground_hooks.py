"""The playground's own hookspec: another plugin supplies the backbone."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
from imagemonkey_playground.providers import BackboneProvider
from playground_support import SETTINGS, donate_all, pictures, predict_file, train
from webtest import TestApp

from imagemonkey.plugin import hookimpl

pytestmark = pytest.mark.training


def colour_histograms(images: list) -> torch.Tensor:  # noqa: ANN001
    """4x4x4 RGB histograms: a weak but real image feature (64 values)."""
    rows = []
    for image in images:
        pixels = np.asarray(image.convert("RGB").resize((64, 64))) // 64
        codes = pixels[..., 0] * 16 + pixels[..., 1] * 4 + pixels[..., 2]
        rows.append(np.bincount(codes.ravel(), minlength=64) / codes.size)
    return torch.tensor(np.array(rows), dtype=torch.float32) * 8


class HistogramBackbone:
    calls = 0

    @hookimpl
    def playground_backbone(self, registry) -> BackboneProvider:  # noqa: ANN001
        self.calls += 1
        return BackboneProvider("colour-histogram-4x4x4", 64, colour_histograms)


def test_hook_playground_backbone(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("playground",), **SETTINGS)
    plugin = HistogramBackbone()
    app.app.registry.pm.register(plugin, name="histogram-backbone")
    donate_all(app, count=28)
    model = train(app)
    assert model["backbone"] == "colour-histogram-4x4x4" and model["status"] == "active"
    assert model["map"] is not None and model["map"] > 0.5  # colours alone tell these photographs apart fairly well
    answer = predict_file(app, pictures()[41][0])
    assert answer["model"]["version"] == 1 and len(answer["predictions"]) == 4
    assert plugin.calls == 1  # asked once per process
    # the plugin goes away: its version cannot be activated (nothing could serve it)
    app.app.registry.pm.unregister(plugin)
    del app.app.registry["playground.backbone"]
    from imagemonkey.testing import auth, new_moderator

    answer = app.post_json(f"/api/v1/playground/models/{model['id']}/activate", {},
                           headers=auth(new_moderator(app, "other")), status=409).json
    assert answer["error"]["code"] == "other_backbone"


def test_cli_playground_train(app_factory: Callable[..., TestApp], tmp_path, capsys) -> None:  # noqa: ANN001
    """`imagemonkey playground train` on a site's data folder: trains here with a progress bar; --queue only queues."""
    from imagemonkey.cli import main

    site = tmp_path / "site"
    data = ["--data-dir", str(site), "--plugins", "playground"]
    assert main(["playground", "train", *data]) == 1  # nothing to learn from yet: the version fails, saying why
    assert "failed: 0 labels have 5 eligible images; a model needs at least 2" in capsys.readouterr().out
    app = app_factory(plugins=("playground",), **{"imagemonkey.data_dir": str(site),
                                                   "sqlalchemy.url": f"sqlite:///{site / 'imagemonkey.sqlite'}"})
    donate_all(app, count=28)
    assert main(["playground", "train", *data]) == 0
    out = capsys.readouterr()
    assert "version 2: active, mAP" in out.out and "100%" in out.err  # tqdm's bar on stderr
    assert main(["playground", "train", "--queue", *data]) == 0
    assert "queued version 3 (job" in capsys.readouterr().out
    assert [m["status"] for m in app.get("/api/v1/playground/models").json["models"]] == ["queued", "active", "failed"]


def test_hook_imagemonkey_blobs_in_use(app_factory: Callable[..., TestApp], tmp_path, capsys) -> None:  # noqa: ANN001
    """`imagemonkey gc` keeps model weights (the playground answers imagemonkey_blobs_in_use) and removes orphans."""
    from imagemonkey.cli import main

    site = tmp_path / "site"
    assert main(["db", "upgrade", "--data-dir", str(site), "--plugins", "playground"]) == 0
    app = app_factory(plugins=("playground",), **SETTINGS, **{
        "imagemonkey.data_dir": str(site), "sqlalchemy.url": f"sqlite:///{site / 'imagemonkey.sqlite'}"})
    donate_all(app, count=28)
    train(app)
    store = app.app.registry["blobstore"]
    orphan = store.put(b"nobody uses this", "application/octet-stream")
    assert main(["gc", "--grace", "0", "--data-dir", str(site), "--plugins", "playground"]) == 0
    assert "removed 1 unreferenced blobs" in capsys.readouterr().out
    assert not store.exists(orphan)
    app.app.registry["playground.holder"].loaded = None  # load the weights again from the store
    assert predict_file(app, pictures()[41][0])["model"]["version"] == 1
