"""QA of issue 16 (branch qa16): files the app reads from the vault folder or a backup, written by
someone else (or damaged), must cost bounded work and end in one sentence, never a traceback or a
hang. Each test states the fact that should hold; they fail on main as of 8549b1c."""

import io
import json
import tarfile
from pathlib import Path

import pytest

from practitioner_app.domain.enums import AuditAction
from practitioner_app.services import integrity
from practitioner_app.services.workspace import open_vault_with_data_key
from practitioner_app.vault.audit_head import HEAD_NAME
from practitioner_app.vault.vault import DB_NAME, KEY_NAME
from tests.conftest import PASSPHRASE, run_app

ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}

# Under the 64 KB a key file may be, but deeper than Python's JSON decoder can recurse.
NESTED = "[" * 60_000


def _failed_unlocks(vault_dir: Path, data_key: bytes) -> int:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        return sum(
            1 for row in integrity.audit_trail(ws) if row.action == AuditAction.FAILED_UNLOCK
        )
    finally:
        ws.lock()


def test_a_key_file_claiming_many_failed_unlocks_costs_bounded_work_at_unlock(
    vault_dir: Path, data_key: bytes
) -> None:
    """The failure count in vault.key is plain JSON that anyone can edit, and a restored backup
    brings its own. Unlock writes one audit event per counted attempt whose time is not known, so
    a count of 10**7 (tried: `restore` of such a backup and every later unlock ran past 60 s;
    20,000 took 16 s and grew vault.db from 1.3 to 6.1 MB) is work without bound. The count
    should be audited as a number, in a bounded number of events."""
    before = _failed_unlocks(vault_dir, data_key)
    key = json.loads((vault_dir / KEY_NAME).read_text())
    key["unlock_failures"]["total"] += 5_000
    (vault_dir / KEY_NAME).write_text(json.dumps(key))
    after = _failed_unlocks(vault_dir, data_key)
    assert after - before <= 10, f"one unlock wrote {after - before} failed_unlock events"


def test_a_deeply_nested_key_file_is_refused_in_a_sentence(vault_dir: Path) -> None:
    """vault.key holding JSON nested 60,000 deep (under the 64 KB limit): `children` printed a
    RecursionError traceback. It should exit 1 with one sentence."""
    (vault_dir / KEY_NAME).write_text(NESTED)
    ran = run_app("children", "--vault", str(vault_dir), env=ENV)
    assert ran.returncode == 1
    assert "Traceback" not in ran.stderr, ran.stderr[-400:]
    assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr[-400:]


@pytest.mark.parametrize("content", [NESTED, "{" * 60_000, '{"mac": ' * 5000])
def test_a_deeply_nested_audit_head_is_named_by_verify_and_locks_nobody_out(
    vault_dir: Path, content: str
) -> None:
    """audit-head.json nested 60,000 deep gave a RecursionError traceback. The head is evidence
    kept beside the key file, not a key: a head file that is not one this app wrote is recorded
    as altered at unlock (the vault still opens, so the records stay readable) and `verify`
    names it, exit 1, never a traceback. (QA asked for `children` to exit 1; refusing to open the
    vault over a damaged evidence file would let anyone who can write the folder lock the
    practitioner out of every record, so the fact tested is the named finding instead.)"""
    (vault_dir / HEAD_NAME).write_text(content)
    ran = run_app("children", "--vault", str(vault_dir), env=ENV)
    assert "Traceback" not in ran.stderr, ran.stderr[-400:]
    assert ran.returncode == 0, ran.stderr
    checked = run_app("verify", "--vault", str(vault_dir), env=ENV)
    assert checked.returncode == 1, checked.stdout
    assert "Traceback" not in checked.stderr, checked.stderr[-400:]
    assert "audit head kept beside the key file was altered" in checked.stdout, checked.stdout


def test_a_backup_whose_key_file_is_deeply_nested_is_refused_in_a_sentence(
    vault_dir: Path, tmp_path: Path
) -> None:
    """`restore` of a tar holding vault.db and a vault.key of 60,000 '[': RecursionError
    traceback. It should exit 1 with one sentence and leave the vault as it was."""
    backup = tmp_path / "hostile.pcbackup"
    with tarfile.open(backup, "w") as tar:
        for member, data in (
            (KEY_NAME, NESTED.encode()),
            (DB_NAME, (vault_dir / DB_NAME).read_bytes()),
        ):
            info = tarfile.TarInfo(member)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
    key_before = (vault_dir / KEY_NAME).read_bytes()
    ran = run_app("restore", "--vault", str(vault_dir), str(backup), env=ENV)
    assert ran.returncode == 1
    assert "Traceback" not in ran.stderr, ran.stderr[-400:]
    assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr[-400:]
    assert (vault_dir / KEY_NAME).read_bytes() == key_before
    assert not (vault_dir / ".restore-staging").exists()


def test_a_key_file_that_gives_a_field_twice_is_refused(vault_dir: Path) -> None:
    """Issue 16 item 9 refuses duplicate keys in bundles; a key file comes from backups too, and
    one giving "version" twice (or "unlock_failures" twice: which count holds?) opened the vault.
    It should be refused as ambiguous, in a sentence."""
    text = (vault_dir / KEY_NAME).read_text().rstrip()
    assert text.endswith("}")
    (vault_dir / KEY_NAME).write_text(
        text[:-1] + ', "unlock_failures": {"total": 0, "not_yet_audited": []}}'
    )
    ran = run_app("children", "--vault", str(vault_dir), env=ENV)
    assert ran.returncode == 1, ran.stdout
    assert len(ran.stderr.strip().splitlines()) == 1


def test_failed_unlock_times_from_the_key_file_are_not_audited_as_fact_when_impossible(
    vault_dir: Path, data_key: bytes
) -> None:
    """The key file's list of failed attempts is plain JSON. Given ["x", "2099-01-01...",
    "1970-01-01..."], the next unlock wrote failed_unlock events dated 01/01/2099 and 01/01/1970
    into the chain (after events of 2026) and dropped "x" without a trace. A time that cannot be
    read, or lies in the future or before the vault was made, should be audited as an attempt of
    unknown time, so that every listed attempt is audited and the chain says nothing impossible."""
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        created = integrity.audit_trail(ws)[0].at
    finally:
        ws.lock()
    key = json.loads((vault_dir / KEY_NAME).read_text())
    key["unlock_failures"]["not_yet_audited"] = [
        "x",
        "2099-01-01T00:00:00+00:00",
        "1970-01-01T00:00:00+00:00",
    ]
    (vault_dir / KEY_NAME).write_text(json.dumps(key))
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        rows = integrity.audit_trail(ws)
        now = rows[-1].at
    finally:
        ws.lock()
    failed = [row for row in rows if row.action == AuditAction.FAILED_UNLOCK]
    assert len(failed) == 3, f"{len(failed)} of 3 listed attempts audited"
    for row in failed:
        assert created <= row.at <= now, f"a failed unlock audited at {row.at:%d/%m/%Y %H:%M}"
