"""Storage: SQLAlchemy models, repositories (given a Session, never committing), the audit chain."""
