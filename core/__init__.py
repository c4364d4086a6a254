"""ImageMonkey: a crowdsourced, open image dataset (the Pyramid core)."""
from __future__ import annotations

from typing import Any

from .version import __version__

__all__ = ["main", "__version__"]


def main(global_config: dict[str, Any], **settings: Any) -> Any:
    """PasteDeploy entry point (``use = egg:imagemonkey``)."""
    from .app import make_app
    from .settings import DEFAULT_DATA_DIR

    if "here" in global_config:
        settings.setdefault("imagemonkey.data_dir", f"{global_config['here']}/{DEFAULT_DATA_DIR}")
    return make_app(settings)
