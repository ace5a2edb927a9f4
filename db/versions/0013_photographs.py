"""Photographs (issue 20 item 5): the photograph records, their bytes in chunks (encrypted with the
vault, never a file), and the vault's own settings, where "photographs allowed" lives. Branch
h20photo; renumber on merge if another branch also adds this revision.

The triggers are those of store/integrity.py `_photograph_statements`, written out: a migration
must say what it did then, not what the code says now. A table that may own photographs added
later (a body-map mark) recreates `photograph_final_no_insert` in its own migration.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FINAL = "final entry cannot be changed or deleted; record an amendment instead"
_RAISE = f"BEGIN SELECT RAISE(ABORT, '{FINAL}'); END"
_CHUNK_FINAL = "(SELECT status FROM photograph WHERE id = {row}.photograph_id) = 'final'"
TRIGGERS = [
    "CREATE TRIGGER photograph_final_no_update BEFORE UPDATE ON photograph "
    f"WHEN OLD.status = 'final' {_RAISE}",
    "CREATE TRIGGER photograph_final_no_delete BEFORE DELETE ON photograph "
    f"WHEN OLD.status = 'final' {_RAISE}",
    "CREATE TRIGGER photograph_final_no_insert BEFORE INSERT ON photograph "
    "WHEN (NEW.owner_kind = 'observation' AND (SELECT status FROM observation "
    f"WHERE id = NEW.owner_id) = 'final') {_RAISE}",
    "CREATE TRIGGER photograph_chunk_final_no_insert BEFORE INSERT ON photograph_chunk "
    f"WHEN {_CHUNK_FINAL.format(row='NEW')} {_RAISE}",
    "CREATE TRIGGER photograph_chunk_final_no_update BEFORE UPDATE ON photograph_chunk "
    f"WHEN {_CHUNK_FINAL.format(row='OLD')} {_RAISE}",
    "CREATE TRIGGER photograph_chunk_final_no_delete BEFORE DELETE ON photograph_chunk "
    f"WHEN {_CHUNK_FINAL.format(row='OLD')} {_RAISE}",
]


def _attributed() -> list[sa.Column[object]]:
    return [
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
    ]


def upgrade() -> None:
    op.create_table(
        "photograph",
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("owner_kind", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "final",
                name="entry_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("media_type", sa.String(length=20), nullable=False),
        sa.Column("byte_count", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("captured_at", sa.DateTime(), nullable=True),
        sa.Column("attached_at", sa.DateTime(), nullable=False),
        sa.Column("location_removed", sa.Boolean(), nullable=False),
        sa.Column("device_removed", sa.Boolean(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        *_attributed(),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_photograph_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photograph")),
    )
    op.create_index(op.f("ix_photograph_child_id"), "photograph", ["child_id"], unique=False)
    op.create_index(op.f("ix_photograph_owner_id"), "photograph", ["owner_id"], unique=False)
    op.create_index(
        op.f("ix_photograph_external_ref"), "photograph", ["external_ref"], unique=False
    )
    op.create_table(
        "photograph_chunk",
        sa.Column("photograph_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["photograph_id"],
            ["photograph.id"],
            name=op.f("fk_photograph_chunk_photograph_id_photograph"),
        ),
        sa.PrimaryKeyConstraint("photograph_id", "seq", name=op.f("pk_photograph_chunk")),
    )
    op.create_table(
        "vault_setting",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        *_attributed(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_setting")),
        sa.UniqueConstraint("name", name=op.f("uq_vault_setting_name")),
    )
    op.create_index(
        op.f("ix_vault_setting_external_ref"), "vault_setting", ["external_ref"], unique=False
    )
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("vault_setting")
    op.drop_table("photograph_chunk")
    op.drop_table("photograph")
