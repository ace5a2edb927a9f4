"""SECURITY.md promise 5: a passphrase change killed at any point leaves the vault opening with
exactly one of the old and the new passphrase."""

import errno
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from practitioner_app.domain.errors import PassphraseNotAccepted, Problem
from practitioner_app.services.workspace import open_vault
from practitioner_app.vault.audit_head import HEAD_NAME
from practitioner_app.vault.keyfile import PASSPHRASE_SLOT, RECOVERY_SLOT, KeyFile
from practitioner_app.vault.vault import DB_NAME, KEY_NAME, VaultPaths, unlock
from tests._kill_workers import AFTER_RENAME, BEFORE_RENAME, CHANGE_PASSPHRASE, Worker, Workers
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

ROUNDS = 22
# Kill delays, counted from the moment the worker starts the change, run up to this many times as
# long as a whole change took in the calibration rounds, so most kills land inside it, some after.
DELAY_SPAN = 1.5
# Every other kill is aimed near the end of the change, where the key file is written and renamed.
NEAR_THE_END = (0.7, 1.1)
# Added to each fsync the workers make from Python, so the key file's write and rename take long
# enough for random kills to land inside them (see _kill_workers._slow_down_fsync).
SLOW_FSYNC_SECONDS = 0.03

# Files a vault folder may hold between rounds; anything else must be a killed worker's temp file.
# The audit head kept outside the database belongs there too.
_VAULT_FILES = {KEY_NAME, DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", HEAD_NAME}


def _no_sleep(seconds: float) -> None:
    pass


# Whether a passphrase unwraps a key file depends only on the file's bytes and the passphrase, so a
# key file already probed (a change killed before its rename leaves it as it was) is answered from
# here without two more Argon2id runs. Any other file is probed for real.
_opens_with: dict[tuple[Path, bytes, str], bool] = {}


def _opens(root: Path, raw: bytes, candidate: str) -> bool:
    probe = (root, raw, candidate)
    if probe not in _opens_with:
        try:
            unlocked = unlock(root, candidate, sleep=_no_sleep)
        except PassphraseNotAccepted:
            _opens_with[probe] = False
        else:
            unlocked.lock()
            _opens_with[probe] = True
    return _opens_with[probe]


def _passphrase_that_opens(root: Path, candidates: tuple[str, str]) -> str:
    """Which of the two candidates unlocks the vault; fails unless exactly one does."""
    raw = (root / KEY_NAME).read_bytes()
    key_file = KeyFile.from_bytes(raw)  # raises if the key file does not parse
    assert set(key_file.slots) == {PASSPHRASE_SLOT, RECOVERY_SLOT}
    opening = [candidate for candidate in candidates if _opens(root, raw, candidate)]
    # The probe's own wrong guess must not slow the next worker's unlock down (backoff).
    VaultPaths(root).failures.unlink(missing_ok=True)
    assert len(opening) == 1, (
        f"the vault opens with {len(opening)} of the old and new passphrases; it must be exactly 1"
    )
    return opening[0]


def _stray_files(root: Path) -> set[str]:
    return {path.name for path in root.iterdir()} - _VAULT_FILES


def _temp_file_of(pid: int) -> str:
    return f".{KEY_NAME}.{pid}.tmp"


def _job(root: Path, data_key: bytes, new: str, **extra: Any) -> dict[str, Any]:
    # The worker opens the vault with its data key (a change re-wraps the same key), so its
    # only Argon2id run is the change itself.
    return {"vault": str(root), "data_key": data_key.hex(), "new_passphrase": new, **extra}


def _slow_job(root: Path, data_key: bytes, new: str) -> dict[str, Any]:
    return _job(root, data_key, new, slow_fsync=SLOW_FSYNC_SECONDS)


@pytest.mark.slow
def test_killed_change_leaves_exactly_one_passphrase(
    vault_dir: Path, recovery_key: str, data_key: bytes
) -> None:
    """Workers change the passphrase and are killed with SIGKILL at delays spread across the
    change; after every kill exactly one of the two passphrases opens the vault."""
    root = vault_dir
    rng = random.Random(20240607)
    current, other = PASSPHRASE, NEW_PASSPHRASE
    killed_pids: set[int] = set()
    outcomes = {"old kept": 0, "new in force": 0}

    with Workers(CHANGE_PASSPHRASE) as workers:
        # Calibration: changes left to finish, to learn how long one takes on this machine. The
        # second runs as the rounds do, beside the next worker's start-up.
        change_seconds = 0.0
        for _ in range(2):
            worker = workers.next()
            worker.start(**_slow_job(root, data_key, other))
            worker.expect("ready")
            started = time.monotonic()
            worker.expect("changed")
            change_seconds = max(change_seconds, time.monotonic() - started)
            worker.finish()
            assert worker.returncode == 0, worker.stderr()
            assert _passphrase_that_opens(root, (current, other)) == other
            current, other = other, current

        for round_number in range(ROUNDS):
            # Spread over the whole change (audit commit, Argon2id, temp file, rename) and past it.
            if round_number % 2:
                fraction = rng.uniform(*NEAR_THE_END)
            else:
                fraction = (round_number + rng.random()) / ROUNDS * DELAY_SPAN
            delay = fraction * change_seconds
            worker = workers.next()
            # Each round changes whichever passphrase is in force to the other one.
            worker.start(**_slow_job(root, data_key, other))
            worker.expect("ready")
            time.sleep(delay)
            lines = worker.kill()
            killed_pids.add(worker.pid)
            assert worker.returncode in (0, -signal.SIGKILL), worker.stderr()

            opens_with = _passphrase_that_opens(root, (current, other))
            if "changed" in lines:
                # The change returned, so it must have landed.
                assert opens_with == other, f"round {round_number}: a finished change was lost"
            outcomes["new in force" if opens_with == other else "old kept"] += 1
            # A killed change may leave its own temp file; nothing else may appear.
            assert _stray_files(root) <= {_temp_file_of(pid) for pid in killed_pids}
            if opens_with == other:
                current, other = other, current

    # The delays must have put kills both before and after the change took effect.
    assert all(outcomes.values()), outcomes

    # Whatever temp files the kills left, the passphrase in force can still be changed, the
    # recovery key still opens the vault, and the database is sound.
    unlocked = unlock(root, current, sleep=_no_sleep)
    try:
        unlocked.change_passphrase(other)
    finally:
        unlocked.lock()
    assert _passphrase_that_opens(root, (current, other)) == other
    by_recovery = unlock(root, recovery_key, sleep=_no_sleep)
    try:
        assert by_recovery.via_recovery_key
        assert by_recovery.damage_report() == []
    finally:
        by_recovery.lock()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kill_at", "expected"),
    [(BEFORE_RENAME, PASSPHRASE), (AFTER_RENAME, NEW_PASSPHRASE)],
    ids=["old-before-rename", "new-after-rename"],
)
def test_kill_at_the_key_file_rename(
    vault_dir: Path, data_key: bytes, kill_at: str, expected: str
) -> None:
    """A real kill -9 at the one moment that matters: the new key file is written and fsynced
    beside the old one, and the rename has or has not happened."""
    worker = Worker(CHANGE_PASSPHRASE)
    try:
        worker.start(**_job(vault_dir, data_key, NEW_PASSPHRASE, kill_at=kill_at))
        worker.expect("ready")
        # The worker kills itself at the rename.
        lines = worker.finish()
    finally:
        worker.retire()
    assert worker.returncode == -signal.SIGKILL, worker.stderr()
    assert "changed" not in lines

    assert _passphrase_that_opens(vault_dir, (PASSPHRASE, NEW_PASSPHRASE)) == expected
    assert _stray_files(vault_dir) <= {_temp_file_of(worker.pid)}
    # A temp file left by the kill does not stop the next change.
    unlocked = unlock(vault_dir, expected, sleep=_no_sleep)
    try:
        unlocked.change_passphrase("amber willow compass meadow")
    finally:
        unlocked.lock()
    assert _passphrase_that_opens(vault_dir, (expected, "amber willow compass meadow")) == (
        "amber willow compass meadow"
    )


