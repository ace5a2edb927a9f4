"""SECURITY.md promise 7: a commit that returned survives the process being killed with SIGKILL."""

import os
import random
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from practitioner_app.services.caseload import list_children
from practitioner_app.services.integrity import verify
from practitioner_app.services.workspace import Workspace, open_vault
from practitioner_app.vault.vault import unlock_with_data_key
from tests._kill_workers import ADD_CHILDREN, Workers
from tests.conftest import PASSPHRASE, PROFILE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

ROUNDS = 30
MAX_KILL_DELAY_SECONDS = 0.3


def _acknowledged_ids(lines: list[str]) -> list[str]:
    ids = []
    for line in lines:
        word, _, child_id = line.partition(" ")
        if word == "committed":
            assert child_id, f"malformed line from the worker: {line!r}"
            ids.append(child_id)
    return ids


@pytest.mark.slow
def test_every_commit_that_returned_survives_sigkill(vault_dir: Path, data_key: bytes) -> None:
    """Workers add children in a loop, printing each id once add_child has returned, and are killed
    with SIGKILL at random moments; after every kill each acknowledged child is in the vault and
    PRAGMA cipher_integrity_check and integrity_check are clean."""
    root = vault_dir
    # The test keeps the vault unlocked (only the key: its connections are closed before each
    # round), so checking after every kill costs no Argon2 derivation; the workers open it with
    # the same data key.
    checker = unlock_with_data_key(root, data_key)
    reader = Workspace(checker, PROFILE)
    rng = random.Random(20240607)
    acknowledged: set[str] = set()
    rounds_with_acknowledged_commits = 0
    try:
        with Workers(ADD_CHILDREN) as workers:
            for round_number in range(ROUNDS):
                worker = workers.next()
                worker.start(vault=str(root), data_key=data_key.hex(), round=round_number)
                worker.expect("ready")
                for _ in range(rng.randint(0, 3)):
                    worker.readline()
                time.sleep(rng.uniform(0.0, MAX_KILL_DELAY_SECONDS))
                lines = worker.kill()
                assert worker.returncode == -signal.SIGKILL, (
                    f"round {round_number}: the worker was not killed but ended with status "
                    f"{worker.returncode}; its stderr:\n{worker.stderr()}"
                )

                this_round = _acknowledged_ids(lines)
                assert len(set(this_round)) == len(this_round), "an id was acknowledged twice"
                acknowledged.update(this_round)
                rounds_with_acknowledged_commits += bool(this_round)

                present = {child.id for child in list_children(reader)}
                lost = acknowledged - present
                assert not lost, (
                    f"round {round_number}: {len(lost)} acknowledged commit(s) missing after "
                    f"SIGKILL, e.g. {sorted(lost)[:3]}"
                )
                # Only the add_child in flight when the kill landed may have committed unacknowledged.
                assert len(present - acknowledged) <= round_number + 1
                assert checker.damage_report() == [], f"round {round_number}: vault damaged"
                # No connection of ours may be open while the next worker runs and is killed.
                checker.engine.dispose()
    finally:
        checker.lock()

    # The kills must have landed among commits, not only before the first one.
    assert rounds_with_acknowledged_commits >= ROUNDS // 2
    assert len(acknowledged) >= ROUNDS

    # Opened as the practitioner would open it: every acknowledged record is there, the file is
    # sound and the audit chain (one row per commit) is unbroken.
    ws = open_vault(root, PASSPHRASE)
    try:
        assert acknowledged <= {child.id for child in list_children(ws)}
        report = verify(ws)
        assert report.database_problems == ()
        assert report.first_broken_seq is None
        assert report.ok
    finally:
        ws.lock()


def test_commits_wait_for_the_disk(workspace: Workspace) -> None:
    """SIGKILL leaves the operating system's page cache intact, so the kill test above cannot
    notice a commit that returned before reaching the disk (that needs a power cut). What makes a
    returned commit survive a power cut is the journal mode and synchronous level every connection
    runs with, so check those on a connection the app itself opens."""
    with workspace.vault.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        # 2 is FULL: in WAL mode, each commit fsyncs the log before it returns.
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2
