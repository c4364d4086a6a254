"""``imagemonkey plugin new NAME``: write a working plugin distribution from the template in ``plugin_template/``.

The template's files are package data (``*.tmpl``); ``@@plugin@@``, ``@@package@@``, ``@@distribution@@`` and
``@@revision@@`` in them become the plugin's name, its package, its distribution and a fresh Alembic revision id.
"""
from __future__ import annotations

import re
import secrets
from importlib.resources import files
from pathlib import Path

PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,19}$")  # 20 at most: fk_<name>_note_contributor_id_... fits 63

#: Where each template file goes in the new distribution (``{package}`` is the plugin's package).
LAYOUT = {
    "pyproject.toml": "pyproject.toml",
    "README.md": "README.md",
    "init.py": "{package}/__init__.py",
    "models.py": "{package}/models.py",
    "views.py": "{package}/views.py",
    "hooks.py": "{package}/hooks.py",
    "panel.jinja2": "{package}/templates/panel.jinja2",
    "env.py": "{package}/migrations/env.py",
    "script.py.mako": "{package}/migrations/script.py.mako",
    "first_revision.py": "{package}/migrations/versions/{revision}_{plugin}_tables.py",
    "test_plugin.py": "tests/test_{plugin}.py",
}
EMPTY_MODULES = ("{package}/migrations/__init__.py", "{package}/migrations/versions/__init__.py")


def check_name(name: str, installed: set[str]) -> None:
    """ValueError unless ``name`` is a new plugin's name: lower-case letters, digits and ``_``, not installed."""
    if not PLUGIN_NAME.match(name):
        raise ValueError(f"plugin name {name!r} must be 1 to 20 lower-case letters, digits or _, starting with a "
                         "letter (it prefixes the plugin's tables, settings and routes)")
    if name in installed or name == "core":
        raise ValueError(f"a plugin named {name!r} is already installed")


def new_plugin(name: str, directory: Path, installed: set[str]) -> list[Path]:
    """Write plugin ``name``'s distribution into ``directory`` (new or empty); returns the files written."""
    check_name(name, installed)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ValueError(f"{directory} exists and is not an empty folder")
    values = {"plugin": name, "package": f"imagemonkey_{name}", "distribution": f"imagemonkey-{name.replace('_', '-')}",
              "revision": secrets.token_hex(6)}
    template = files("imagemonkey") / "plugin_template"
    written = []
    for source, target in LAYOUT.items():
        text = (template / f"{source}.tmpl").read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(f"@@{key}@@", value)
        written.append(_write(directory / target.format(**values), text))
    for target in EMPTY_MODULES:
        written.append(_write(directory / target.format(**values), ""))
    return written


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
