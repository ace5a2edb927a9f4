"""Evidence that cannot be quietly rewritten: SECURITY.md promises 8 (tamper-evident audit) and 9
(final entries immutable), and migrations that build exactly the schema the models describe."""

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from practitioner_app.services import integrity, people, records
from practitioner_app.services.workspace import Workspace, open_vault, open_vault_with_data_key
from practitioner_app.store.base import Base
from practitioner_app.store.entries import ENTRY_KINDS
from practitioner_app.store.integrity import trigger_names, trigger_statements
from practitioner_app.store.search import FTS_SHADOW_TABLES
from practitioner_app.store.search import trigger_names as search_trigger_names
from tests.conftest import PASSPHRASE, child_details, every_entry, run_cli, visit_details


@contextmanager
def raw_sql(workspace: Workspace) -> Iterator[Any]:
    """A plain keyed DB-API connection: what someone with the key and a SQL shell could do."""
    connection = workspace.vault.engine.raw_connection()
    try:
        yield connection
    finally:
        connection.close()


def _final_visit(workspace: Workspace) -> tuple[str, str]:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    records.finalise(workspace, "visit", visit.id)
    return child.id, visit.id


def test_sql_update_or_delete_of_a_final_entry_is_refused(workspace: Workspace) -> None:
    _, visit_id = _final_visit(workspace)
    with raw_sql(workspace) as sql:
        for statement in (
            "UPDATE visit SET notes = 'rewritten' WHERE id = ?",
            "DELETE FROM visit WHERE id = ?",
            "DELETE FROM visit_child WHERE visit_id = ?",
            "UPDATE visit SET status = 'draft' WHERE id = ?",
        ):
            with pytest.raises(Exception, match="final entry cannot be changed"):
                sql.execute(statement, (visit_id,))
        with pytest.raises(Exception, match="final entry cannot be changed"):
            sql.execute(
                "INSERT INTO visit_child (visit_id, child_id) VALUES (?, 'someone-else')",
                (visit_id,),
            )
    assert records.get_entry(workspace, "visit", visit_id).fields["notes"].startswith("Home visit")


