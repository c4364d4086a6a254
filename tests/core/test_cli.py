"""The ``imagemonkey`` command line: help everywhere, plugins, db upgrade, and serving for real."""
from __future__ import annotations

import importlib.metadata
import json
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from sqlalchemy import inspect
from support import install_plugin, write_plugin

from imagemonkey.cli import build_parser, main
from imagemonkey.db.engine import make_engine
from imagemonkey.liveserver import LiveServer
from imagemonkey.plugins import installed_plugins

ROOT = Path(__file__).resolve().parents[2]
SUBCOMMANDS = [
    [], ["serve"], ["worker"], ["db"], ["db", "upgrade"], ["labels"], ["labels", "check"], ["labels", "sync"], ["user"],
    ["user", "add"], ["user", "block"], ["user", "unblock"], ["plugins"], ["import"], ["export"], ["gc"], ["stats"],
    ["stats", "verify"], ["db", "revision"], ["plugin"], ["plugin", "new"],
]


@pytest.mark.parametrize("command", SUBCOMMANDS, ids=lambda c: " ".join(c) or "imagemonkey")
def test_help_on_every_subcommand(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: imagemonkey" + "".join(f" {part}" for part in command))


def test_every_subcommand_is_covered() -> None:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    assert {c[0] for c in SUBCOMMANDS if c} == set(action.choices)


def test_missing_subcommand_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "required" in capsys.readouterr().err


def test_plugins_lists_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    write_plugin(tmp_path / "site", "listed", "def includeme(config):\n    pass\n", version="0.4.2")
    install_plugin(monkeypatch, tmp_path / "site")
    assert main(["plugins", "--data-dir", str(tmp_path / "data"), "--plugins", "listed"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(installed_plugins())
    listed = next(line.split() for line in lines if line.startswith("listed "))
    assert listed[:3] == ["listed", "0.4.2", "enabled"]
    assert main(["plugins", "--data-dir", str(tmp_path / "data"), "--plugins", ""]) == 0
    assert next(line.split() for line in capsys.readouterr().out.splitlines()
                if line.startswith("listed "))[2] == "installed"


def test_db_upgrade_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    for _ in range(2):
        assert main(["db", "upgrade", "--data-dir", str(data_dir), "--plugins", ""]) == 0
        assert capsys.readouterr().out.strip() == "migrated: core"
    engine = make_engine(f"sqlite:///{data_dir / 'imagemonkey.sqlite'}")
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"image", "image_label", "contributor", "alembic_version_core"} <= tables


def test_unknown_plugin_is_a_readable_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--data-dir", str(tmp_path), "--plugins", "no-such-plugin"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("imagemonkey: error:") and "no-such-plugin" in err and "Traceback" not in err


def test_a_bad_setting_in_an_ini_is_a_readable_error_naming_the_key(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    ini = tmp_path / "bad.ini"
    ini.write_text("[app:main]\nuse = egg:imagemonkey\nimagemonkey.plugins = validate\nvalidate.max_votes = lots\n")
    assert main(["labels", "sync", "--config", str(ini)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("imagemonkey: error: setting validate.max_votes = 'lots' is invalid")
    assert "Traceback" not in err


def test_the_ini_and_the_embedded_default_enable_the_same_plugins() -> None:
    import configparser

    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "development.ini")
    in_ini = ini["app:main"]["imagemonkey.plugins"].split()
    built_in = sorted(path.parent.name for path in (ROOT / "plugins").glob("*/__init__.py"))
    assert sorted(in_ini) == built_in  # the embedded default enables every installed plugin: these
    assert set(built_in) <= set(installed_plugins())


def test_serve_answers_and_terminates(tmp_path: Path) -> None:
    live = LiveServer(tmp_path / "data", plugins="", timeout=60)
    try:
        with urllib.request.urlopen(f"{live.url}/api/v1/info", timeout=5) as answer:
            info = json.loads(answer.read())
        assert info["name"] == "ImageMonkey" and info["plugins"] == []
        request = urllib.request.Request(f"{live.url}/api/v1/clients", method="POST")
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.status == 201 and "token" in json.loads(answer.read())
        assert (tmp_path / "data" / "imagemonkey.sqlite").exists()
    finally:
        live.stop()
    assert live.process.returncode is not None
    assert f"serving on {live.url}" in live.log_path.read_text()


def test_serve_on_a_busy_port_says_so_in_one_line_and_exits_non_zero(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "imagemonkey", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--data-dir", str(tmp_path / "data"), "--plugins", ""], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "serving" not in done.stdout.lower()
    assert "Traceback" not in done.stderr  # before it: the migration's log lines
    assert done.stderr.strip().splitlines()[-1] == (
        f"imagemonkey: error: 127.0.0.1:{port} is already in use (is another server running there?); stop it or "
        f"choose another --port")


def test_commands_print_no_pkg_resources_warning(tmp_path: Path) -> None:
    """pyramid imports pkg_resources, which warns from setuptools 81 on: setup.py and the Makefile pin below it."""
    done = subprocess.run([sys.executable, "-m", "imagemonkey", "labels", "sync", "--data-dir", str(tmp_path / "data"),
                           "--plugins", ""], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pkg_resources" not in done.stderr and "Warning" not in done.stderr
    pinned = re.search(r'"(setuptools[^"]*)"', (ROOT / "setup.py").read_text()).group(1)
    assert f'SETUPTOOLS := "{pinned}"' in (ROOT / "Makefile").read_text()  # one range, installed by both
    assert Requirement(pinned).specifier.contains(importlib.metadata.version("setuptools"))
