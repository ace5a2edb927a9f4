"""A share knows which form went, and which version of it (issue 17, "a share is a share"): the
Forms list names who each copy of each form went to from the sharing log, not the addressee
written on the form. Both nullable: a share made by phone, or of a chronology, names no form, and
shares logged before this revision keep only their words ("..., DRAFT version (PDF)").

Branch h17b; renumber on merge if another branch also adds a revision after 0011.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs: nullable, so no batch rebuild of a table that others point at, and the
    # seals of existing rows (which leave NULL columns out) stay as they were.
    op.add_column("sharing_record", sa.Column("referral_id", sa.String(length=36), nullable=True))
    op.add_column("sharing_record", sa.Column("form_final", sa.Boolean(), nullable=True))
    op.create_index("ix_sharing_record_referral_id", "sharing_record", ["referral_id"])


def downgrade() -> None:
    op.drop_index("ix_sharing_record_referral_id", table_name="sharing_record")
    op.execute("ALTER TABLE sharing_record DROP COLUMN form_final")
    op.execute("ALTER TABLE sharing_record DROP COLUMN referral_id")
