"""The tamper suite (issue 16): someone with the vault's key and a SQL shell rewrites evidence, with
the integrity triggers in place or dropped; `practitioner-app verify` exits 1 and names each change
in a sentence. SECURITY.md promises 8 and 9; resources/TAMPER-EVIDENCE.md says what remains."""

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection

from practitioner_app.domain.enums import AuditAction, ConcernStatus
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import HouseholdMemberDetails, ProfessionalDetails
from practitioner_app.services import chronology, integrity, people, records
from practitioner_app.services.workspace import Workspace, open_vault_with_data_key
from practitioner_app.store import seals
from practitioner_app.store.base import Base
from practitioner_app.store.entries import DEPENDENT_TABLES
from practitioner_app.store.integrity import trigger_statements as integrity_trigger_statements
from practitioner_app.store.repositories.entry_content import EntryContentRepository
from practitioner_app.store.search import FTS_SHADOW_TABLES
from practitioner_app.vault import audit_head as audit_head_file
from practitioner_app.vault.audit_head import HEAD_NAME
from tests.conftest import PASSPHRASE, child_details, every_entry, run_cli, visit_details


@dataclass(frozen=True)
class Caseload:
    """Ids of one of each kind of record, all final where they can be."""

    ids: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.ids[name]


def _fill(ws: Workspace) -> dict[str, str]:
    child = people.add_child(ws, child_details())
    ids = {"child": child.id}
    ids["member"] = people.add_household_member(
        ws, child.id, HouseholdMemberDetails("Grace Okafor", "mother", lives_with_child=True)
    )
    ids["professional"] = people.add_professional(
        ws, child.id, ProfessionalDetails("Tom Reid", "GP", "Northshire Practice")
    )
    visit = records.create_entry(ws, visit_details(child.id))
    records.finalise(ws, "visit", visit.id)
    ids["visit"] = visit.id
    for details in every_entry(child.id, visit.id, "original"):
        entry = records.create_entry(ws, details)
        records.finalise(ws, entry.kind, entry.id)
        ids[entry.kind] = entry.id
    ids["amendment"] = (
        records.amend(ws, "visit", visit.id, "notes", "corrected", "typo").amendments[0].id
    )
    records.change_concern_status(
        ws, ids["concern"], ConcernStatus.MONITORING, datetime(2026, 10, 7, tzinfo=UTC)
    )
    with ws.unit_of_work() as session:
        ids["status_change"] = (
            session.connection()
            .exec_driver_sql("SELECT id FROM concern_status_change")
            .scalar_one()
        )
    chronology.choose_significance(ws, child.id, "visit", visit.id, True)
    draft = records.create_entry(ws, visit_details(child.id, notes="draft, then deleted"))
    records.delete_draft(ws, "visit", draft.id)
    ids["deleted_draft"] = draft.id
    # Enough events that cutting 20 off the end leaves the records' own events in the chain.
    for _ in range(12):
        ws.audit_alone(AuditAction.EXPORT, what="padding")
    return ids


@pytest.fixture(scope="module")
def caseload_vault(
    template_vault: tuple[Path, str], data_key: bytes, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Caseload]:
    root = tmp_path_factory.mktemp("tamper") / "vault"
    shutil.copytree(template_vault[0], root)
    ws = open_vault_with_data_key(root, data_key)
    try:
        ids = _fill(ws)
    finally:
        ws.lock()
    return root, Caseload(ids)


@pytest.fixture
def vault(caseload_vault: tuple[Path, Caseload], tmp_path: Path) -> tuple[Path, Caseload]:
    root = tmp_path / "vault"
    shutil.copytree(caseload_vault[0], root)
    return root, caseload_vault[1]


@contextmanager
def sql_with_the_key(root: Path, data_key: bytes) -> Iterator[tuple[Connection, bytes]]:
    """One transaction of raw SQL with the key, as any SQLCipher client could, plus the audit key
    the app derives (so a forger can compute fingerprints and seals with the app's own code)."""
    ws = open_vault_with_data_key(root, data_key)
    try:
        with ws.vault.engine.begin() as connection:
            yield connection, ws.audit_key()
    finally:
        ws.lock()


