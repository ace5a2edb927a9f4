"""Repositories: one per aggregate, given a Session by a service's unit of work and never committing.

Their queries are portable SQLAlchemy Core/ORM (they will run unchanged on the team server's
PostgreSQL, SYNC.md); the one SQLite-only query, full-text search over FTS5, is kept apart in
`search_sqlite.py`.

children (ChildRepository, PractitionerRepository) · linked_people (HouseholdRepository and
ProfessionalRepository, one shape) · entries (one repository per entry kind, EntryTotals) ·
concerns · amendments · chronology_choices · alert_facts (AlertFactsRepository) · audit_log ·
search_sqlite (FullTextSearchRepository) · generic (Repository, NamedRow).
"""
