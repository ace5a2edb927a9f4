"""Use cases: one unit of work per practitioner action, returning plain frozen data."""