def drop_triggers(connection: Connection) -> None:
    names = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE 'fts%' "
        "AND (name LIKE '%final%' OR name LIKE '%no_update' OR name LIKE '%no_delete')"
    ).scalars()
    for name in list(names):
        connection.exec_driver_sql(f"DROP TRIGGER {name}")


def verify_says(root: Path) -> str:
    result = run_cli("verify", "--vault", str(root), env={"PRACTITIONER_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 1, result.stdout
    return result.stdout


# -- with every trigger in place ---------------------------------------------------------------------


def _forge_final_visit(connection: Connection, key: bytes, c: Caseload) -> str:
    """A visit inserted as a draft with its child link, then set final with the fingerprint and
    the seal the app's own code computes; the seal even goes into the ledger under a real event."""
    forged = "f0f0f0f0-0000-4000-8000-000000000001"
    columns = [col.name for col in Base.metadata.tables["visit"].columns if col.name not in ("id",)]
    listed = ", ".join(columns)
    picked = ", ".join("'draft'" if name == "status" else name for name in columns)
    connection.exec_driver_sql(
        f"INSERT INTO visit (id, {listed}) SELECT ?, {picked} FROM visit WHERE id = ?",
        (forged, c["visit"]),
    )
    connection.exec_driver_sql(
        "INSERT INTO visit_child (visit_id, child_id) VALUES (?, ?)", (forged, c["child"])
    )
    from sqlalchemy.orm import Session

    session = Session(bind=connection)
    entry = EntryContentRepository(session).get(RecordKind.VISIT, forged)
    assert entry is not None
    digest = records.content_digest(records.fields_of(session, "visit", entry))
    connection.exec_driver_sql(
        "UPDATE visit SET status = 'final', content_sha256 = ? WHERE id = ?", (digest, forged)
    )
    seal = seals.current(connection, key, "visit", [forged])[forged].seal
    seq = connection.exec_driver_sql("SELECT max(audit_seq) FROM record_seal").scalar_one()
    connection.exec_driver_sql(
        "INSERT INTO record_seal (audit_seq, record_table, record_id, seal) VALUES (?, ?, ?, ?)",
        (seq, "visit", forged, seal),
    )
    return forged


def test_a_final_visit_forged_with_the_apps_own_fingerprint_is_named(
    vault: tuple[Path, Caseload], data_key: bytes
) -> None:
    root, c = vault
    with sql_with_the_key(root, data_key) as (sql, key):
        forged = _forge_final_visit(sql, key, c)
    said = verify_says(root)
    assert "the seal ledger has been altered" in said
    assert f"The final visit {forged} is sealed under audit event" in said


def test_a_final_visit_forged_without_a_seal_is_named(
    vault: tuple[Path, Caseload], data_key: bytes
) -> None:
    root, c = vault
    with sql_with_the_key(root, data_key) as (sql, _):
        forged = "f0f0f0f0-0000-4000-8000-000000000002"
        sql.exec_driver_sql(
            "INSERT INTO visit (id, created_at, updated_at, author_name, status, occurred_at, "
            "time_known, recorded_at, kind, outcome, present) SELECT ?, created_at, updated_at, "
            "author_name, 'draft', occurred_at, time_known, recorded_at, kind, outcome, present "
            "FROM visit WHERE id = ?",
            (forged, c["visit"]),
        )
        sql.exec_driver_sql(
            "INSERT INTO visit_child (visit_id, child_id) VALUES (?, ?)", (forged, c["child"])
        )
        sql.exec_driver_sql("UPDATE visit SET status = 'final' WHERE id = ?", (forged,))
    said = verify_says(root)
    assert f"The final visit {forged} has no seal" in said


def test_a_forged_amendment_is_named(vault: tuple[Path, Caseload], data_key: bytes) -> None:
    root, c = vault
    forged = "f0f0f0f0-0000-4000-8000-000000000003"
    with sql_with_the_key(root, data_key) as (sql, _):
        sql.exec_driver_sql(
            "INSERT INTO amendment (id, created_at, updated_at, author_name, author_known, "
            "target_kind, target_id, field, new_value, reason, recorded_at, recorded_at_known) "
            "SELECT ?, created_at, updated_at, author_name, 1, target_kind, target_id, field, "
            "'not what was written', reason, recorded_at, 1 FROM amendment WHERE id = ?",
            (forged, c["amendment"]),
        )
    assert f"The amendment {forged} has no seal" in verify_says(root)


def test_a_renamed_household_member_is_named(vault: tuple[Path, Caseload], data_key: bytes) -> None:
    root, c = vault
    with sql_with_the_key(root, data_key) as (sql, _):
        sql.exec_driver_sql(
            "UPDATE household_member SET name = 'Someone Else' WHERE id = ?", (c["member"],)
        )
    said = verify_says(root)
    assert f"The household member {c['member']} has been changed since" in said


# -- with the triggers dropped -----------------------------------------------------------------------

Tamper = Callable[[Connection, Caseload], None]


def _run(statement: str, *names: str) -> Tamper:
    def tamper(sql: Connection, c: Caseload) -> None:
        sql.exec_driver_sql(statement, tuple(c[name] for name in names))

    return tamper


def _all(*tampers: Tamper) -> Tamper:
    def tamper(sql: Connection, c: Caseload) -> None:
        for each in tampers:
            each(sql, c)

    return tamper


def _newest_audit_rows(count: int) -> Tamper:
    def tamper(sql: Connection, c: Caseload) -> None:
        sql.exec_driver_sql(
            "DELETE FROM audit_event WHERE seq > (SELECT max(seq) FROM audit_event) - ?", (count,)
        )

    return tamper


_LATER = (datetime.now(UTC) - timedelta(days=400)).strftime("%Y-%m-%d %H:%M:%S.000000")

# (scenario, tamper, sentence fragments verify must say; {name} is that record's id)
DROPPED: list[tuple[str, Tamper, list[str]]] = [
    (
        "newest audit row deleted",
        _newest_audit_rows(1),
        ["The audit chain no longer holds event", "deleted from the end of the chain"],
    ),
    (
        "newest 20 audit rows deleted",
        _newest_audit_rows(20),
        ["The audit chain no longer holds event", "deleted from the end of the chain"],
    ),
    (
        "final chronology event deleted",
        _run("DELETE FROM chronology_event WHERE id = ?", "chronology_event"),
        ["The final chronology event {chronology_event}, sealed by audit event", "deleted"],
    ),
    (
        "final sharing record deleted",
        _all(
            _run("DELETE FROM sharing_record_child WHERE sharing_record_id = ?", "sharing_record"),
            _run("DELETE FROM sharing_record WHERE id = ?", "sharing_record"),
        ),
        ["The final sharing record {sharing_record}, sealed by audit event", "it has been deleted"],
    ),
    (
        "final visit set back to draft and rewritten",
        _run("UPDATE visit SET status = 'draft', notes = 'rewritten' WHERE id = ?", "visit"),
        ["The visit {visit} was sealed final by audit event", "is now a draft"],
    ),
    (
        "final entry's author changed",
        _run("UPDATE observation SET author_name = 'Someone Else' WHERE id = ?", "observation"),
        ["The final observation {observation} has been changed since audit event"],
    ),
    (
        "final entry's recorded-at changed",
        _run(f"UPDATE concern SET recorded_at = '{_LATER}' WHERE id = ?", "concern"),
        ["The final concern {concern} has been changed since audit event"],
    ),
    (
        "final entry's finalised-at changed",
        _run(f"UPDATE referral SET finalised_at = '{_LATER}' WHERE id = ?", "referral"),
        ["The final referral {referral} has been changed since audit event"],
    ),
    (
        "amendment deleted",
        _run("DELETE FROM amendment WHERE id = ?", "amendment"),
        ["The amendment {amendment}, sealed by audit event", "deleted"],
    ),
    (
        "amendment changed",
        _run("UPDATE amendment SET new_value = 'something else' WHERE id = ?", "amendment"),
        ["The amendment {amendment} has been changed since audit event"],
    ),
    (
        "concern status change deleted",
        _run("DELETE FROM concern_status_change WHERE id = ?", "status_change"),
        ["The concern status change {status_change}, sealed by audit event", "deleted"],
    ),
    (
        "concern status change changed",
        _run(
            "UPDATE concern_status_change SET new_status = 'closed' WHERE id = ?", "status_change"
        ),
        ["The concern status change {status_change} has been changed since audit event"],
    ),
    # -- more of our own --
    (
        "final visit linked to another child",
        _run("DELETE FROM visit_child WHERE visit_id = ?", "visit"),
        ["The final visit {visit} has been changed since audit event"],
    ),
    (
        "injury removed from a final observation",
        _run("DELETE FROM injury WHERE observation_id = ?", "observation"),
        ["The final observation {observation} has been changed since audit event"],
    ),
    (
        "child's date of birth changed",
        _run("UPDATE child SET date_of_birth = '2024-01-01' WHERE id = ?", "child"),
        ["The child {child} has been changed since audit event"],
    ),
    (
        "professional removed",
        _all(
            _run("DELETE FROM professional_link WHERE professional_id = ?", "professional"),
            _run("DELETE FROM professional WHERE id = ?", "professional"),
        ),
        ["The professional {professional}, sealed by audit event", "deleted"],
    ),
    (
        "provenance of a final entry rewritten",
        _run(
            "UPDATE chronology_event SET imported_from = 'the police' WHERE id = ?",
            "chronology_event",
        ),
        ["The final chronology event {chronology_event} has been changed since audit event"],
    ),
    (
        "deleted draft brought back",
        _run(
            "INSERT INTO visit (id, created_at, updated_at, author_name, status, occurred_at, "
            "time_known, recorded_at, kind, outcome, present) SELECT ?, created_at, updated_at, "
            "author_name, 'draft', occurred_at, time_known, recorded_at, kind, outcome, present "
            "FROM visit LIMIT 1",
            "deleted_draft",
        ),
        ["The visit {deleted_draft} deleted as a draft by audit event", "is back"],
    ),
    (
        "chronology choice deleted",
        _run("DELETE FROM chronology_choice WHERE record_id = ?", "visit"),
        ["The chronology choice", "sealed by audit event", "deleted"],
    ),
    (
        "a final visit and its seal rewritten together",
        _all(
            _run("UPDATE visit SET notes = 'rewritten' WHERE id = ?", "visit"),
            _run("DELETE FROM record_seal WHERE record_id = ?", "visit"),
        ),
        [
            "sealed 1 record and their seals are gone",
            "The final visit {visit} has no seal",
        ],
    ),
]


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [pytest.param(tamper, expected, id=name) for name, tamper, expected in DROPPED],
)
def test_tampering_behind_dropped_triggers_is_named_by_verify(
    vault: tuple[Path, Caseload], data_key: bytes, tamper: Tamper, expected: list[str]
) -> None:
    root, c = vault
    with sql_with_the_key(root, data_key) as (sql, _):
        drop_triggers(sql)
        tamper(sql, c)
    said = verify_says(root)
    for fragment in expected:
        assert fragment.format(**c.ids) in said


# -- the head kept beside the key file --------------------------------------------------------------


def test_a_deleted_head_file_is_named(vault: tuple[Path, Caseload]) -> None:
    root, _ = vault
    (root / HEAD_NAME).unlink()
    assert "The audit head kept beside the key file was missing" in verify_says(root)
    # And it stays named: the next open has a head file again, but the loss is on record.
    assert "was missing" in verify_says(root)


def test_an_altered_head_file_is_named(vault: tuple[Path, Caseload]) -> None:
    root, _ = vault
    document = json.loads((root / HEAD_NAME).read_text())
    document["seq"] -= 1
    (root / HEAD_NAME).write_text(json.dumps(document))
    assert "altered" in verify_says(root)


def test_a_history_rewritten_with_the_key_is_caught_by_a_head_witnessed_outside(
    vault: tuple[Path, Caseload], data_key: bytes
) -> None:
    """The limit resources/TAMPER-EVIDENCE.md states: someone holding the key can cut events off
    the end and rewrite the head file to match, and the vault alone cannot tell. A head kept
    elsewhere (printed on a PDF, or by `backup`) can."""
    root, _ = vault
    ws = open_vault_with_data_key(root, data_key)
    try:
        seq, witnessed = integrity.audit_head(ws)
    finally:
        ws.lock()
    with sql_with_the_key(root, data_key) as (sql, key):
        drop_triggers(sql)
        # The padding exports sealed nothing, so the ledger does not miss them.
        sql.exec_driver_sql(
            "DELETE FROM audit_event WHERE seq >= (SELECT min(seq) FROM audit_event "
            "WHERE action = 'export')"
        )
        last_seq, last_hash = sql.exec_driver_sql(
            "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1"
        ).one()
        kept = audit_head_file.read(root, key)
        assert kept is not None
        rewritten = audit_head_file.AuditHead(kept.vault_id, last_seq, last_hash, kept.at)
        audit_head_file.write(root, key, rewritten)
        # And puts the triggers back with the app's own DDL (verify names missing ones).
        for statement in integrity_trigger_statements():
            sql.exec_driver_sql(
                statement.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1)
            )
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    alone = run_cli("verify", "--vault", str(root), env=env)
    assert alone.returncode == 0, alone.stdout
    caught = run_cli("verify", "--vault", str(root), "--head", f"{seq}:{witnessed}", env=env)
    assert caught.returncode == 1
    assert f"The audit chain does not hold event {seq} with the hash {witnessed[:12]}" in (
        caught.stdout
    )


