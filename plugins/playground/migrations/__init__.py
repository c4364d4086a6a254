"""Alembic migrations of the playground plugin."""
