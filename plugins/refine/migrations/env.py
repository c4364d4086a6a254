"""Alembic environment of the refine plugin's migrations."""
from imagemonkey.plugin import run_migrations_env

run_migrations_env()
