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
case, and the all-plugins / core-alone ratio of the medians. Removes its temporary folder.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import emitter, free_port

from imagemonkey.liveserver import stop_process
from imagemonkey.plugins import installed_plugins

BENCH = "startup"


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
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
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
