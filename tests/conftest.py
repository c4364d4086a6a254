"""Shared test setup: the fixtures plugin authors use too."""
pytest_plugins = ["imagemonkey.testing"]
