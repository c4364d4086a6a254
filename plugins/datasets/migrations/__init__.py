"""Alembic migrations of the datasets plugin."""
