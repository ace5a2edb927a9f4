"""The whole child (issue 17 item 5): the child's preferred way of communicating (BSL, Makaton...)
and the dates of a non-mobile period (babies become mobile, so an injury is judged by the child's
mobility on its own date); household members' phone numbers and address, for the family's
contact details on a referral; and the child's names in the full-text index, so a search for an
other name or a preferred name finds the child. Renumber on merge if another branch adds one.

Nullable columns only: children and people recorded before keep their seals (a column added with
NULL leaves a row's seal as it was, store/seals.py). SQL as of this revision; the rules live in
practitioner_app/store/search.py.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = [
    "CREATE TRIGGER child_search_insert AFTER INSERT ON child BEGIN INSERT INTO search_row (kind, record_id) VALUES ('child', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'child' AND record_id = NEW.id), coalesce(NEW.given_name, '') || ' ' || coalesce(NEW.family_name, '') || ' ' || coalesce(NEW.preferred_name, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.other_names)), '')); END",
    "CREATE TRIGGER child_search_update AFTER UPDATE OF given_name, family_name, preferred_name, other_names ON child BEGIN UPDATE search_index SET body = coalesce(NEW.given_name, '') || ' ' || coalesce(NEW.family_name, '') || ' ' || coalesce(NEW.preferred_name, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.other_names)), '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'child' AND record_id = NEW.id); END",
    "CREATE TRIGGER child_search_delete AFTER DELETE ON child BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'child' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'child' AND record_id = OLD.id; END",
]

BACKFILL = [
    "INSERT INTO search_row (kind, record_id) SELECT 'child', id FROM child",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.given_name, '') || ' ' || coalesce(R.family_name, '') || ' ' || coalesce(R.preferred_name, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(R.other_names)), '') FROM child AS R JOIN search_row AS s ON s.kind = 'child' AND s.record_id = R.id",
]


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of `child` would have to rebuild every table pointing at it.
    op.add_column("child", sa.Column("communication", sa.Text(), nullable=True))
    op.add_column("child", sa.Column("non_mobile_from", sa.Date(), nullable=True))
    op.add_column("child", sa.Column("mobile_since", sa.Date(), nullable=True))
    op.add_column("household_member", sa.Column("phone", sa.Text(), nullable=True))
    op.add_column("household_member", sa.Column("address", sa.Text(), nullable=True))
    for statement in TRIGGERS + BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    op.execute(
        "DELETE FROM search_index WHERE rowid IN (SELECT id FROM search_row WHERE kind = 'child')"
    )
    op.execute("DELETE FROM search_row WHERE kind = 'child'")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER child_search_{event}")
    # SQLite's own DROP COLUMN: a batch rebuild of `child` fails on the tables that point at it.
    for table, column in (
        ("household_member", "address"),
        ("household_member", "phone"),
        ("child", "mobile_since"),
        ("child", "non_mobile_from"),
        ("child", "communication"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
