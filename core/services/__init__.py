"""Domain services shared by views, hooks and the CLI."""
