"""The caseload summary's triggers that work out a child's last visit seen, with the visits read
through the child's links: SQLite had chosen to read every completed visit in the vault for each
child, so changing a visit, and `verify`, grew with the square of the caseload (issue 19: 44 s of
`verify`'s 57 at 400 children). The same rules; SQL as of this revision (the rules live in
practitioner_app/store/caseload_summary.py).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = [
    "CREATE TRIGGER visit_summary_update AFTER UPDATE OF occurred_at, outcome, child_seen, id ON visit BEGIN INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l CROSS JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT child_id AS id FROM visit_child WHERE visit_id = OLD.id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l CROSS JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT child_id AS id FROM visit_child WHERE visit_id = NEW.id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; END",
    "CREATE TRIGGER visit_summary_delete AFTER DELETE ON visit BEGIN INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l CROSS JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT child_id AS id FROM visit_child WHERE visit_id = OLD.id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; END",
    "CREATE TRIGGER visit_child_summary_update AFTER UPDATE ON visit_child BEGIN INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l CROSS JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT OLD.child_id AS id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l CROSS JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT NEW.child_id AS id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; END",
    "CREATE TRIGGER visit_child_summary_delete AFTER DELETE ON visit_child BEGIN INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l CROSS JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT OLD.child_id AS id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; END",
]
# As revision 0015 made them.
BEFORE = [
    "CREATE TRIGGER visit_summary_update AFTER UPDATE OF occurred_at, outcome, child_seen, id ON visit BEGIN INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT child_id AS id FROM visit_child WHERE visit_id = OLD.id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT child_id AS id FROM visit_child WHERE visit_id = NEW.id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; END",
    "CREATE TRIGGER visit_summary_delete AFTER DELETE ON visit BEGIN INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT child_id AS id FROM visit_child WHERE visit_id = OLD.id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; END",
    "CREATE TRIGGER visit_child_summary_update AFTER UPDATE ON visit_child BEGIN INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT OLD.child_id AS id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT NEW.child_id AS id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; END",
    "CREATE TRIGGER visit_child_summary_delete AFTER DELETE ON visit_child BEGIN INSERT INTO caseload_summary (child_id, last_seen_at) SELECT k.id, (SELECT max(v.occurred_at) FROM visit_child AS l JOIN visit AS v ON v.id = l.visit_id WHERE l.child_id = k.id AND v.child_seen IS 1 AND v.outcome = 'completed') FROM (SELECT OLD.child_id AS id) AS k WHERE k.id IS NOT NULL ON CONFLICT (child_id) DO UPDATE SET last_seen_at = excluded.last_seen_at; END",
]


def _replace(statements: list[str]) -> None:
    for statement in statements:
        op.execute(f"DROP TRIGGER {statement.split()[2]}")
        op.execute(statement)


def upgrade() -> None:
    _replace(TRIGGERS)


def downgrade() -> None:
    _replace(BEFORE)
