"""``imagemonkey datasets release|list`` and the scheduled release."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imagemonkey.plugin import enqueue_job
from imagemonkey.testing import run_jobs


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "imagemonkey", "datasets", *args, "--data-dir", str(data_dir),
                           "--plugins", "datasets"], capture_output=True, text=True, timeout=120)


def test_cli_builds_lists_and_refuses_bad_input(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    built = cli(data_dir, "release", "--version", "0.1", "--formats", "coco", "webdataset", "--include-unverified")
    assert built.returncode == 0, built.stderr
    result = json.loads(built.stdout.strip().splitlines()[-1])
    assert result["version"] == "0.1" and result["counts"]["images"] == 0 and len(result["digest"]) == 64
    listed = cli(data_dir, "list")
    assert listed.returncode == 0 and listed.stdout.startswith("0.1 r1 ready")
    again = cli(data_dir, "release", "--version", "0.1")
    assert again.returncode == 2 and "exists already" in again.stdout
    bad = cli(data_dir, "release", "--query", "dog &")
    assert bad.returncode == 2 and "error:" in bad.stdout


def test_scheduled_release_is_built_once_per_period(app_factory: Any) -> None:
    from imagemonkey_datasets.jobs import due

    app = app_factory(plugins=("datasets",), **{"datasets.schedule": "monthly"})
    registry = app.app.registry
    enqueue_job(registry, "datasets.scheduled")
    run_jobs(app)
    releases = app.get("/api/v1/releases").json["releases"]
    assert len(releases) == 1 and releases[0]["status"] == "ready"
    assert releases[0]["version"] == datetime.now(UTC).strftime("%Y.%m.%d")
    enqueue_job(registry, "datasets.scheduled")
    run_jobs(app)
    assert len(app.get("/api/v1/releases").json["releases"]) == 1  # not due again this month
    now = datetime(2026, 12, 6, tzinfo=UTC)
    assert due("monthly", datetime(2026, 11, 30, tzinfo=UTC), now) and not due("monthly", now, now)
    assert due("weekly", datetime(2026, 11, 29, tzinfo=UTC), now) and not due("off", None, now)


def test_page_without_release_and_without_javascript(app_factory: Any) -> None:
    app = app_factory(plugins=("datasets",))
    page = app.get("/datasets")
    assert "There is no release yet" in page.text and "Licence CC0-1.0" in page.text
    assert "Download the dataset" in app.get("/").text and "/datasets" in app.get("/").text
    assert app.get("/api/v1/releases/latest", status=404).json["error"]["code"] == "not_found"