def test_drafts_remain_editable_through_sql(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    with raw_sql(workspace) as sql:
        sql.execute("BEGIN")
        sql.execute("UPDATE visit SET notes = 'draft change' WHERE id = ?", (visit.id,))
        sql.execute("COMMIT")
    assert records.get_entry(workspace, "visit", visit.id).fields["notes"] == "draft change"


def test_amendments_and_audit_rows_are_append_only(workspace: Workspace) -> None:
    _, visit_id = _final_visit(workspace)
    records.amend(workspace, "visit", visit_id, "notes", "new", "why")
    with raw_sql(workspace) as sql:
        for statement in (
            "UPDATE amendment SET new_value = 'x'",
            "DELETE FROM amendment",
            "UPDATE audit_event SET actor = 'someone else'",
            "DELETE FROM audit_event",
        ):
            with pytest.raises(Exception, match="append-only"):
                sql.execute(statement)


def test_every_entry_table_and_its_dependents_have_their_triggers(workspace: Workspace) -> None:
    with raw_sql(workspace) as sql:
        present = {
            row[0] for row in sql.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    assert trigger_names() <= present
    assert search_trigger_names() <= present


def test_migrations_build_exactly_the_models_schema(workspace: Workspace) -> None:
    with workspace.vault.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_name": lambda name, kind, _: (
                    not (kind == "table" and name in FTS_SHADOW_TABLES)
                )
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def _tamper(workspace: Workspace, *statements: str) -> None:
    with raw_sql(workspace) as sql:
        sql.execute("DROP TRIGGER audit_event_no_update")
        sql.execute("DROP TRIGGER audit_event_no_delete")
        sql.execute("BEGIN")
        for statement in statements:
            sql.execute(statement)
        sql.execute("COMMIT")


@pytest.mark.parametrize(
    ("statements", "first_broken"),
    [
        (["UPDATE audit_event SET actor = 'Someone Else' WHERE seq = 4"], 4),
        (["DELETE FROM audit_event WHERE seq = 5"], 5),
        (
            # Swap two rows' contents while keeping the sequence numbers in order.
            [
                "UPDATE audit_event SET seq = -1 WHERE seq = 4",
                "UPDATE audit_event SET seq = 4 WHERE seq = 6",
                "UPDATE audit_event SET seq = 6 WHERE seq = -1",
            ],
            4,
        ),
    ],
    ids=["edited", "deleted", "reordered"],
)
def test_tampering_with_the_audit_chain_names_the_first_broken_row(
    workspace: Workspace, vault_dir: Path, statements: list[str], first_broken: int
) -> None:
    _final_visit(workspace)
    assert integrity.verify(workspace).ok
    _tamper(workspace, *statements)
    report = integrity.verify(workspace)
    assert report.first_broken_seq == first_broken
    assert not report.ok
    workspace.lock()
    result = run_cli(
        "verify", "--vault", str(vault_dir), env={"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    )
    assert result.returncode == 1
    assert f"BROKEN at sequence number {first_broken}" in result.stdout


def test_a_final_entry_edited_behind_the_triggers_is_named_by_verify(workspace: Workspace) -> None:
    child_id, visit_id = _final_visit(workspace)
    visit = records.create_entry(workspace, visit_details(child_id))
    for details in every_entry(child_id, visit.id, "original"):
        entry = records.create_entry(workspace, details)
        records.finalise(workspace, entry.kind, entry.id)
    with raw_sql(workspace) as sql:
        sql.execute("DROP TRIGGER visit_final_no_update")
        sql.execute("BEGIN")
        sql.execute("UPDATE visit SET notes = 'quietly rewritten' WHERE id = ?", (visit_id,))
        sql.execute("COMMIT")
    report = integrity.verify(workspace)
    assert report.altered_entries == (f"visit {visit_id}",)
    assert report.first_broken_seq is None


def test_verify_leaves_the_cyclic_collector_as_it_found_it(workspace: Workspace) -> None:
    # Verify pauses the collector while it holds every seal and event (gcpause.py); found sound
    # or not, it must be running again afterwards, or the app would never collect cycles again.
    assert gc.isenabled()
    _final_visit(workspace)
    assert integrity.verify(workspace).ok
    assert gc.isenabled()
    _tamper(workspace, "UPDATE audit_event SET actor = 'Someone Else' WHERE seq = 4")
    assert not integrity.verify(workspace).ok
    assert gc.isenabled()


def test_verify_passes_on_a_sound_vault_from_the_command_line(
    workspace: Workspace, vault_dir: Path
) -> None:
    _final_visit(workspace)
    workspace.lock()
    result = run_cli(
        "verify", "--vault", str(vault_dir), env={"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    )
    assert result.returncode == 0, result.stderr
    assert "audit chain: ok" in result.stdout
    assert "records: ok" in result.stdout


def test_reopening_keeps_the_chain_intact(vault_dir: Path) -> None:
    for _ in range(3):
        open_vault(vault_dir, PASSPHRASE).lock()
    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        assert integrity.verify(ws).ok
    finally:
        ws.lock()


def as_an_older_release_left_it(ws: Workspace, revision: str) -> None:
    """Take the vault back to `revision` and rewrite its chain as a release without seals or an
    audit head kept outside would have written it: no seals in any event's detail, no head file."""
    from alembic import command

    from practitioner_app.store import audit, schema

    with ws.vault.engine.begin() as connection:
        config = schema._config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    key = ws.audit_key()
    with raw_sql(ws) as sql:
        rows = list(
            sql.execute(
                "SELECT seq, at, actor, action, record_kind, record_id, detail "
                "FROM audit_event ORDER BY seq"
            )
        )
        sql.execute("DROP TRIGGER audit_event_no_update")
        sql.execute("BEGIN")
        prev = audit.GENESIS
        for seq, at, actor, action, kind, record_id, detail in rows:
            old = {k: v for k, v in json.loads(detail).items() if k not in ("seals", "audit_head")}
            text = json.dumps(old, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
            canonical = audit._canonical(seq, moment, actor, action, kind, record_id, text)
            new_hash = audit.link_hash(key, prev, canonical)
            sql.execute(
                "UPDATE audit_event SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (text, prev, new_hash, seq),
            )
            prev = new_hash
        sql.execute("COMMIT")
        for statement in trigger_statements():
            if "audit_event_no_update" in statement:
                sql.execute(statement)
    (ws.vault.paths.root / "audit-head.json").unlink()


def test_an_older_vault_is_backed_up_then_migrated_keeping_its_triggers(
    vault_dir: Path, data_key: bytes
) -> None:
    from practitioner_app.store import schema

    ws = open_vault_with_data_key(vault_dir, data_key)
    _final_visit(ws)
    # Take the vault back to the first revision, as an older release would have left it.
    as_an_older_release_left_it(ws, "0001")
    ws.lock()
    assert not (vault_dir / "backups").exists()

    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        assert schema.current_revision(ws.vault.engine) == schema.head_revision()
        assert [
            p.name.startswith("before-migration-") for p in (vault_dir / "backups").iterdir()
        ] == [True]
        trail = integrity.audit_trail(ws)
        assert [row.action for row in trail][-3:] == ["migrate", "migrate", "unlock"]
        # The records already there were sealed, in one event that says how many.
        assert json.loads(trail[-2].detail)["sealed_existing"] == 3  # practitioner, child, visit
        report = integrity.verify(ws)
        assert report.ok, report.findings
        with raw_sql(ws) as sql:
            present = {
                row[0]
                for row in sql.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
        assert trigger_names() <= present
    finally:
        ws.lock()


def test_a_draft_flipped_to_final_behind_the_app_has_no_fingerprint_and_is_named(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    with raw_sql(workspace) as sql:
        sql.execute("BEGIN")
        sql.execute("UPDATE visit SET status = 'final' WHERE id = ?", (visit.id,))
        sql.execute("COMMIT")
    assert integrity.verify(workspace).altered_entries == (f"visit {visit.id}",)


def test_the_fingerprint_of_entered_details_equals_that_of_the_stored_rows(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details())
    visit_input = visit_details(child.id, present=("mother", "grandmother"))
    visit = records.create_entry(workspace, visit_input)
    for details in [visit_input, *every_entry(child.id, visit.id, "text ✓")]:
        created = visit if details is visit_input else records.create_entry(workspace, details)
        final = records.finalise(workspace, created.kind, created.id)
        with workspace.unit_of_work() as session:
            stored = session.get(ENTRY_KINDS[created.kind], created.id)
            assert stored is not None
            assert stored.content_sha256 == records.content_digest(
                records.canonical_fields(final.kind, details)
            )


def test_the_fast_head_check_knows_the_newest_migration() -> None:
    from practitioner_app.store import schema

    # Unlock skips Alembic when the vault is at HEAD_REVISION; a new migration must move it on.
    assert schema.head_revision() == schema.HEAD_REVISION, (
        f"set HEAD_REVISION in store/schema.py to {schema.head_revision()!r}"
    )


def test_an_entry_altered_before_the_upgrade_is_left_unsealed_and_named(
    vault_dir: Path, data_key: bytes
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    _, visit_id = _final_visit(ws)
    as_an_older_release_left_it(ws, "0005")
    with raw_sql(ws) as sql:
        sql.execute("DROP TRIGGER visit_final_no_update")
        sql.execute("BEGIN")
        sql.execute("UPDATE visit SET notes = 'quietly rewritten' WHERE id = ?", (visit_id,))
        sql.execute("COMMIT")
    ws.lock()

    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        report = integrity.verify(ws)
    finally:
        ws.lock()
    assert not report.ok
    assert any(
        f"The final visit {visit_id} no longer matched its fingerprint when this vault's records "
        "were first sealed" in said
        for said in report.findings
    ), report.findings
