"""Record seals: the append-only ledger of keyed fingerprints (practitioner_app/store/seals.py).

The table only: sealing the records already in a vault needs the audit key, which a migration does
not hold, so the unlock that ran this migration seals them (services/sealing.py) and records that
in the audit chain.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "this table is append-only; its rows cannot be changed or deleted"


def upgrade() -> None:
    op.create_table(
        "record_seal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("record_table", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_seal")),
    )
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER record_seal_no_{verb.lower()} BEFORE {verb} ON record_seal "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def downgrade() -> None:
    op.drop_table("record_seal")
