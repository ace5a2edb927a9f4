"""Body map marks (issue 20): a mark on the body map of an occasion, an entry like the others
(draft, final, amended; sealed; in the note search), with the triggers that keep a final mark as
it was and the search index in step. Renumber on merge if another branch also adds 0012.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import practitioner_app.store.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As store/integrity.py and store/search.py write them for this table, frozen here.
TRIGGERS = [
    "CREATE TRIGGER body_mark_final_no_update BEFORE UPDATE ON body_mark WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER body_mark_final_no_delete BEFORE DELETE ON body_mark WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER body_mark_search_insert AFTER INSERT ON body_mark BEGIN INSERT INTO search_row (kind, record_id) VALUES ('body_mark', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'body_mark' AND record_id = NEW.id), coalesce(NEW.description, '') || ' ' || coalesce(NEW.shape, '') || ' ' || coalesce(NEW.colours, '') || ' ' || coalesce(NEW.explanation_given, '') || ' ' || coalesce(NEW.explanation_by, '') || ' ' || coalesce(NEW.seen_by, '')); END",
    "CREATE TRIGGER body_mark_search_update AFTER UPDATE OF description, shape, colours, explanation_given, explanation_by, seen_by ON body_mark BEGIN UPDATE search_index SET body = coalesce(NEW.description, '') || ' ' || coalesce(NEW.shape, '') || ' ' || coalesce(NEW.colours, '') || ' ' || coalesce(NEW.explanation_given, '') || ' ' || coalesce(NEW.explanation_by, '') || ' ' || coalesce(NEW.seen_by, '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'body_mark' AND record_id = NEW.id); END",
    "CREATE TRIGGER body_mark_search_delete AFTER DELETE ON body_mark BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'body_mark' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'body_mark' AND record_id = OLD.id; END",
]


# A photograph may belong to a mark as to an observation (0013): none is added to a final one.
_PHOTOGRAPH_RAISE = (
    "BEGIN SELECT RAISE(ABORT, "
    "'final entry cannot be changed or deleted; record an amendment instead'); END"
)


def _photograph_final_no_insert(owners: tuple[str, ...]) -> str:
    owner_final = " OR ".join(
        f"(NEW.owner_kind = '{owner}' AND (SELECT status FROM {owner} WHERE id = NEW.owner_id) "
        "= 'final')"
        for owner in owners
    )
    return (
        "CREATE TRIGGER photograph_final_no_insert BEFORE INSERT ON photograph "
        f"WHEN {owner_final} {_PHOTOGRAPH_RAISE}"
    )


def upgrade() -> None:
    op.create_table(
        "body_mark",
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("observation_id", sa.String(length=36), nullable=False),
        sa.Column(
            "figure",
            sa.Enum(
                "infant",
                "child",
                name="body_figure",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "side",
            sa.Enum(
                "front",
                "back",
                name="body_side",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("x", sa.Double(), nullable=False),
        sa.Column("y", sa.Double(), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column(
            "mark_kind",
            sa.Enum(
                "injury",
                "birthmark",
                "skin_condition",
                "other",
                name="mark_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("length_cm", sa.Double(), nullable=True),
        sa.Column("width_cm", sa.Double(), nullable=True),
        sa.Column("shape", sa.Text(), nullable=True),
        sa.Column("colours", sa.Text(), nullable=True),
        sa.Column("skin_broken", sa.Boolean(), nullable=True),
        sa.Column("swelling", sa.Boolean(), nullable=True),
        sa.Column("explanation_given", sa.Text(), nullable=True),
        sa.Column("explanation_by", sa.Text(), nullable=True),
        sa.Column("consistent_with_explanation", sa.Boolean(), nullable=True),
        sa.Column("seen_by", sa.Text(), nullable=True),
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
        sa.Column("occurred_at", practitioner_app.store.base.UTCDateTime(), nullable=False),
        sa.Column("time_known", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", practitioner_app.store.base.UTCDateTime(), nullable=False),
        sa.Column("recorded_at_known", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("finalised_at", practitioner_app.store.base.UTCDateTime(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", practitioner_app.store.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", practitioner_app.store.base.UTCDateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.Column("author_known", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("origin_vault", sa.String(length=36), nullable=True),
        sa.Column("imported_at", practitioner_app.store.base.UTCDateTime(), nullable=True),
        sa.Column("imported_by", sa.Text(), nullable=True),
        sa.Column("imported_from", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_body_mark_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observation.id"],
            name=op.f("fk_body_mark_observation_id_observation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body_mark")),
    )
    with op.batch_alter_table("body_mark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_body_mark_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            "ix_body_mark_drafts",
            ["child_id"],
            unique=False,
            sqlite_where=sa.text("status = 'draft'"),
        )
        batch_op.create_index(
            batch_op.f("ix_body_mark_external_ref"), ["external_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_body_mark_observation_id"), ["observation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_body_mark_occurred_at"), ["occurred_at"], unique=False)

    for statement in TRIGGERS:
        op.execute(statement)
    op.execute("DROP TRIGGER IF EXISTS photograph_final_no_insert")
    op.execute(_photograph_final_no_insert(("observation", "body_mark")))


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS photograph_final_no_insert")
    op.execute(_photograph_final_no_insert(("observation",)))
    with op.batch_alter_table("body_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_body_mark_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_body_mark_observation_id"))
        batch_op.drop_index(batch_op.f("ix_body_mark_external_ref"))
        batch_op.drop_index("ix_body_mark_drafts", sqlite_where=sa.text("status = 'draft'"))
        batch_op.drop_index(batch_op.f("ix_body_mark_child_id"))

    op.execute(
        "DELETE FROM search_index WHERE rowid IN (SELECT id FROM search_row WHERE kind = 'body_mark')"
    )
    op.execute("DELETE FROM search_row WHERE kind = 'body_mark'")
    op.drop_table("body_mark")
