"""SECURITY.md promises 10 (corruption reported, last good backup kept) and 11 (encrypted,
restorable backups)."""

import io
import json
import tarfile
from pathlib import Path

import pytest

from practitioner_app.domain.errors import PassphraseNotAccepted, Problem
from practitioner_app.services import caseload, integrity, people, records
from practitioner_app.services.workspace import Workspace, open_vault_with_data_key
from practitioner_app.store import audit
from practitioner_app.vault import restoring
from practitioner_app.vault.audit_head import HEAD_NAME
from practitioner_app.vault.vault import DB_NAME
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE, child_details, run_cli, visit_details

PAGE = 4096


def _some_records(ws: Workspace, n: int = 5) -> None:
    for i in range(n):
        child = people.add_child(ws, child_details(given_name=f"Child{i}"))
        visit = records.create_entry(ws, visit_details(child.id))
        records.finalise(ws, "visit", visit.id)


def _state(ws: Workspace) -> tuple[dict[str, int], int, tuple[int, str]]:
    with ws.unit_of_work() as session:
        head = audit.head(session)
    return integrity.record_counts(ws), len(caseload.list_children(ws)), head


def test_restore_brings_back_the_same_records_and_audit_head(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    backup = tmp_path / "b.pcbackup"
    ws = open_vault_with_data_key(vault_dir, data_key)
    _some_records(ws)
    # The backup is audited once it is complete, so the copy holds the chain as it was just
    # before; the "backup" event is in the vault that made it.
    counts, children, head_at_backup = _state(ws)
    integrity.backup(ws, backup)
    people.add_child(ws, child_details(given_name="AddedAfterBackup"))
    ws.lock()

    restored, kept = integrity.restore(vault_dir, backup, PASSPHRASE)
    try:
        new_counts, new_children, _ = _state(restored)
        trail = integrity.audit_trail(restored)
        assert integrity.verify(restored).ok
    finally:
        restored.lock()
    assert (new_counts, new_children) == (counts, children)
    # The chain continues from the backup's head: restore's own unlock/restore events follow it.
    assert any(row.seq == head_at_backup[0] and row.hash == head_at_backup[1] for row in trail)
    assert trail[-1].action == "restore"
    assert kept is not None
    assert kept.exists()


def test_restore_onto_a_new_laptop_with_the_recovery_key(
    vault_dir: Path, data_key: bytes, tmp_path: Path, recovery_key: str
) -> None:
    backup = tmp_path / "b.pcbackup"
    ws = open_vault_with_data_key(vault_dir, data_key)
    _some_records(ws, 2)
    integrity.backup(ws, backup)
    ws.lock()
    restored, kept = integrity.restore(tmp_path / "new-laptop" / "vault", backup, recovery_key)
    try:
        assert len(caseload.list_children(restored)) == 2
    finally:
        restored.lock()
    assert kept is None


def test_a_backup_does_not_open_with_another_passphrase(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    backup = tmp_path / "b.pcbackup"
    ws = open_vault_with_data_key(vault_dir, data_key)
    integrity.backup(ws, backup)
    ws.lock()
    target = tmp_path / "restored"
    with pytest.raises(PassphraseNotAccepted):
        integrity.restore(target, backup, NEW_PASSPHRASE)
    assert not (target / "vault.db").exists()


def test_a_backup_holds_only_encrypted_parts(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    backup = tmp_path / "b.pcbackup"
    ws = open_vault_with_data_key(vault_dir, data_key)
    integrity.backup(ws, backup)
    ws.lock()
    with tarfile.open(backup) as tar:
        # The head is a sequence number, a hash and their seal: no record content.
        assert sorted(tar.getnames()) == ["audit-head.json", "vault.db", "vault.key"]
        head = json.loads(tar.extractfile("audit-head.json").read())  # type: ignore[union-attr]
    assert set(head) == {"format", "version", "vault_id", "seq", "hash", "at", "lost", "mac"}


def _corrupt_a_page(db: Path, page: int) -> None:
    data = bytearray(db.read_bytes())
    data[PAGE * (page - 1) + 200] ^= 0xFF
    db.write_bytes(bytes(data))


def _checkpointed(vault_dir: Path, data_key: bytes) -> None:
    """Fold the WAL into the main file so the page we damage is the one SQLite reads."""
    ws = open_vault_with_data_key(vault_dir, data_key)
    _some_records(ws, 20)
    connection = ws.vault.engine.raw_connection()
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
    finally:
        connection.close()
    ws.vault.lock()


def test_a_damaged_page_is_named_by_verify_and_backup_refuses(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    good_backup = tmp_path / "good.pcbackup"
    ws = open_vault_with_data_key(vault_dir, data_key)
    integrity.backup(ws, good_backup)
    ws.lock()
    good_bytes = good_backup.read_bytes()
    _checkpointed(vault_dir, data_key)
    _corrupt_a_page(vault_dir / "vault.db", 5)

    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    result = run_cli("verify", "--vault", str(vault_dir), env=env)
    assert result.returncode == 1
    assert "page 5" in result.stdout
    assert "restore" in result.stdout

    result = run_cli("backup", "--vault", str(vault_dir), str(good_backup), env=env)
    assert result.returncode != 0
    assert "damaged" in result.stderr
    assert "untouched" in result.stderr
    assert "Traceback" not in result.stderr
    assert good_backup.read_bytes() == good_bytes

    result = run_cli("restore", "--vault", str(vault_dir), str(good_backup), env=env)
    assert result.returncode == 0, result.stderr
    assert "kept in" in result.stdout
    assert run_cli("verify", "--vault", str(vault_dir), env=env).returncode == 0


def test_the_copy_kept_at_restore_can_itself_be_restored(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    backup = tmp_path / "b.pcbackup"
    ws = open_vault_with_data_key(vault_dir, data_key)
    integrity.backup(ws, backup)
    people.add_child(ws, child_details(given_name="OnlyInTheReplacedVault"))
    ws.lock()
    restored, kept = integrity.restore(vault_dir, backup, PASSPHRASE)
    restored.lock()
    assert kept is not None
    undone, _ = integrity.restore(vault_dir, kept, PASSPHRASE)
    try:
        names = [c.given_name for c in caseload.list_children(undone)]
    finally:
        undone.lock()
    assert "OnlyInTheReplacedVault" in names


@pytest.mark.parametrize("content", [b"", b"not a tar at all", b"\x00" * 1024])
def test_a_file_that_is_not_a_backup_changes_nothing(
    vault_dir: Path, tmp_path: Path, content: bytes
) -> None:
    bogus = tmp_path / "bogus.pcbackup"
    bogus.write_bytes(content)
    before = {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.is_file()}
    with pytest.raises(Problem, match="not a vault backup"):
        restoring.restore(vault_dir, bogus, PASSPHRASE)
    after = {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.is_file()}
    assert after == before


def test_a_truncated_backup_changes_nothing(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    backup = tmp_path / "b.pcbackup"
    ws = open_vault_with_data_key(vault_dir, data_key)
    _some_records(ws, 3)
    integrity.backup(ws, backup)
    ws.lock()
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])
    before = (vault_dir / "vault.db").read_bytes()
    result = run_cli(
        "restore",
        "--vault",
        str(vault_dir),
        str(backup),
        env={"PRACTITIONER_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert (vault_dir / "vault.db").read_bytes() == before


def _members(backup: Path) -> dict[str, bytes]:
    with tarfile.open(backup) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def _pack(backup: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(backup, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))


def test_a_backup_carries_its_audit_head_sealed(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        _some_records(ws, 2)
        _, _, head = _state(ws)
        integrity.backup(ws, tmp_path / "b.pcbackup")
    finally:
        ws.lock()
    carried = json.loads(_members(tmp_path / "b.pcbackup")[HEAD_NAME])
    assert (carried["seq"], carried["hash"]) == head
    assert carried["mac"]


@pytest.mark.parametrize("swap", ["older database", "other vault's head", "head edited"])
def test_a_backup_whose_head_does_not_match_its_database_is_refused(
    vault_dir: Path, data_key: bytes, tmp_path: Path, swap: str
) -> None:
    """Someone with the backup file cuts its chain short by putting in an older backup's
    database (the records added since gone, the chain still whole), or plants another vault's
    head, or edits the head: the restore says so in a sentence and changes nothing."""
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        integrity.backup(ws, tmp_path / "old.pcbackup")
        _some_records(ws, 2)
        integrity.backup(ws, tmp_path / "new.pcbackup")
    finally:
        ws.lock()
    members = _members(tmp_path / "new.pcbackup")
    if swap == "older database":
        members[DB_NAME] = _members(tmp_path / "old.pcbackup")[DB_NAME]
    elif swap == "other vault's head":
        other, env = tmp_path / "other", {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
        made = run_cli(
            "init", "--vault", str(other), "--name", "A", "--role", "B", "--agency", "C", env=env
        )
        assert made.returncode == 0, made.stderr
        assert (
            run_cli(
                "backup", "--vault", str(other), str(tmp_path / "o.pcbackup"), env=env
            ).returncode
            == 0
        )
        members[HEAD_NAME] = _members(tmp_path / "o.pcbackup")[HEAD_NAME]
        members[HEAD_NAME] = _members(tmp_path / "o.pcbackup")[HEAD_NAME]
    else:
        document = json.loads(members[HEAD_NAME])
        document["seq"] -= 3
        members[HEAD_NAME] = json.dumps(document).encode()
    _pack(tmp_path / "hostile.pcbackup", members)
    before = {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.is_file()}
    ran = run_cli(
        "restore",
        "--vault",
        str(vault_dir),
        str(tmp_path / "hostile.pcbackup"),
        env={"PRACTITIONER_PASSPHRASE": PASSPHRASE},
    )
    assert ran.returncode == 1, ran.stdout
    assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr
    assert "does not match the audit head sealed into it" in ran.stderr
    assert {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.is_file()} == before
    assert not (vault_dir / ".restore-staging").exists()


def test_a_backup_from_before_heads_were_carried_still_restores(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        _some_records(ws, 1)
        integrity.backup(ws, tmp_path / "b.pcbackup")
    finally:
        ws.lock()
    members = _members(tmp_path / "b.pcbackup")
    del members[HEAD_NAME]
    _pack(tmp_path / "old-style.pcbackup", members)
    ran = run_cli(
        "restore",
        "--vault",
        str(vault_dir),
        str(tmp_path / "old-style.pcbackup"),
        env={"PRACTITIONER_PASSPHRASE": PASSPHRASE},
    )
    assert ran.returncode == 0, ran.stderr
