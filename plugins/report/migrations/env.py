"""Alembic environment of the report plugin's migrations."""
from imagemonkey.plugin import run_migrations_env

run_migrations_env()
