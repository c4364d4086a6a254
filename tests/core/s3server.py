"""A real S3 API for tests: ``moto_server`` run as a subprocess on 127.0.0.1.

Use :func:`start_moto_server` from a fixture (any scope) and :func:`stop_moto_server`
after it; nothing here depends on pytest, so the fixture can live in any conftest.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from imagemonkey.liveserver import free_port, stop_process, wait_until_answers


def _moto_server_command() -> str:
    beside_python = Path(sys.executable).with_name("moto_server")
    found = str(beside_python) if beside_python.exists() else shutil.which("moto_server")
    if not found:
        raise RuntimeError("moto_server not found: install the test extra (moto[server])")
    return found


def start_moto_server(timeout: float = 30.0) -> tuple[str, subprocess.Popen[bytes]]:
    """Start ``moto_server`` on a free port; return its endpoint URL and process once it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # The log goes to a file, not a pipe: moto logs every request and a full pipe would block it.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [_moto_server_command(), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
        )
        if wait_until_answers(f"{url}/moto-api/", process, timeout):
            return url, process
        stop_process(process)
        log.seek(0)
        output = log.read().decode(errors="replace")[-2000:]
    raise RuntimeError(f"moto_server did not answer on {url} within {timeout} s (status {process.returncode}): "
                       f"{output}")


def stop_moto_server(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server started by :func:`start_moto_server` (kill it if it lingers)."""
    stop_process(process)
