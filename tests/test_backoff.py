"""Backoff that cannot be silently reset (issue 16 item 7, SECURITY.md promise 4): failed unlock
attempts are counted in the key file under a lock, survive deleting any other file, count one by
one when made in parallel, and every one reaches the audit chain at the next unlock; a count that
was edited down is audited and named by `verify`."""

import errno
import json
import multiprocessing
from datetime import datetime
from pathlib import Path

import pytest

from practitioner_app.domain.errors import PassphraseNotAccepted
from practitioner_app.services import integrity
from practitioner_app.services.workspace import open_vault
from practitioner_app.vault.keyfile import FULL_DISK_FIELD, KeyFile
from practitioner_app.vault.vault import KEY_NAME, backoff_delay, unlock
from tests.conftest import PASSPHRASE

WRONG = "not the passphrase at all"


def _fail(root: Path, delays: list[float] | None = None) -> None:
    with pytest.raises(PassphraseNotAccepted):
        unlock(root, WRONG, sleep=(delays.append if delays is not None else lambda _: None))


def _key_file(root: Path) -> KeyFile:
    return KeyFile.load(root / KEY_NAME)


def test_deleting_every_other_file_does_not_reset_the_backoff(vault_dir: Path) -> None:
    for _ in range(5):
        _fail(vault_dir)
    for path in vault_dir.iterdir():
        if path.is_file() and path.name not in (KEY_NAME, "vault.db"):
            path.unlink()
    delays: list[float] = []
    _fail(vault_dir, delays)
    assert delays == [backoff_delay(5)]
    assert backoff_delay(5) > 0
    assert _key_file(vault_dir).failures_total == 6


def test_a_vault_from_before_counts_the_failures_its_old_file_kept(vault_dir: Path) -> None:
    stamps = ["2026-11-29T10:00:00+00:00", "2026-11-29T10:00:05+00:00", "2026-11-29T10:00:09+00:00"]
    (vault_dir / "unlock-failures.json").write_text(json.dumps(stamps))
    delays: list[float] = []
    _fail(vault_dir, delays)
    assert delays == [backoff_delay(3)]
    assert not (vault_dir / "unlock-failures.json").exists()
    assert _key_file(vault_dir).failures_total == 4


def _guess(root: str) -> str:
    try:
        unlock(Path(root), WRONG, sleep=lambda _: None)
    except PassphraseNotAccepted:
        return "refused"
    return "opened"


def test_six_guesses_made_at_once_count_as_six(vault_dir: Path) -> None:
    with multiprocessing.get_context("fork").Pool(6) as pool:
        outcomes = pool.map(_guess, [str(vault_dir)] * 6)
    assert outcomes == ["refused"] * 6
    kept = _key_file(vault_dir)
    assert kept.failures_total == 6
    assert len(set(kept.failed_at)) == 6


def test_every_failed_attempt_reaches_the_audit_at_the_next_unlock(vault_dir: Path) -> None:
    for _ in range(3):
        _fail(vault_dir)
    attempted = [*_key_file(vault_dir).failed_at]
    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        trail = integrity.audit_trail(ws)
    finally:
        ws.lock()
    failed = [row for row in trail if row.action == "failed_unlock"]
    # The chain keeps times to the millisecond (store/audit.py); compared as text to the
    # millisecond, not by the first 23 characters, which an attempt made in the first
    # millisecond of a second (printed without a fraction) does not have.
    assert [row.at.isoformat(timespec="milliseconds") for row in failed] == [
        datetime.fromisoformat(stamp).isoformat(timespec="milliseconds") for stamp in attempted
    ]
    unlocked = [row for row in trail if row.action == "unlock"][-1]
    assert json.loads(unlocked.detail)["failed_unlocks_total"] == 3
    # Audited once: the key file keeps the total but no longer lists them.
    assert _key_file(vault_dir).failed_at == ()
    assert _key_file(vault_dir).failures_total == 3


def _edit_key_file(root: Path, **failures: object) -> None:
    document = json.loads((root / KEY_NAME).read_text())
    document["unlock_failures"].update(failures)
    (root / KEY_NAME).write_text(json.dumps(document))


