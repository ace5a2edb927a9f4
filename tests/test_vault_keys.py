"""Keys and unlocking: SECURITY.md promises 2 (memory-hard KDF), 3 (keyed first), 4 (fail closed)."""

import json
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlalchemy.pool import QueuePool

from practitioner_app.domain.errors import InvalidInput, PassphraseNotAccepted, Problem
from practitioner_app.services import caseload, people
from practitioner_app.services.integrity import audit_trail
from practitioner_app.services.workspace import create_vault, open_vault, open_vault_with_data_key
from practitioner_app.vault import vault as vault_files
from practitioner_app.vault.keyfile import KdfParameters, KeyFile, normalise_recovery_key
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE, PROFILE, child_details, run_app


def test_key_file_records_argon2id_at_least_rfc9106_low_memory(vault_dir: Path) -> None:
    document = json.loads((vault_dir / "vault.key").read_text())
    for slot in ("passphrase", "recovery"):
        kdf = document["slots"][slot]["kdf"]
        assert kdf["name"] == "argon2id"
        assert kdf["time_cost"] >= 3
        assert kdf["memory_kib"] >= 64 * 1024
        assert kdf["parallelism"] >= 4
        assert len(kdf["salt"]) >= 16


def test_key_file_holds_no_raw_key(vault_dir: Path, workspace: Any) -> None:
    raw = (vault_dir / "vault.key").read_bytes()
    key = bytes(workspace.vault._data_key)
    assert key.hex().encode() not in raw.lower()
    assert key not in raw


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [("short", "at least 10"), ("password12", "common passwords"), ("aaaaaaaaaaaa", "too easy")],
)
def test_weak_passphrases_are_refused_and_no_vault_is_made(
    tmp_path: Path, passphrase: str, reason: str
) -> None:
    with pytest.raises(InvalidInput, match=reason):
        create_vault(tmp_path / "vault", passphrase, PROFILE)
    assert not (tmp_path / "vault").exists() or not any((tmp_path / "vault").iterdir())


def test_weak_new_passphrase_is_refused_and_old_still_works(
    workspace: Any, vault_dir: Path
) -> None:
    with pytest.raises(InvalidInput, match="common passwords"):
        workspace.change_passphrase("password123")
    vault_files.unlock(vault_dir, PASSPHRASE).lock()


def test_wrong_passphrase_fails_closed_with_one_clear_sentence(vault_dir: Path) -> None:
    with pytest.raises(PassphraseNotAccepted, match="Passphrase not accepted"):
        open_vault(vault_dir, "not the right passphrase")


