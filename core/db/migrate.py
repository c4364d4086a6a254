"""Alembic per owner: core and each plugin have their own lineage and version table.

A plugin ships migrations by having a ``migrations/`` package folder with an ``env.py``
that calls :func:`run_env`; ``imagemonkey db upgrade`` migrates core, then each enabled
plugin in the order of ``imagemonkey.plugins``.
"""
from __future__ import annotations

from importlib import import_module
from importlib.resources import files
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Engine

from .meta import Base, is_search_object, owner_of


def version_table(owner: str) -> str:
    """The Alembic version table of ``owner``."""
    return f"alembic_version_{owner}"


def plugin_package(owner: str) -> str | None:
    """The module of plugin ``owner``'s entry point (its ``migrations/`` folder lives next to it), or None.

    None means the plugin is not installed; loading it then fails with the list of installed ones.
    """
    from ..plugins import plugin_module_name

    return plugin_module_name(owner)


def script_location(owner: str) -> str | None:
    """Where ``owner``'s migrations live, or None when it has none."""
    package = "imagemonkey.db" if owner == "core" else plugin_package(owner)
    if package is None:
        return None
    try:
        root = files(package) / "migrations"
    except ModuleNotFoundError:
        return None
    return str(root) if root.joinpath("env.py").is_file() else None


def alembic_config(engine: Engine, owner: str) -> Config | None:
    """An Alembic config bound to ``engine`` for ``owner``'s lineage, or None if it has no migrations."""
    location = script_location(owner)
    if location is None:
        return None
    if owner != "core":
        import_module(plugin_package(owner) or "")
    config = Config()
    config.set_main_option("script_location", location)
    config.attributes["owner"] = owner
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, plugins: list[str]) -> list[str]:
    """Migrate core, then each plugin, to head; returns the owners migrated."""
    import imagemonkey.models  # noqa: F401  (registers core tables on the metadata)

    migrated = []
    for owner in ["core", *plugins]:
        config = alembic_config(engine, owner)
        if config is not None:
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            migrated.append(owner)
    return migrated


def include_owner(owner: str) -> Any:
    """An ``include_object`` filter that keeps only ``owner``'s tables."""
    def include(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
        if is_search_object(name):
            return False
        if type_ == "table":
            table = obj if not reflected else compare_to
            if table is None:
                return (name or "").startswith(f"{owner}_") if owner != "core" else not name.startswith("alembic")
            return owner_of(table) == owner
        return True
    return include


def run_env() -> None:
    """The body of every owner's ``env.py``: online migrations on the given connection."""
    import imagemonkey.models  # noqa: F401

    config = context.config
    owner = config.attributes["owner"]
    connection = config.attributes.get("connection")
    if connection is None:
        with config.attributes["engine"].begin() as connection:
            _configure_and_run(connection, owner)
    else:
        _configure_and_run(connection, owner)


def render_plugin_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Autogenerate writes core's column types of a plugin's tables as ``imagemonkey.plugin`` names."""
    from ..models.types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("import imagemonkey.plugin")
        return f"imagemonkey.plugin.UTCDateTime(timezone={obj.impl.timezone!r})"
    return False


def _configure_and_run(connection: Any, owner: str) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, version_table=version_table(owner),
                      include_object=include_owner(owner), render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True, render_item=render_plugin_item if owner != "core" else None)
    with context.begin_transaction():
        context.run_migrations()


def new_revision(engine: Engine, owner: str, message: str, *, autogenerate: bool = False) -> str:
    """Write a revision on top of ``owner``'s lineage (a plugin's own ``migrations/versions/``); returns its path.

    The revision id is 12 random hex digits. With ``autogenerate`` the plugin's tables on the metadata are compared
    with the database behind ``engine``, which must be at the head of that lineage (``imagemonkey db upgrade``).
    """
    import secrets

    from alembic.util import CommandError

    config = alembic_config(engine, owner)
    if config is None:
        raise ValueError(f"plugin {owner!r} has no migrations/ folder with an env.py next to its module")
    if autogenerate:
        _check_at_head(engine, config, owner)
    try:
        script = command.revision(config, message=message, autogenerate=autogenerate, rev_id=secrets.token_hex(6))
    except CommandError as error:  # several heads, a bad message: a readable error, not a traceback
        raise ValueError(str(error)) from None
    return script.path  # one script: the lineage has one head


def _check_at_head(engine: Engine, config: Config, owner: str) -> None:
    """ValueError unless the database behind ``engine`` can be opened and ``owner``'s lineage is at its head."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy.exc import OperationalError

    heads = set(ScriptDirectory.from_config(config).get_heads())
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(
                connection, opts={"version_table": version_table(owner)}).get_current_heads())
    except OperationalError as error:
        raise ValueError(f"cannot open the database to compare with: {error.orig}") from None
    if current != heads:
        raise ValueError(f"the database is at {sorted(current) or 'no revision'} of {owner!r}, its lineage's head is "
                         f"{sorted(heads)}: run `imagemonkey db upgrade` with the plugin enabled first")
