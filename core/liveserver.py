"""Real servers for end-to-end tests: ``imagemonkey serve`` (or any command) in a subprocess on 127.0.0.1.

Nothing here depends on pytest, so plugin authors can use it from any fixture::

    from imagemonkey.liveserver import LiveServer

    @pytest.fixture
    def server(tmp_path):
        live = LiveServer(tmp_path / "data", plugins="validate")
        yield live.url
        live.stop()
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate ``process`` and wait for it; kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def wait_until_answers(url: str, process: subprocess.Popen[bytes], timeout: float) -> bool:
    """Poll ``url`` until it answers 2xx (True), the process exits or ``timeout`` passes (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if 200 <= answer.status < 300:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    return False


class LiveServer:
    """``python -m imagemonkey serve`` on a free port with its own data folder; its output goes to ``log_path``.

    ``args`` are more ``serve`` options (``["--connection-limit", "60"]``).
    """

    def __init__(self, data_dir: Path, plugins: str = "", *, timeout: float = 90.0, args: Sequence[str] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir.parent / f"{data_dir.name}-serve.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "imagemonkey", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--data-dir", str(data_dir), "--plugins", plugins, *args], stdout=log, stderr=subprocess.STDOUT)
        if not wait_until_answers(f"{self.url}/api/v1/info", self.process, timeout):
            self.stop()
            tail = self.log_path.read_text(errors="replace")[-4000:]
            raise RuntimeError(f"imagemonkey serve did not start (plugins {plugins!r}):\n{tail}")

    def stop(self) -> None:
        """Stop the server."""
        stop_process(self.process)
