"""Benchmark (issue 26): ``imagemonkey plugin new`` to the generated plugin's tests passing, wall time per step.

Run from the repository root::

    .venv/bin/python bench/bench_plugin_new.py [--rounds 3]

Each round, in a fresh temporary folder, as a plugin author does it: ``imagemonkey plugin new benchnotes``
(the console script), ``pip install -e`` of the result (no dependencies, no build isolation, into a folder of the
round's own with ``--target`` so the shared venv is left alone; a fresh interpreter sees it through
``site.addsitedir``, as a venv sees its site-packages), then ``pytest -q`` in the generated folder (SQLite, one
process). Figures: median and max seconds of each step (``new``, ``install``, ``tests``) and of the total, the
number of generated tests that passed (every round must pass them all, else the script exits 1). Removes its
temporary folders.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import emitter

BENCH = "plugin_new"
BIN = Path(sys.executable).parent
STEPS = ("new", "install", "tests", "total")


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run ``command``; its wall seconds and result (a RuntimeError when it fails)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds, result


def one_round(root: Path) -> tuple[dict[str, float], int]:
    """The three steps in ``root``; seconds per step and how many generated tests passed."""
    env = {key: value for key, value in os.environ.items() if key != "IMAGEMONKEY_TEST_DB"}
    plugin, site = root / "benchnotes", root / "site"
    seconds = {}
    seconds["new"], _ = timed([str(BIN / "imagemonkey"), "plugin", "new", "benchnotes", "--directory", str(plugin)],
                              root, env)
    seconds["install"], _ = timed([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "install",
                                   "--no-deps", "--no-build-isolation", "--target", str(site), "-e", str(plugin)],
                                  root, env)
    bootstrap = f"import site, sys; site.addsitedir({str(site)!r}); import pytest; sys.exit(pytest.main(sys.argv[1:]))"
    seconds["tests"], result = timed([sys.executable, "-c", bootstrap, "-q", "-p", "no:cacheprovider", "-n", "0"],
                                     plugin, env)
    seconds["total"] = seconds["new"] + seconds["install"] + seconds["tests"]
    passed = re.search(r"(\d+) passed", result.stdout)
    return seconds, int(passed.group(1)) if passed else 0


def main() -> int:
    """Run the rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    emit = emitter(BENCH)
    times: dict[str, list[float]] = {step: [] for step in STEPS}
    passed = []
    for _ in range(args.rounds):
        root = Path(tempfile.mkdtemp(prefix="bench-plugin-new-"))
        try:
            seconds, count = one_round(root)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        for step in STEPS:
            times[step].append(seconds[step])
        passed.append(count)
    for step in STEPS:
        emit(f"{step}_median", round(statistics.median(times[step]), 2), "s", rounds=args.rounds)
        emit(f"{step}_max", round(max(times[step]), 2), "s", rounds=args.rounds)
    emit("generated_tests_passed", min(passed), "tests", rounds=args.rounds)
    return 0 if min(passed) > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
