"""Alembic migrations of the annotate plugin."""