def test_a_head_that_is_not_seq_colon_hash_is_refused_in_a_sentence(
    vault: tuple[Path, Caseload],
) -> None:
    root, _ = vault
    result = run_cli(
        "verify",
        "--vault",
        str(root),
        "--head",
        "12:abc",
        env={"PRACTITIONER_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 2
    assert "is not SEQ:HASH" in result.stderr


def test_every_table_is_sealed_or_part_of_a_sealed_record_or_said_why_not() -> None:
    parts = {table for table, _, _ in DEPENDENT_TABLES}
    accounted = set(seals.SEALED_TABLES) | parts | set(seals.NOT_SEALED) | set(FTS_SHADOW_TABLES)
    assert set(Base.metadata.tables) - accounted == set()


def test_an_untouched_vault_verifies_clean(vault: tuple[Path, Caseload]) -> None:
    root, _ = vault
    for _ in range(2):
        result = run_cli(
            "verify", "--vault", str(root), env={"PRACTITIONER_PASSPHRASE": PASSPHRASE}
        )
        assert result.returncode == 0, result.stdout
        assert "records: ok" in result.stdout


def test_an_import_seals_everything_it_brings_and_a_change_to_it_is_named(
    workspace: Workspace,
) -> None:
    from practitioner_app.services import demo

    demo.fill(workspace, 3, 1, seed=7)
    assert integrity.verify(workspace).ok, integrity.verify(workspace).findings
    with workspace.vault.engine.begin() as sql:
        drop_triggers(sql)
        visit_id = sql.exec_driver_sql(
            "SELECT id FROM visit WHERE status = 'final' LIMIT 1"
        ).scalar_one()
        sql.exec_driver_sql("UPDATE visit SET notes = 'rewritten' WHERE id = ?", (visit_id,))
    findings = integrity.verify(workspace).findings
    assert any(
        f"The final visit {visit_id} has been changed since audit event" in said
        and "(import on" in said
        for said in findings
    ), findings


def test_a_head_from_a_transaction_rolled_back_is_never_kept(workspace: Workspace) -> None:
    with workspace.unit_of_work() as session:
        workspace.audit(session, AuditAction.EXPORT, what="then rolled back")
        session.rollback()
    # The next event takes the rolled-back one's number; a head kept from it would look cut off.
    workspace.audit_alone(AuditAction.EXPORT, what="after")
    assert integrity.verify(workspace).ok, integrity.verify(workspace).findings