def test_failed_rename_keeps_the_old_passphrase(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename of the new key file over the old one fails (as a crash there would stop it):
    the change is reported as not done, the old passphrase still opens, no temp file is left,
    and trying again works."""
    real_replace = os.replace
    renamed_targets: list[Path] = []

    def replace_failing_once(source: Any, target: Any) -> None:
        renamed_targets.append(Path(target))
        if len(renamed_targets) == 1:
            raise OSError(errno.EIO, "simulated failure before the rename")
        real_replace(source, target)

    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        monkeypatch.setattr("practitioner_app.vault.files.os.replace", replace_failing_once)
        with pytest.raises(Problem, match="passphrase change"):
            ws.change_passphrase(NEW_PASSPHRASE)
        monkeypatch.undo()
        assert renamed_targets == [vault_dir / KEY_NAME]

        assert _passphrase_that_opens(vault_dir, (PASSPHRASE, NEW_PASSPHRASE)) == PASSPHRASE
        assert _stray_files(vault_dir) == set()

        # The same open vault can try again, and this time the change lands.
        ws.change_passphrase(NEW_PASSPHRASE)
    finally:
        ws.lock()
    assert _passphrase_that_opens(vault_dir, (PASSPHRASE, NEW_PASSPHRASE)) == NEW_PASSPHRASE
