"""TEMPORARY (playground branch): the subset of issue 10's ``imagemonkey.plugin`` that the playground uses, as plain
re-exports of existing core objects, so the plugin can be written against the contract before the platform lands.
When main has the platform's ``core/plugin.py`` this file is replaced by it (take main's version on merge).
"""
from imagemonkey.db.meta import Base
from imagemonkey.db.migrate import run_env as run_migrations_env
from imagemonkey.models import Image, ImageLabel
from imagemonkey.models.types import UTCDateTime, isoformat, utcnow
from imagemonkey.scripting import app_request

__all__ = ["Base", "Image", "ImageLabel", "UTCDateTime", "app_request", "isoformat", "run_migrations_env", "utcnow"]
