"""Indexes of the agencies as written (concern and event sources, the author's agency of visits,
observations and referrals): the alert evidence names each agency as first spelled in the vault,
and without them every child opened read every entry table (0.9 s on the 400-child workload).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AGENCY_COLUMNS = {
    "concern": "source",
    "chronology_event": "source",
    "visit": "author_agency",
    "observation": "author_agency",
    "referral": "author_agency",
}


def upgrade() -> None:
    for table, column in AGENCY_COLUMNS.items():
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade() -> None:
    for table, column in AGENCY_COLUMNS.items():
        op.drop_index(f"ix_{table}_{column}", table_name=table)
