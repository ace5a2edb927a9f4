"""Indexes for the caseload read at every unlock: partial indexes of draft entries (each child's
drafts are a handful among tens of thousands of final entries), and covering indexes for "last
seen", open concerns by level and each concern's latest status, so none of them reads the
entries' text.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Entry table → the column its draft index is keyed by (the child where the entry names one).
DRAFT_INDEXES = {
    "visit": "id",
    "observation": "child_id",
    "concern": "child_id",
    "chronology_event": "child_id",
    "referral": "id",
    "sharing_record": "id",
}


SUMMARY_INDEXES = {
    "ix_visit_seen": ("visit", ["outcome", "child_seen", "id", "occurred_at"]),
    "ix_concern_summary": ("concern", ["child_id", "level", "concern_status", "id"]),
    "ix_concern_status_change_latest": (
        "concern_status_change",
        ["concern_id", "changed_at", "recorded_at", "new_status"],
    ),
}


def upgrade() -> None:
    for name, (table, columns) in SUMMARY_INDEXES.items():
        op.create_index(name, table, columns, unique=False)
    for table, column in DRAFT_INDEXES.items():
        op.create_index(
            f"ix_{table}_drafts",
            table,
            [column],
            unique=False,
            sqlite_where=sa.text("status = 'draft'"),
        )


def downgrade() -> None:
    for name, (table, _) in SUMMARY_INDEXES.items():
        op.drop_index(name, table_name=table)
    for table in DRAFT_INDEXES:
        op.drop_index(f"ix_{table}_drafts", table_name=table)
