"""Provenance and identity of records that move between vaults (bundle format 2).

Every attributed table gains whether its author is known and where an imported record came from;
entries, status changes and amendments gain whether their recorded-at is known. Changes that a
bundle brings to a child, a household member or a professional are kept, both values, in the new
append-only table record_revision.

Plain ALTER TABLE ADD COLUMN, not batch mode: recreating the tables would drop their integrity
triggers (as in 0002). Existing rows were written in this vault, so their author and recorded-at
are known (the server default).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRY_TABLES = ("visit", "observation", "concern", "chronology_event", "referral", "sharing_record")
ATTRIBUTED_TABLES = (
    *ENTRY_TABLES,
    "child",
    "household_member",
    "professional",
    "concern_status_change",
    "amendment",
    "chronology_choice",
)
RECORDED_AT_TABLES = (*ENTRY_TABLES, "concern_status_change", "amendment")
APPEND_ONLY = "this table is append-only; its rows cannot be changed or deleted"


def upgrade() -> None:
    for table in ATTRIBUTED_TABLES:
        op.add_column(
            table,
            sa.Column("author_known", sa.Boolean(), server_default=sa.true(), nullable=False),
        )
        op.add_column(table, sa.Column("origin_vault", sa.String(length=36), nullable=True))
        op.add_column(table, sa.Column("imported_at", sa.DateTime(), nullable=True))
        op.add_column(table, sa.Column("imported_by", sa.Text(), nullable=True))
        op.add_column(table, sa.Column("imported_from", sa.Text(), nullable=True))
    for table in RECORDED_AT_TABLES:
        op.add_column(
            table,
            sa.Column("recorded_at_known", sa.Boolean(), server_default=sa.true(), nullable=False),
        )
    op.create_table(
        "record_revision",
        sa.Column("record_table", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old_value", sa.JSON(), nullable=True),
        sa.Column("new_value", sa.JSON(), nullable=True),
        sa.Column("revised_at", sa.DateTime(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.Column("author_known", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("origin_vault", sa.String(length=36), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=True),
        sa.Column("imported_by", sa.Text(), nullable=True),
        sa.Column("imported_from", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_revision")),
    )
    op.create_index(
        "ix_record_revision_record", "record_revision", ["record_table", "record_id"], unique=False
    )
    op.create_index(
        op.f("ix_record_revision_external_ref"), "record_revision", ["external_ref"], unique=False
    )
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER record_revision_no_{verb.lower()} BEFORE {verb} ON record_revision "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def downgrade() -> None:
    op.drop_table("record_revision")
    for table in RECORDED_AT_TABLES:
        op.drop_column(table, "recorded_at_known")
    for table in ATTRIBUTED_TABLES:
        for column in (
            "imported_from",
            "imported_by",
            "imported_at",
            "origin_vault",
            "author_known",
        ):
            op.drop_column(table, column)
