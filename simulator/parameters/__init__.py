"""Parameters: the typed schema and scenario files."""
