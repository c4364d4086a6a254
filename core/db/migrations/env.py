"""Alembic environment of core's migrations."""
from imagemonkey.db.migrate import run_env

run_env()
