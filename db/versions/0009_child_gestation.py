"""Gestation at birth on the child (weeks + days), so the growth chart corrects a premature baby's
age as DOMAIN.md says (nullable: children recorded before it have none, and the chart then uses
chronological age); and a partial index of the observations that carry a weight.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of `child` would have to rebuild every table that points
    # at it, and adding nullable columns needs none.
    op.add_column("child", sa.Column("gestation_weeks", sa.Integer(), nullable=True))
    op.add_column("child", sa.Column("gestation_days", sa.Integer(), nullable=True))
    # FALTERING_GROWTH reads every child's weights at unlock: from the index alone.
    op.create_index(
        "ix_observation_weights",
        "observation",
        ["child_id", "id", "occurred_at", "weight_kg", "length_cm", "status"],
        sqlite_where=sa.text("weight_kg IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_observation_weights", table_name="observation")
    # SQLite's own DROP COLUMN: a batch rebuild of `child` fails on the tables that point at it.
    op.execute("ALTER TABLE child DROP COLUMN gestation_days")
    op.execute("ALTER TABLE child DROP COLUMN gestation_weeks")
