"""Pure rules of the practice domain: no Qt, no database, no files."""
