"""Alembic environment of the validate plugin's migrations."""
from imagemonkey.plugin import run_migrations_env

run_migrations_env()
