"""Full-text search: an FTS5 index of every narrative field, kept in step by triggers.

The FTS rows are keyed by search_row.id (not the source tables' implicit rowids, which VACUUM may
renumber). Existing records are indexed by the backfill. SQL as of this revision; the rules live in
practitioner_app/store/search.py.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CREATE_INDEX = (
    "CREATE VIRTUAL TABLE search_index USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"
)

TRIGGERS = [
    "CREATE TRIGGER visit_search_insert AFTER INSERT ON visit BEGIN INSERT INTO search_row (kind, record_id) VALUES ('visit', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'visit' AND record_id = NEW.id), coalesce(NEW.notes, '') || ' ' || coalesce(NEW.child_voice, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.present)), '')); END",
    "CREATE TRIGGER visit_search_update AFTER UPDATE OF notes, child_voice, present ON visit BEGIN UPDATE search_index SET body = coalesce(NEW.notes, '') || ' ' || coalesce(NEW.child_voice, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.present)), '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'visit' AND record_id = NEW.id); END",
    "CREATE TRIGGER visit_search_delete AFTER DELETE ON visit BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'visit' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'visit' AND record_id = OLD.id; END",
    "CREATE TRIGGER observation_search_insert AFTER INSERT ON observation BEGIN INSERT INTO search_row (kind, record_id) VALUES ('observation', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'observation' AND record_id = NEW.id), coalesce(NEW.text, '')); END",
    "CREATE TRIGGER observation_search_update AFTER UPDATE OF text ON observation BEGIN UPDATE search_index SET body = coalesce(NEW.text, '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'observation' AND record_id = NEW.id); END",
    "CREATE TRIGGER observation_search_delete AFTER DELETE ON observation BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'observation' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'observation' AND record_id = OLD.id; END",
    "CREATE TRIGGER injury_search_insert AFTER INSERT ON injury BEGIN INSERT INTO search_row (kind, record_id) VALUES ('injury', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'injury' AND record_id = NEW.id), coalesce(NEW.description, '') || ' ' || coalesce(NEW.explanation_given, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.body_regions)), '')); END",
    "CREATE TRIGGER injury_search_update AFTER UPDATE OF description, explanation_given, body_regions ON injury BEGIN UPDATE search_index SET body = coalesce(NEW.description, '') || ' ' || coalesce(NEW.explanation_given, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.body_regions)), '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'injury' AND record_id = NEW.id); END",
    "CREATE TRIGGER injury_search_delete AFTER DELETE ON injury BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'injury' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'injury' AND record_id = OLD.id; END",
    "CREATE TRIGGER concern_search_insert AFTER INSERT ON concern BEGIN INSERT INTO search_row (kind, record_id) VALUES ('concern', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'concern' AND record_id = NEW.id), coalesce(NEW.source, '') || ' ' || coalesce(NEW.summary, '') || ' ' || coalesce(NEW.details, '') || ' ' || coalesce(NEW.outcome, '')); END",
    "CREATE TRIGGER concern_search_update AFTER UPDATE OF source, summary, details, outcome ON concern BEGIN UPDATE search_index SET body = coalesce(NEW.source, '') || ' ' || coalesce(NEW.summary, '') || ' ' || coalesce(NEW.details, '') || ' ' || coalesce(NEW.outcome, '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'concern' AND record_id = NEW.id); END",
    "CREATE TRIGGER concern_search_delete AFTER DELETE ON concern BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'concern' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'concern' AND record_id = OLD.id; END",
    "CREATE TRIGGER chronology_event_search_insert AFTER INSERT ON chronology_event BEGIN INSERT INTO search_row (kind, record_id) VALUES ('chronology_event', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'chronology_event' AND record_id = NEW.id), coalesce(NEW.source, '') || ' ' || coalesce(NEW.event, '') || ' ' || coalesce(NEW.impact_on_child, '') || ' ' || coalesce(NEW.action, '')); END",
    "CREATE TRIGGER chronology_event_search_update AFTER UPDATE OF source, event, impact_on_child, action ON chronology_event BEGIN UPDATE search_index SET body = coalesce(NEW.source, '') || ' ' || coalesce(NEW.event, '') || ' ' || coalesce(NEW.impact_on_child, '') || ' ' || coalesce(NEW.action, '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'chronology_event' AND record_id = NEW.id); END",
    "CREATE TRIGGER chronology_event_search_delete AFTER DELETE ON chronology_event BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'chronology_event' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'chronology_event' AND record_id = OLD.id; END",
    "CREATE TRIGGER referral_search_insert AFTER INSERT ON referral BEGIN INSERT INTO search_row (kind, record_id) VALUES ('referral', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'referral' AND record_id = NEW.id), coalesce(NEW.to_agency, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.sections)), '') || ' ' || coalesce(NEW.reason_not_sought, '')); END",
    "CREATE TRIGGER referral_search_update AFTER UPDATE OF to_agency, sections, reason_not_sought ON referral BEGIN UPDATE search_index SET body = coalesce(NEW.to_agency, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.sections)), '') || ' ' || coalesce(NEW.reason_not_sought, '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'referral' AND record_id = NEW.id); END",
    "CREATE TRIGGER referral_search_delete AFTER DELETE ON referral BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'referral' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'referral' AND record_id = OLD.id; END",
    "CREATE TRIGGER sharing_record_search_insert AFTER INSERT ON sharing_record BEGIN INSERT INTO search_row (kind, record_id) VALUES ('sharing_record', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'sharing_record' AND record_id = NEW.id), coalesce(NEW.with_whom, '') || ' ' || coalesce(NEW.what, '') || ' ' || coalesce(NEW.purpose, '') || ' ' || coalesce(NEW.lawful_basis, '') || ' ' || coalesce(NEW.reason, '')); END",
    "CREATE TRIGGER sharing_record_search_update AFTER UPDATE OF with_whom, what, purpose, lawful_basis, reason ON sharing_record BEGIN UPDATE search_index SET body = coalesce(NEW.with_whom, '') || ' ' || coalesce(NEW.what, '') || ' ' || coalesce(NEW.purpose, '') || ' ' || coalesce(NEW.lawful_basis, '') || ' ' || coalesce(NEW.reason, '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'sharing_record' AND record_id = NEW.id); END",
    "CREATE TRIGGER sharing_record_search_delete AFTER DELETE ON sharing_record BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'sharing_record' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'sharing_record' AND record_id = OLD.id; END",
    "CREATE TRIGGER amendment_search_insert AFTER INSERT ON amendment BEGIN INSERT INTO search_row (kind, record_id) VALUES ('amendment', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'amendment' AND record_id = NEW.id), coalesce(NEW.new_value, '') || ' ' || coalesce(NEW.reason, '')); END",
    "CREATE TRIGGER amendment_search_update AFTER UPDATE OF new_value, reason ON amendment BEGIN UPDATE search_index SET body = coalesce(NEW.new_value, '') || ' ' || coalesce(NEW.reason, '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'amendment' AND record_id = NEW.id); END",
    "CREATE TRIGGER amendment_search_delete AFTER DELETE ON amendment BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'amendment' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'amendment' AND record_id = OLD.id; END",
    "CREATE TRIGGER household_member_search_insert AFTER INSERT ON household_member BEGIN INSERT INTO search_row (kind, record_id) VALUES ('household_member', NEW.id); INSERT INTO search_index (rowid, body) VALUES ((SELECT id FROM search_row WHERE kind = 'household_member' AND record_id = NEW.id), coalesce(NEW.name, '') || ' ' || coalesce(NEW.checks, '') || ' ' || coalesce(NEW.notes, '')); END",
    "CREATE TRIGGER household_member_search_update AFTER UPDATE OF name, checks, notes ON household_member BEGIN UPDATE search_index SET body = coalesce(NEW.name, '') || ' ' || coalesce(NEW.checks, '') || ' ' || coalesce(NEW.notes, '') WHERE rowid = (SELECT id FROM search_row WHERE kind = 'household_member' AND record_id = NEW.id); END",
    "CREATE TRIGGER household_member_search_delete AFTER DELETE ON household_member BEGIN DELETE FROM search_index WHERE rowid = (SELECT id FROM search_row WHERE kind = 'household_member' AND record_id = OLD.id); DELETE FROM search_row WHERE kind = 'household_member' AND record_id = OLD.id; END",
]

BACKFILL = [
    "INSERT INTO search_row (kind, record_id) SELECT 'visit', id FROM visit",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.notes, '') || ' ' || coalesce(R.child_voice, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(R.present)), '') FROM visit AS R JOIN search_row AS s ON s.kind = 'visit' AND s.record_id = R.id",
    "INSERT INTO search_row (kind, record_id) SELECT 'observation', id FROM observation",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.text, '') FROM observation AS R JOIN search_row AS s ON s.kind = 'observation' AND s.record_id = R.id",
    "INSERT INTO search_row (kind, record_id) SELECT 'injury', id FROM injury",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.description, '') || ' ' || coalesce(R.explanation_given, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(R.body_regions)), '') FROM injury AS R JOIN search_row AS s ON s.kind = 'injury' AND s.record_id = R.id",
    "INSERT INTO search_row (kind, record_id) SELECT 'concern', id FROM concern",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.source, '') || ' ' || coalesce(R.summary, '') || ' ' || coalesce(R.details, '') || ' ' || coalesce(R.outcome, '') FROM concern AS R JOIN search_row AS s ON s.kind = 'concern' AND s.record_id = R.id",
    "INSERT INTO search_row (kind, record_id) SELECT 'chronology_event', id FROM chronology_event",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.source, '') || ' ' || coalesce(R.event, '') || ' ' || coalesce(R.impact_on_child, '') || ' ' || coalesce(R.action, '') FROM chronology_event AS R JOIN search_row AS s ON s.kind = 'chronology_event' AND s.record_id = R.id",
    "INSERT INTO search_row (kind, record_id) SELECT 'referral', id FROM referral",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.to_agency, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(R.sections)), '') || ' ' || coalesce(R.reason_not_sought, '') FROM referral AS R JOIN search_row AS s ON s.kind = 'referral' AND s.record_id = R.id",
    "INSERT INTO search_row (kind, record_id) SELECT 'sharing_record', id FROM sharing_record",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.with_whom, '') || ' ' || coalesce(R.what, '') || ' ' || coalesce(R.purpose, '') || ' ' || coalesce(R.lawful_basis, '') || ' ' || coalesce(R.reason, '') FROM sharing_record AS R JOIN search_row AS s ON s.kind = 'sharing_record' AND s.record_id = R.id",
    "INSERT INTO search_row (kind, record_id) SELECT 'amendment', id FROM amendment",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.new_value, '') || ' ' || coalesce(R.reason, '') FROM amendment AS R JOIN search_row AS s ON s.kind = 'amendment' AND s.record_id = R.id",
    "INSERT INTO search_row (kind, record_id) SELECT 'household_member', id FROM household_member",
    "INSERT INTO search_index (rowid, body) SELECT s.id, coalesce(R.name, '') || ' ' || coalesce(R.checks, '') || ' ' || coalesce(R.notes, '') FROM household_member AS R JOIN search_row AS s ON s.kind = 'household_member' AND s.record_id = R.id",
]


def upgrade() -> None:
    op.create_table(
        "search_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_row")),
        sa.UniqueConstraint("kind", "record_id", name="kind_record"),
    )
    op.execute(CREATE_INDEX)
    for statement in TRIGGERS:
        op.execute(statement)
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    for statement in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    op.execute("DROP TABLE search_index")
    op.drop_table("search_row")
