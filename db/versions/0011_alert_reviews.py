"""Alert reviews (issue 17): the practitioner's "acted on" or "considered, no action, because …"
for an alert, signed, dated and append-only; and agency aliases, the names the practitioner said
are one agency. Branch ui-deliberate; renumber on merge if another
branch also adds 0006.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "this table is append-only; its rows cannot be changed or deleted"


def upgrade() -> None:
    op.create_table(
        "alert_review",
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "acted_on",
                "no_action",
                name="review_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_alert_review_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_review")),
    )
    op.create_index(op.f("ix_alert_review_child_id"), "alert_review", ["child_id"], unique=False)
    op.create_index(
        op.f("ix_alert_review_external_ref"), "alert_review", ["external_ref"], unique=False
    )
    op.create_table(
        "agency_alias",
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_alias")),
        sa.UniqueConstraint("alias", name=op.f("uq_agency_alias_alias")),
    )
    op.create_index(
        op.f("ix_agency_alias_external_ref"), "agency_alias", ["external_ref"], unique=False
    )
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER alert_review_no_{verb.lower()} BEFORE {verb} ON alert_review "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def downgrade() -> None:
    op.drop_table("agency_alias")
    op.drop_table("alert_review")