def test_failures_whose_times_were_removed_are_still_audited(vault_dir: Path) -> None:
    open_vault(vault_dir, PASSPHRASE).lock()
    for _ in range(4):
        _fail(vault_dir)
    _edit_key_file(vault_dir, not_yet_audited=[])
    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        trail = integrity.audit_trail(ws)
    finally:
        ws.lock()
    lost = [row for row in trail if row.action == "failed_unlock"]
    assert len(lost) == 4
    assert all(json.loads(row.detail) == {"time_not_known": True} for row in lost)


def test_a_count_edited_down_is_audited_and_named_by_verify(vault_dir: Path) -> None:
    open_vault(vault_dir, PASSPHRASE).lock()
    for _ in range(5):
        _fail(vault_dir)
    open_vault(vault_dir, PASSPHRASE).lock()
    for _ in range(5):
        _fail(vault_dir)
    _edit_key_file(vault_dir, total=0, not_yet_audited=[])
    delays: list[float] = []
    # The edit does lift the delay for the next guess; it cannot hide that it was made.
    _fail(vault_dir, delays)
    assert delays == []
    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        report = integrity.verify(ws)
    finally:
        ws.lock()
    assert not report.ok
    assert any(
        "count of failed unlock attempts kept in the key file had gone back from 5 to 1" in said
        for said in report.findings
    ), report.findings


def test_failures_audited_by_an_open_with_the_data_key_are_not_audited_twice(
    vault_dir: Path, data_key: bytes
) -> None:
    from practitioner_app.services.workspace import open_vault_with_data_key

    open_vault(vault_dir, PASSPHRASE).lock()
    for _ in range(2):
        _fail(vault_dir)
    open_vault_with_data_key(vault_dir, data_key).lock()
    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        failed = [row for row in integrity.audit_trail(ws) if row.action == "failed_unlock"]
        assert integrity.verify(ws).ok
    finally:
        ws.lock()
    assert len(failed) == 2


def _disk_refuses_new_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full (or read-only) disk: every new key file fails as the kernel fails it, while bytes
    already allocated can still be rewritten in place (the real case is test_qa16_evidence's
    tmpfs at 0 bytes free; this one runs everywhere)."""

    def refuse(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("practitioner_app.vault.keyfile.atomic_write", refuse)


def test_guesses_on_a_full_disk_are_counted_in_place_delayed_and_audited(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_vault(vault_dir, PASSPHRASE).lock()
    size_before = (vault_dir / KEY_NAME).stat().st_size
    with monkeypatch.context() as full:
        _disk_refuses_new_files(full)
        delays: list[float] = []
        for _ in range(5):
            _fail(vault_dir, delays)
        # The right passphrase on the full disk opens the vault and is not counted as a guess.
        unlock(vault_dir, PASSPHRASE, sleep=lambda _: None).lock()
    # Free for the first typos, then growing (only a real delay is slept).
    assert delays == [backoff_delay(3), backoff_delay(4)]
    assert backoff_delay(4) > 0
    assert (vault_dir / KEY_NAME).stat().st_size == size_before  # rewritten in place
    assert _key_file(vault_dir).failures_total == 5
    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        trail = integrity.audit_trail(ws)
    finally:
        ws.lock()
    failed = [row for row in trail if row.action == "failed_unlock"]
    assert len(failed) == 5
    assert all("time_not_known" not in json.loads(row.detail or "{}") for row in failed)
    # Folded into the count proper and the room emptied by the next save.
    document = json.loads((vault_dir / KEY_NAME).read_text())
    assert document[FULL_DISK_FIELD].strip() == ""
    assert document["unlock_failures"]["total"] == 5


@pytest.mark.parametrize(
    ("room", "count", "times"),
    [
        ("0000000003 20261130T101500Z 20261130T101505Z", 3, 2),  # more counted than timed
        ("00000x0003 20261130T101500Z 2026113", 1, 1),  # a crash mid-write: count unreadable
        ("\u00e9" * 20, 0, 0),
        ("9" * 40, 0, 0),  # a count too long to be ours is not a count
    ],
)
def test_the_full_disk_count_is_read_leniently_and_never_lowers_the_total(
    vault_dir: Path, room: str, count: int, times: int
) -> None:
    document = json.loads((vault_dir / KEY_NAME).read_text())
    document[FULL_DISK_FIELD] = room
    (vault_dir / KEY_NAME).write_text(json.dumps(document))
    loaded = _key_file(vault_dir)
    assert loaded.failures_total == document["unlock_failures"]["total"] + count
    assert len(loaded.failed_at) == len(document["unlock_failures"]["not_yet_audited"]) + times
