"""One site run as several processes: ``imagemonkey serve`` and ``imagemonkey worker`` subprocesses on one ini.

:class:`Site` writes the ini (the settings every process of a site shares), starts the processes on free ports of
127.0.0.1, and stops every one it started (terminate, then kill). :class:`Http` talks to one of them with
``requests``. Used by test_site_processes.py and bench/bench_processes.py.
"""
from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import requests

from imagemonkey.liveserver import free_port, stop_process, wait_until_answers

#: How long a process may take to answer its first request (plugins load models, torch imports).
START_TIMEOUT = 120.0


class Site:
    """The processes of one site, all on ``root / "site.ini"`` (written from ``settings``)."""

    def __init__(self, root: Path, settings: Mapping[str, str]):
        self.root = root
        self.ini = root / "site.ini"
        self.ini.write_text("[app:main]\nuse = egg:imagemonkey\n" + "".join(
            f"{key} = {value}\n" for key, value in settings.items()))
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []

    def _start(self, name: str, arguments: list[str]) -> subprocess.Popen[bytes]:
        log_path = self.root / f"{name}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "imagemonkey", *arguments, "--config", str(self.ini)],
                                       stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        self.logs.append(log_path)
        return process

    def serve(self, threads: int = 8) -> str:
        """Start one more ``imagemonkey serve``; its URL once it answers (RuntimeError with its log if not)."""
        port = free_port()
        name = f"serve-{len(self.processes)}"
        process = self._start(name, ["serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads)])
        url = f"http://127.0.0.1:{port}"
        if not wait_until_answers(f"{url}/api/v1/info", process, START_TIMEOUT):
            raise RuntimeError(f"{name} did not start:\n{self.tail()}")
        return url

    def worker(self, threads: int = 2) -> subprocess.Popen[bytes]:
        """Start an ``imagemonkey worker`` (no periodic jobs: the test and the benchmark queue what they need)."""
        return self._start(f"worker-{len(self.processes)}", ["worker", "--workers", str(threads), "--no-periodic"])

    def tail(self, chars: int = 3000) -> str:
        """The end of every process's log, for a failure message."""
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-chars:]}" for path in self.logs)

    def stop(self) -> None:
        """Stop every process started here (SIGTERM to all at once, then SIGKILL to any left after 10 s)."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            stop_process(process)


class Http:
    """Calls to one process of the site as one client address (``X-Forwarded-For``, the site trusts it)."""

    def __init__(self, url: str, address: str | None = None):
        self.url = url
        self.session = requests.Session()
        if address:
            self.session.headers["X-Forwarded-For"] = address

    def call(self, method: str, path: str, token: str | None = None, status: int | None = 200,
             **kwargs: Any) -> Any:
        """Send a request; check the status (unless None) and answer the JSON body (None when empty)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = self.session.request(method, self.url + path, headers=headers, timeout=30, **kwargs)
        if status is not None and answer.status_code != status:
            raise AssertionError(f"{method} {path}: {answer.status_code} (wanted {status}): {answer.text[:500]}")
        return answer.json() if answer.content else None

    def new_client(self) -> str:
        """A new anonymous client's token."""
        return str(self.call("POST", "/api/v1/clients", status=201)["token"])

    def donate(self, token: str, data: bytes, labels: list[str]) -> dict[str, Any]:
        """Donate ``data`` with ``labels``; the Image JSON."""
        answer = self.call("POST", "/api/v1/images", token, status=201, data=[("label", label) for label in labels],
                           files={"image": ("picture.jpg", data, "image/jpeg")})
        return dict(answer["image"])


def wait_for(what: str, predicate: Callable[[], Any], timeout: float = 60.0, every: float = 0.2) -> Any:
    """Poll ``predicate`` until it answers something true (that value); TimeoutError naming ``what`` after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not after {timeout} s (last: {value!r})")
        time.sleep(every)