def test_wrong_passphrase_on_the_command_line_prints_one_line_and_nothing_from_sqlcipher(
    vault_dir: Path,
) -> None:
    # A real process: SQLCipher would print on file descriptor 2, which only a process shows.
    result = run_app(
        "children", "--vault", str(vault_dir), env={"PRACTITIONER_PASSPHRASE": "wrong wrong wrong"}
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "Passphrase not accepted" in lines[0]
    assert "Traceback" not in result.stderr
    assert "hmac" not in result.stderr.lower()


def test_repeated_failures_slow_down(vault_dir: Path) -> None:
    delays: list[float] = []
    for _ in range(6):
        with pytest.raises(PassphraseNotAccepted):
            vault_files.unlock(vault_dir, "wrong wrong wrong", sleep=delays.append)
    # The first attempts are free, then each waits longer than the one before.
    assert delays == [1.0, 2.0, 4.0]
    assert vault_files.backoff_delay(100) == vault_files.MAX_DELAY_SECONDS


def test_failed_unlocks_are_audited_at_the_next_success_and_backoff_resets(vault_dir: Path) -> None:
    for _ in range(2):
        with pytest.raises(PassphraseNotAccepted):
            vault_files.unlock(vault_dir, "wrong wrong wrong", sleep=lambda _: None)
    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        actions = [row.action for row in audit_trail(ws)]
    finally:
        ws.lock()
    assert actions[-3:] == ["failed_unlock", "failed_unlock", "unlock"]
    delays: list[float] = []
    vault_files.unlock(vault_dir, PASSPHRASE, sleep=delays.append).lock()
    assert delays == []


def test_recovery_key_unlocks_and_can_set_a_new_passphrase(
    vault_dir: Path, recovery_key: str
) -> None:
    typed = recovery_key.lower().replace("-", " ")  # as someone might type it from paper
    ws = open_vault(vault_dir, typed)
    assert ws.vault.via_recovery_key
    ws.change_passphrase(NEW_PASSPHRASE)
    ws.lock()
    open_vault(vault_dir, NEW_PASSPHRASE).lock()
    with pytest.raises(PassphraseNotAccepted):
        vault_files.unlock(vault_dir, PASSPHRASE, sleep=lambda _: None)
    open_vault(vault_dir, recovery_key).lock()


def test_a_replaced_recovery_key_stops_the_old_one(vault_dir: Path, recovery_key: str) -> None:
    ws = open_vault(vault_dir, PASSPHRASE)
    new_key = ws.replace_recovery_key()
    ws.lock()
    with pytest.raises(PassphraseNotAccepted):
        vault_files.unlock(vault_dir, recovery_key, sleep=lambda _: None)
    open_vault(vault_dir, new_key).lock()


def test_recovery_key_normalisation_forgives_case_spaces_and_lookalikes() -> None:
    assert normalise_recovery_key("abcd efgh ijkl mnop qrst uvwx yz23 4567") == (
        "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
    )
    assert normalise_recovery_key("0BCD-EFGH-1JKL-MNOP-QRST-UVWX-YZ23-4567") == (
        "OBCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
    )
    assert normalise_recovery_key("too short") is None


def test_every_connection_runs_the_key_first_and_a_verifying_read_second(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    traces: list[list[str]] = []
    real_connect = sqlcipher3.connect

    def traced_connect(*args: Any, **kwargs: Any) -> Any:
        connection = real_connect(*args, **kwargs)
        statements: list[str] = []
        connection.set_trace_callback(statements.append)
        traces.append(statements)
        return connection

    monkeypatch.setattr(sqlcipher3, "connect", traced_connect)
    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        people.add_child(ws, child_details())
        # Make the pool open more connections: check out several at once.
        held = [ws.vault.engine.raw_connection() for _ in range(3)]
        for connection in held:
            connection.close()
    finally:
        ws.lock()
    keyed = [t for t in traces if t]  # the process-wide log silencer runs on :memory: unkeyed
    assert len(keyed) >= 3
    for statements in keyed:
        assert statements[0].startswith("PRAGMA key = \"x'")
        assert statements[1] == "SELECT count(*) FROM sqlite_master"


def test_sqlite_memory_security_is_left_off_process_wide(workspace: Any) -> None:
    """Once on, `cipher_memory_security` holds for every connection in the process and cannot
    be turned off; vault/engine.py says why the app leaves it off (SQLCipher's keys are on its
    own locked, wiped heap either way)."""
    with workspace.vault.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cipher_memory_security").scalar() == "0"


def test_lock_disposes_the_engine_and_zeroes_the_key(vault_dir: Path) -> None:
    ws = open_vault(vault_dir, PASSPHRASE)
    key_buffer = ws.vault._data_key
    engine = ws.vault.engine
    ws.lock()
    assert key_buffer == bytearray(32)
    assert isinstance(engine.pool, QueuePool)
    assert engine.pool.checkedout() == 0
    with pytest.raises(RuntimeError, match="locked"):
        caseload.list_children(ws)


def test_damaged_key_file_is_reported_in_one_sentence(vault_dir: Path) -> None:
    (vault_dir / "vault.key").write_text("{ this is not json")
    with pytest.raises(Problem, match="key file is damaged"):
        open_vault(vault_dir, PASSPHRASE)


def test_key_file_from_another_vault_is_not_accepted(vault_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    create_vault(other, PASSPHRASE, PROFILE)[0].lock()
    (vault_dir / "vault.key").write_bytes((other / "vault.key").read_bytes())
    with pytest.raises(Problem, match="does not match its key file"):
        open_vault(vault_dir, PASSPHRASE)


def test_key_file_round_trips(vault_dir: Path) -> None:
    raw = (vault_dir / "vault.key").read_bytes()
    assert KeyFile.from_bytes(raw).to_bytes() == raw


def test_unlock_removes_key_file_temps_left_by_a_killed_change(vault_dir: Path) -> None:
    # A change killed before its rename leaves a whole key file wrapped under the new passphrase.
    stale = vault_dir / ".vault.key.424242.tmp"
    stale.write_bytes((vault_dir / "vault.key").read_bytes())
    vault_files.unlock(vault_dir, PASSPHRASE).lock()
    assert not stale.exists()


def test_the_audit_records_a_passphrase_change_only_once_it_happened(workspace: Any) -> None:
    before = len(audit_trail(workspace))
    with pytest.raises(InvalidInput):
        workspace.change_passphrase("password123")
    assert len(audit_trail(workspace)) == before
    workspace.change_passphrase(NEW_PASSPHRASE)
    assert audit_trail(workspace)[-1].action == "passphrase_change"


def test_the_data_key_opens_the_vault_without_the_kdf_and_the_unlock_is_audited(
    vault_dir: Path, data_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(2):
        with pytest.raises(PassphraseNotAccepted):
            vault_files.unlock(vault_dir, "wrong wrong wrong", sleep=lambda _: None)

    def no_kdf(self: KdfParameters, secret: str) -> bytes:
        raise AssertionError("Argon2id ran")

    monkeypatch.setattr(KdfParameters, "derive", no_kdf)
    held = bytearray(data_key)
    ws = open_vault_with_data_key(vault_dir, held)
    try:
        actions = [row.action for row in audit_trail(ws)]
        assert not ws.vault.via_recovery_key
    finally:
        ws.lock()
    # The failed attempts on record are audited with the unlock, as after a passphrase.
    assert actions[-3:] == ["failed_unlock", "failed_unlock", "unlock"]
    # Locking zeroed the vault's own copy of the key, not the caller's.
    assert held == bytearray(data_key)


def test_a_wrong_data_key_is_refused_in_one_sentence_and_nothing_is_written(
    vault_dir: Path,
) -> None:
    before = {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.is_file()}
    with pytest.raises(Problem, match="does not match its key file"):
        open_vault_with_data_key(vault_dir, bytes(range(32)))
    assert {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.is_file()} == before
