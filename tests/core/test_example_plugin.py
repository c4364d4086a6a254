"""An out-of-tree plugin, built and installed with pip as its own distribution, using only ``imagemonkey.plugin``.

``acme-stickers`` (package ``acme_stickers``, plugin name ``stickers``: neither is ``imagemonkey_*``)
gets its table through its own Alembic lineage, a route, a page panel, a declared setting (a bad
value refused at start-up), a CLI command run as a subprocess, an extension action and a job whose
progress is read over HTTP; its own test suite runs with ``imagemonkey.testing`` as a pytest plugin.

pip builds the distribution (a wheel, without build isolation) and installs it into a folder of
this test's own (``--target``) that goes first on ``sys.path`` (and ``PYTHONPATH`` for the
subprocesses) — not into the shared venv, where the other xdist worker would see the plugin
appear and vanish in the middle of its own tests (entry points and migrations are global).
"""
from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from example_plugin import write_distribution
from sqlalchemy import inspect
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.plugin import Base, SettingError
from imagemonkey.plugins import installed_plugins
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs

IMAGEMONKEY = Path(sys.executable).with_name("imagemonkey")


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True,
                   capture_output=True, text=True, timeout=300)


SITE = "site"


@pytest.fixture(scope="module")
def stickers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """acme-stickers built and installed with pip for the module's tests, uninstalled afterwards."""
    source = write_distribution(tmp_path_factory.mktemp("acme-stickers"))
    site = source / SITE
    pip("install", "--no-deps", "--no-build-isolation", "--target", str(site), str(source))
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    try:
        yield source
    finally:
        sys.path.remove(str(site))
        shutil.rmtree(site)  # what `pip uninstall` does for a --target install: its files go
        for name in [name for name in sys.modules if name == "acme_stickers" or name.startswith("acme_stickers.")]:
            del sys.modules[name]
        for table in [table for table in Base.metadata.tables.values() if table.info.get("owner") == "stickers"]:
            Base.metadata.remove(table)  # later tests compare the metadata with the migrations of what is installed
        importlib.invalidate_caches()


def test_it_is_installed_under_any_package_name(stickers: Path) -> None:
    entry_point = installed_plugins()["stickers"]
    assert entry_point.value == "acme_stickers" and entry_point.dist.version == "0.3.0"
    plugin_source = "".join(path.read_text() for path in (stickers / "acme_stickers").rglob("*.py"))
    core_imports = {line.split()[1] for line in plugin_source.splitlines()
                    if line.startswith(("from imagemonkey", "import imagemonkey"))}
    assert core_imports == {"imagemonkey.plugin"}


def test_table_route_panel_action_and_setting(stickers: Path, app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("stickers",), **{"stickers.per_image": "2"})
    engine = app.app.registry["db_engine"]
    assert "stickers_sticker" in inspect(engine).get_table_names()  # its own lineage, found from its entry point
    assert "alembic_version_stickers" in inspect(engine).get_table_names()
    token = new_client(app)
    image = donate(app, token, jpeg(1)).json["image"]
    assert image["sticker_count"] == 0  # its serialize hook
    path = f"/api/v1/images/{image['id']}/stickers"
    for text in ("wow", "cute"):
        app.post_json(path, {"text": text}, headers=auth(token), status=201)
    refused = app.post_json(path, {"text": "third"}, headers=auth(token), status=409)  # per_image = 2
    assert refused.json["error"]["code"] == "conflict"
    assert app.post_json(path, {"text": ""}, headers=auth(token), status=422).json["error"]["field"] == "text"
    assert app.get(path).json == {"stickers": ["wow", "cute"]}
    assert app.delete(path, status=405).json["error"]["code"] == "method_not_allowed"
    page = app.get(f"/images/{image['id']}").text
    assert f'<section class="stickers" id="stickers-panel">2 stickers on image {image["id"]}</section>' in page
    actions = {a["id"]: a for a in app.get("/api/v1/extension").json["actions"]}
    assert actions["stickers-add"]["kind"] == "link" and actions["stickers-add"]["url"] == "/images/{image_id}"


@pytest.mark.parametrize("value", ["0", "lots", "21"])
def test_a_bad_setting_is_refused_at_start_up(stickers: Path, app_factory: Callable[..., TestApp], value: str) -> None:
    with pytest.raises(SettingError, match=r"stickers\.per_image"):
        app_factory(plugins=("stickers",), **{"stickers.per_image": value})
    with pytest.raises(SettingError, match=r"unknown setting stickers\.per_imag\b"):
        app_factory(plugins=("stickers",), **{"stickers.per_imag": "2"})


def test_a_job_whose_progress_is_read_over_http(stickers: Path, app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("stickers",))
    token, moderator = new_client(app), new_moderator(app)
    image = donate(app, token, jpeg(2)).json["image"]["id"]
    app.post_json(f"/api/v1/images/{image}/stickers", {"text": "hi"}, headers=auth(token), status=201)
    job_id = app.post("/api/v1/stickers/recount", headers=auth(moderator), status=202).json["job_id"]
    queued = app.get(f"/api/v1/jobs/{job_id}", headers=auth(moderator)).json
    assert queued["state"] == "queued" and queued["progress"] == 0
    assert run_jobs(app) == 1
    done = app.get(f"/api/v1/jobs/{job_id}", headers=auth(moderator)).json
    assert (done["state"], done["progress"], done["message"]) == ("done", 1.0, "counted 1")
    assert done["result"] == {"total": 1, "scaled": 2}


def with_plugin_path(stickers: Path) -> dict[str, str]:
    """The environment of a subprocess that sees the installed plugin."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(stickers / SITE), env.get("PYTHONPATH")]))
    return env


def test_a_cli_command_runs_as_a_subprocess(stickers: Path, tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data"), "--plugins", "stickers"]
    result = subprocess.run([str(IMAGEMONKEY), "stickers-count", *data, "--min", "1"], capture_output=True, text=True,
                            timeout=120, env=with_plugin_path(stickers))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("stickers: 0")
    bad = subprocess.run([str(IMAGEMONKEY), "stickers-count", *data, "--min", "many"], capture_output=True,
                         text=True, timeout=120, env=with_plugin_path(stickers))
    assert bad.returncode == 2 and "invalid int value" in bad.stderr  # argparse's own error for its option


def test_its_own_tests_run_with_imagemonkey_testing_as_a_pytest_plugin(stickers: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "tests"],
                            cwd=stickers, capture_output=True, text=True, timeout=300, env=with_plugin_path(stickers))
    assert result.returncode == 0, result.stdout + result.stderr  # no conftest.py: the pytest11 entry point
    assert "1 passed" in result.stdout
