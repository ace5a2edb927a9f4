"""Entry fingerprints: each final entry keeps the SHA-256 of its content, checked by `verify`.

Plain ALTER TABLE ADD COLUMN, not batch mode: recreating the tables would drop their integrity
triggers. Entries finalised before this revision keep their fingerprint in the audit chain only.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRY_TABLES = ("visit", "observation", "concern", "chronology_event", "referral", "sharing_record")


def upgrade() -> None:
    for table in ENTRY_TABLES:
        op.add_column(table, sa.Column("content_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    for table in ENTRY_TABLES:
        op.drop_column(table, "content_sha256")
