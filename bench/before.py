"""Run a benchmark's server on an older commit's code: ``imagemonkey`` and its plugins from ``git archive``.

The editable install maps the import names to this checkout's folders; a folder of symlinks named after the
import names, put first on ``PYTHONPATH`` of the server's process, makes that process import the old code
instead (the installed entry points name modules, so plugins resolve the same way).
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common import ROOT

#: Import names and the folders that hold them.
PACKAGES = {"imagemonkey": "core", "imagemonkey_playground": "plugins/playground"}


def old_code(commit: str, folder: Path) -> Path:
    """A folder to put first on PYTHONPATH so that core and the playground are ``commit``'s."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, *PACKAGES.values()],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    packages = folder / "packages"
    packages.mkdir()
    for name, source in PACKAGES.items():
        (packages / name).symlink_to(folder / source)
    return packages


@contextmanager
def python_path(path: Path | None) -> Iterator[None]:
    """Servers started in the block import from ``path`` first (None: this checkout)."""
    saved = os.environ.pop("PYTHONPATH", None)
    if path is not None:
        os.environ["PYTHONPATH"] = str(path)
    try:
        yield
    finally:
        os.environ.pop("PYTHONPATH", None)
        if saved is not None:
            os.environ["PYTHONPATH"] = saved
