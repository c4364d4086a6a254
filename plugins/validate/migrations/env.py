"""Alembic environment of the validate plugin's migrations."""
from imagemonkey.db.migrate import run_env

run_env()
