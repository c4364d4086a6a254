"""Benchmark (issue 10): start-up time of ``imagemonkey serve`` to the first 200 on /api/v1/info.

Run from the repository root::

    .venv/bin/python bench/bench_startup.py [--rounds 5]

Two cases, interleaved round by round so that both see the same machine load: core alone
(``--plugins ""``) and every installed plugin (``--plugins`` not given: the embedded default).
Each is measured twice per round: **cold**, on an empty data folder (SQLite created and every
lineage migrated, as a first ``make run``), and **warm**, restarting on that migrated folder (a
restart in production). The clock runs from spawning the process to the first 200 answer to
``GET /api/v1/info`` (polled every 10 ms), so it includes the interpreter, imports, plugin
loading, settings checks, hook checks and the start-up hooks. Figures: median and max ms per
case, and the all-plugins / core-alone ratio of the medians.

Then, per plugin, ``make_app`` alone: a fresh interpreter imports ``imagemonkey.app`` and builds the app with
core alone, with each plugin alone and with all of them, on a database migrated beforehand, timing only the
``make_app`` call (which imports the plugins' modules); cases interleaved round by round. Figures: median ms per
case, its ratio to core alone, and which heavy libraries (torch, onnxruntime, ...) building the app imported.
Removes its temporary folder.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from common import emitter, free_port

from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.liveserver import stop_process
from imagemonkey.plugins import installed_plugins

BENCH = "startup"
HEAVY = ["torch", "torchvision", "pytorch_lightning", "lightning", "torchmetrics", "efficientnet_lite_pytorch",
         "onnxruntime", "nudenet", "cv2", "scipy", "pandas"]
MAKE_APP = """
import json, sys, time
from imagemonkey.app import make_app
settings, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
started = time.perf_counter()
make_app(settings)
print(json.dumps({"seconds": time.perf_counter() - started, "heavy": [m for m in heavy if m in sys.modules]}))
"""


def time_to_first_200(data_dir: Path, plugins: str | None, log: Path, timeout: float = 120.0) -> float:
    """Seconds from spawning ``imagemonkey serve`` to its first 200 on /api/v1/info; the server is stopped after."""
    port = free_port()
    command = [sys.executable, "-m", "imagemonkey", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--data-dir", str(data_dir)]
    if plugins is not None:
        command += ["--plugins", plugins]
    url = f"http://127.0.0.1:{port}/api/v1/info"
    with open(log, "ab") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"imagemonkey serve exited with {process.returncode}; see {log}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.01)
        raise RuntimeError(f"no 200 from {url} within {timeout} s; see {log}")
    finally:
        stop_process(process)


def make_app_seconds(folder: Path, plugins: list[str]) -> tuple[float, list[str]]:
    """Seconds a fresh interpreter's ``make_app`` takes with ``plugins`` (migrated beforehand), and the heavy
    libraries loaded by then."""
    database = folder / ("make-app-" + ("-".join(plugins) or "core") + ".sqlite")
    if not database.exists():
        engine = make_engine(f"sqlite:///{database}")
        upgrade(engine, plugins)
        engine.dispose()
    settings = {"imagemonkey.data_dir": str(folder), "imagemonkey.plugins": " ".join(plugins),
                "sqlalchemy.url": f"sqlite:///{database}"}
    done = subprocess.run([sys.executable, "-c", MAKE_APP, json.dumps(settings), json.dumps(HEAVY)],
                          capture_output=True, text=True, check=True, timeout=300)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return found["seconds"], found["heavy"]


def bench_make_app(emit: Any, folder: Path, plugins: list[str], rounds: int) -> None:
    """``make_app`` per plugin alone, core alone and all plugins; median ms, ratio to core, heavy imports."""
    cases = {"core": [], **{name: [name] for name in plugins}, "all_plugins": plugins}
    seconds: dict[str, list[float]] = {case: [] for case in cases}
    heavy: dict[str, list[str]] = {}
    for _ in range(rounds):
        for case, enabled in cases.items():
            elapsed, heavy[case] = make_app_seconds(folder, enabled)
            seconds[case].append(elapsed)
    core = statistics.median(seconds["core"])
    for case, runs in seconds.items():
        median = statistics.median(runs)
        emit("make_app_median", round(median * 1000, 1), "ms", case=case, heavy_imports=heavy[case], rounds=rounds)
        emit("make_app_over_core", round(median / core, 3), "ratio", case=case)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-make-app", action="store_true", help="only the serve start-up figures")
    args = parser.parse_args(argv)
    emit = emitter(BENCH)
    plugins = sorted(installed_plugins())
    cases = {"core": "", "all_plugins": None}
    seconds: dict[tuple[str, str], list[float]] = {(case, phase): [] for case in cases for phase in ("cold", "warm")}
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        for round_ in range(args.rounds):
            for case, plugin_arg in cases.items():
                data_dir = folder / f"{case}-{round_}"
                log = folder / f"{case}.log"
                seconds[(case, "cold")].append(time_to_first_200(data_dir, plugin_arg, log))
                seconds[(case, "warm")].append(time_to_first_200(data_dir, plugin_arg, log))
        for phase in ("cold", "warm"):
            medians = {}
            for case in cases:
                runs = seconds[(case, phase)]
                medians[case] = statistics.median(runs) * 1000
                emit(f"{phase}_start_to_first_200_median", round(medians[case], 1), "ms", case=case,
                     plugins=plugins if case == "all_plugins" else [], rounds=args.rounds)
                emit(f"{phase}_start_to_first_200_max", round(max(runs) * 1000, 1), "ms", case=case)
            emit(f"{phase}_all_plugins_over_core", round(medians["all_plugins"] / medians["core"], 3), "ratio",
                 plugins=plugins)
        if not args.skip_make_app:
            bench_make_app(emit, folder, plugins, args.rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
