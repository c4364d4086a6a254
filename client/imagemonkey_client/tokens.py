"""Anonymous client tokens kept per server URL in the user's config dir (``$XDG_CONFIG_HOME/imagemonkey-client``)."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from platformdirs import user_config_dir

APP_NAME = "imagemonkey-client"


def default_path() -> Path:
    """``tokens.json`` in the user's config dir (platformdirs: honours ``XDG_CONFIG_HOME`` on Linux)."""
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "tokens.json"


def server_key(url: str) -> str:
    """The key a server's token is kept under: its URL without a trailing slash."""
    return url.rstrip("/")


class TokenStore:
    """A JSON file ``{server_url: token}``, readable by its owner only, replaced atomically on every change."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    def _read(self) -> dict[str, str]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return {str(k): str(v) for k, v in document.items()} if isinstance(document, dict) else {}

    def get(self, url: str) -> str | None:
        """The token kept for the server at ``url``, if any."""
        return self._read().get(server_key(url))

    def put(self, url: str, token: str | None) -> None:
        """Keep ``token`` for the server at ``url`` (None forgets it)."""
        tokens = self._read()
        if token is None:
            tokens.pop(server_key(url), None)
        else:
            tokens[server_key(url)] = token
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(tokens, out, indent=2, sort_keys=True)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
