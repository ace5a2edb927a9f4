"""Issue 16, found by a fresh tester: the triggers that keep final entries, amendments, seals and
the audit append-only (and the search index in step) are the vault's own protection. Anyone with
the key can drop them all without changing a row; `verify` said everything was ok. It now names
them. Real encrypted vaults, the real CLI."""

from pathlib import Path

import pytest

from practitioner_app.services import integrity, people, records
from practitioner_app.services.workspace import open_vault_with_data_key
from tests.conftest import PASSPHRASE, child_details, run_cli, visit_details
from tests.test_tamper import drop_triggers, sql_with_the_key


def test_verify_names_integrity_triggers_that_were_dropped(
    vault_dir: Path, data_key: bytes
) -> None:
    with sql_with_the_key(vault_dir, data_key) as (sql, _):
        drop_triggers(sql)
    ran = run_cli("verify", "--vault", str(vault_dir), env={"PRACTITIONER_PASSPHRASE": PASSPHRASE})
    assert ran.returncode == 1, ran.stdout
    assert "protective triggers are missing" in ran.stdout


@pytest.mark.parametrize("kind", ["audit_event_no_delete", "search"])
def test_verify_names_one_dropped_trigger(vault_dir: Path, data_key: bytes, kind: str) -> None:
    """One trigger gone, a protective one or one that keeps the search index, is named."""
    with sql_with_the_key(vault_dir, data_key) as (sql, _):
        present = sorted(
            sql.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
        )
        dropped = kind if kind in present else next(t for t in present if "search" in t)
        sql.exec_driver_sql(f"DROP TRIGGER {dropped}")
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        report = integrity.verify(ws)
    finally:
        ws.lock()
    assert not report.ok
    assert any(dropped in finding for finding in report.findings), report.findings


def test_a_final_entry_taken_out_of_the_search_index_is_named_by_verify(
    vault_dir: Path, data_key: bytes
) -> None:
    """With the key, deleting a final visit's entry from the search index hid it from `search`
    ("Nothing found.") and `verify` said ok. `verify` now says records left the index. The same
    for a record whose index row itself was removed."""
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        child = people.add_child(ws, child_details())
        visit = records.create_entry(ws, visit_details(child.id, notes="Bruise on the left shin."))
        records.finalise(ws, "visit", visit.id)
        assert integrity.verify(ws).ok
    finally:
        ws.lock()
    with sql_with_the_key(vault_dir, data_key) as (sql, _):
        sql.exec_driver_sql(
            "DELETE FROM search_index WHERE rowid IN "
            "(SELECT rowid FROM search_index WHERE search_index MATCH 'shin')"
        )
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    checked = run_cli("verify", "--vault", str(vault_dir), env=env)
    assert checked.returncode == 1, checked.stdout
    assert "1 visit record(s) have been taken out of the search index" in checked.stdout
