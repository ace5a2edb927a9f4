"""A chronology choice put back to the rule keeps its row with `significant` NULL, so that going
back to the rule is a change that travels in a bundle like any other choice (a deleted row would
leave the receiving vault with the old choice).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite cannot relax NOT NULL in place: batch mode copies the table. chronology_choice has
    # no triggers (a choice is not evidence), so the copy loses nothing.
    with op.batch_alter_table("chronology_choice", schema=None) as batch_op:
        batch_op.alter_column("significant", existing_type=sa.Boolean(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM chronology_choice WHERE significant IS NULL")
    with op.batch_alter_table("chronology_choice", schema=None) as batch_op:
        batch_op.alter_column("significant", existing_type=sa.Boolean(), nullable=False)
