"""Chronology choices: the practitioner marks derived entries significant or not for the chronology.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chronology_choice",
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("significant", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_chronology_choice_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chronology_choice")),
        sa.UniqueConstraint("record_id", name=op.f("uq_chronology_choice_record_id")),
    )
    with op.batch_alter_table("chronology_choice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chronology_choice_child_id"), ["child_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_chronology_choice_external_ref"), ["external_ref"], unique=False
        )


def downgrade() -> None:
    op.drop_table("chronology_choice")
