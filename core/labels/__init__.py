"""The label catalog (JSON files in a directory) and label suggestions."""
