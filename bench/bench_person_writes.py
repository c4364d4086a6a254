"""What the person counters cost a logged write: CPU per ``POST /api/v1/images/{id}/labels`` (one ``label.add`` log
entry each, with its label) for this checkout against ``--before`` (default: the commit before the counters), in
process on SQLite (core alone, the app built with the real migrations), rounds interleaved. JSON lines.

Each round runs a fresh child process per side (``before.py``'s old code first on ``PYTHONPATH`` for the old side);
the child prints its median CPU and wall microseconds per request.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from before import old_code, python_path
from common import PYTHON, bench_settings, emitter

emit = emitter("person_writes")
BEFORE = "dc7dba2"  # the merge before the person counters


def child(requests: int) -> None:
    """Measure in this process (the code on ``sys.path`` decides which side it is)."""
    from webtest import TestApp

    from imagemonkey.app import make_app
    from imagemonkey.db.engine import make_engine
    from imagemonkey.db.migrate import upgrade

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core"))
    from imagefactory import jpeg_bytes  # the tests' picture maker, only in the child

    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp))
        engine = make_engine(settings["sqlalchemy.url"])
        upgrade(engine, [])
        engine.dispose()
        app = TestApp(make_app(settings), extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        token = app.post("/api/v1/clients").json["token"]
        headers = {"Authorization": "Bearer " + token}
        ids = [app.post("/api/v1/images", upload_files=[("image", "a.jpg", jpeg_bytes(96, 72, seed=n))],
                        headers=headers).json["image"]["id"] for n in range(requests // 4 + 1)]
        cpu, wall = [], []
        names = ["dog", "cat", "person", "car"]
        for n in range(requests):
            path = f"/api/v1/images/{ids[n // 4]}/labels"
            begin, begin_cpu = time.perf_counter(), time.process_time()
            app.post_json(path, {"labels": [names[n % 4]]}, headers=headers, status=201)
            cpu.append((time.process_time() - begin_cpu) * 1e6)
            wall.append((time.perf_counter() - begin) * 1e6)
        print(json.dumps({"cpu_us": statistics.median(cpu), "wall_us": statistics.median(wall)}))


def run_side(old: Path | None, requests: int) -> dict[str, float]:
    with python_path(old):
        out = subprocess.run([PYTHON, __file__, "--child", "--requests", str(requests)], check=True,
                             capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.requests)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        old = old_code(args.before, Path(tmp))
        runs: dict[str, list[dict[str, float]]] = {"before": [], "now": []}
        for _ in range(args.rounds):
            runs["before"].append(run_side(old, args.requests))
            runs["now"].append(run_side(None, args.requests))
    medians = {side: {key: statistics.median(run[key] for run in found) for key in ("cpu_us", "wall_us")}
               for side, found in runs.items()}
    for side, figures in medians.items():
        emit(f"label_add_cpu_{side}", round(figures["cpu_us"], 1), "us", requests=args.requests, rounds=args.rounds)
        emit(f"label_add_wall_{side}", round(figures["wall_us"], 1), "us", requests=args.requests, rounds=args.rounds)
    emit("cpu_now_over_before", round(medians["now"]["cpu_us"] / medians["before"]["cpu_us"], 3), "x",
         before=args.before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
