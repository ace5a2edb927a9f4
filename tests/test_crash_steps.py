"""Issue 16 item 2: a restore, a backup or an export killed (SIGKILL) at every one of its steps
leaves a vault that opens with its key file and database from the same vault, loses nothing
committed, leaves no staging, part or temp file (a PDF's temp is plaintext) once the vault is next
opened, and never has an audit line for a backup or export that did not finish; the removal of
what a killed export left is itself audited."""

import json
import os
import shutil
import stat
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from practitioner_app.services import caseload, integrity, people
from practitioner_app.services.workspace import (
    Profile,
    Workspace,
    create_vault,
    open_vault_with_data_key,
)
from practitioner_app.vault.keyfile import PASSPHRASE_SLOT, KeyFile
from practitioner_app.vault.vault import (
    DB_NAME,
    KEY_NAME,
    RESTORE_JOURNAL,
    RESTORE_STAGING,
)
from tests._kill_workers import BACKUP, EXPORT_BUNDLE, EXPORT_PDF, RESTORE, Worker, Workers
from tests.conftest import PASSPHRASE, child_details

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

OLD_CHILDREN = {f"Old{i}" for i in range(5)}
NEW_CHILDREN = {"New0", "New1"}

# Every step of a restore, in order. Up to the journal's rename the vault must be the one that
# was there; from the journal on, the restored one.
RESTORE_STEPS_BEFORE_JOURNAL = [
    "restore: backup unpacked",
    "restore: backup checked",
    "before rename: before-restore-",
    "restore: current vault kept",
    "before rename: restore-journal.json",
]
RESTORE_STEPS_AFTER_JOURNAL = [
    "restore: journal written",
    "restore: old write-ahead log removed",
    "restore: database swapped",
    "restore: key file swapped",
    "restore: journal removed",
]


@pytest.fixture(scope="module")
def crashed_vault(
    template_vault: tuple[Path, str], data_key: bytes, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A vault as a crashed app leaves it: five children committed and still only in its -wal."""
    live = tmp_path_factory.mktemp("live") / "vault"
    shutil.copytree(template_vault[0], live)
    snapshot = tmp_path_factory.mktemp("crashed") / "vault"
    ws = open_vault_with_data_key(live, data_key)
    try:
        for name in sorted(OLD_CHILDREN):
            people.add_child(ws, child_details(given_name=name))
        # Copied while the app still holds the vault: its commits are in the -wal, not yet in
        # vault.db, as after a crash or power cut.
        shutil.copytree(live, snapshot)
    finally:
        ws.lock()
    assert (snapshot / (DB_NAME + "-wal")).stat().st_size > 0
    return snapshot


@pytest.fixture(scope="module")
def other_vault_backup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A backup of another vault (its own id and data key; the same passphrase), and its key."""
    folder = tmp_path_factory.mktemp("other")
    ws, _ = create_vault(folder / "vault", PASSPHRASE, Profile("Ben Ode", "Social worker", "CSC"))
    try:
        for name in sorted(NEW_CHILDREN):
            people.add_child(ws, child_details(given_name=name))
        integrity.backup(ws, folder / "other.pcbackup")
        key = bytes(ws.vault._key())
    finally:
        ws.lock()
    return folder / "other.pcbackup", key


def _children(ws: Workspace) -> set[str]:
    return {child.given_name for child in caseload.list_children(ws)}


def _opened_at_next_start(root: Path, keys: list[bytes]) -> tuple[Workspace, bytes]:
    """The vault as the next start opens it, with whichever of the two vaults' keys fits."""
    problems = []
    for key in keys:
        try:
            return open_vault_with_data_key(root, key), key
        except Exception as error:
            problems.append(str(error))
    raise AssertionError(f"the vault opens with neither vault's key: {problems}")


def _killed(worker: Worker, *folders: Path) -> None:
    """The worker died at its step; what it left in `folders` (staging, parts, temps) is
    owner-only, under the umask the test suite runs with (022 unless set otherwise)."""
    worker.expect("ready")
    lines = worker.finish()
    assert worker.returncode == -9, f"the worker was not killed at its step: {lines}"
    for folder in folders:
        loose = [
            str(path)
            for path in folder.rglob("*")
            if not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) & 0o077
        ]
        assert loose == []


@pytest.fixture
def workers() -> Iterator[Workers]:
    with Workers(RESTORE) as pool:
        yield pool


@pytest.mark.parametrize("step", RESTORE_STEPS_BEFORE_JOURNAL + RESTORE_STEPS_AFTER_JOURNAL)
def test_a_restore_killed_at_any_step_loses_nothing_and_never_mixes_two_vaults(
    step: str,
    crashed_vault: Path,
    other_vault_backup: tuple[Path, bytes],
    data_key: bytes,
    workers: Workers,
    tmp_path: Path,
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(crashed_vault, root)
    backup, new_key = other_vault_backup
    worker = workers.next()
    worker.start(vault=str(root), backup=str(backup), passphrase=PASSPHRASE, kill_at=step)
    _killed(worker, root)

    ws, key = _opened_at_next_start(root, [data_key, new_key])
    try:
        children = _children(ws)
        # Whichever vault it is, its history checks out: the audit head kept beside the key
        # file went with its chain, so a restore a crash finished reads as no tampering.
        report = integrity.verify(ws)
        assert report.ok, report
    finally:
        ws.lock()
    if step in RESTORE_STEPS_BEFORE_JOURNAL:
        assert (key, children) == (data_key, OLD_CHILDREN)
    else:
        assert (key, children) == (new_key, NEW_CHILDREN)
        # The replaced vault, WAL and all, is kept whole: its five children are all there.
        (kept,) = (root / "backups").glob("before-restore-*.pcbackup")
        unpacked = tmp_path / "kept"
        unpacked.mkdir()
        with tarfile.open(kept) as tar:
            assert DB_NAME + "-wal" in tar.getnames()
            tar.extractall(unpacked, filter="data")
        old = open_vault_with_data_key(unpacked, data_key)
        try:
            assert _children(old) == OLD_CHILDREN
        finally:
            old.lock()
    # The key file is the one that opens the database (it was unwrapped, not assumed).
    assert bytes(KeyFile.load(root / KEY_NAME).unwrap(PASSPHRASE_SLOT, PASSPHRASE)) == key
    leftovers = {p.name for p in root.iterdir()} | {p.name for p in root.glob("backups/*")}
    assert RESTORE_STAGING not in leftovers
    assert RESTORE_JOURNAL not in leftovers
    assert not [name for name in leftovers if name.endswith(".tmp")]


def _audit_actions(ws: Workspace) -> list[tuple[str, dict[str, object]]]:
    return [(row.action, json.loads(row.detail)) for row in integrity.audit_trail(ws)]


COPY_STEPS = [
    (BACKUP, "copy.pcbackup", "backup: database copied"),
    (BACKUP, "copy.pcbackup", "before rename: copy.pcbackup"),
    (BACKUP, "copy.pcbackup", "backup: archive in place"),
    (EXPORT_PDF, "chronology.pdf", "before rename: chronology.pdf"),
    (EXPORT_PDF, "chronology.pdf", "pdf export: written"),
    (EXPORT_BUNDLE, "case.json", "before rename: case.json"),
    (EXPORT_BUNDLE, "case.json", "bundle export: written"),
]


@pytest.mark.parametrize(("mode", "name", "step"), COPY_STEPS)
def test_a_backup_or_export_killed_at_any_step_is_never_audited_as_made_and_leaves_no_temp(
    mode: str,
    name: str,
    step: str,
    workspace: Workspace,
    vault_dir: Path,
    data_key: bytes,
    tmp_path: Path,
) -> None:
    child = people.add_child(workspace, child_details())
    workspace.lock()
    out = tmp_path / "elsewhere"
    out.mkdir()
    with Workers(mode) as pool:
        worker = pool.next()
        worker.start(
            vault=str(vault_dir),
            data_key=data_key.hex(),
            out=str(out / name),
            child=child.id,
            kill_at=step,
        )
        _killed(worker, out, vault_dir)
    # Before the next start the temp may still be there; the next unlock removes it.
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        actions = _audit_actions(ws)
    finally:
        ws.lock()
    assert os.listdir(out) in ([], [name])
    made = os.listdir(out) == [name]
    # Made whole only if killed after the rename.
    assert made == (not step.startswith("before rename") and "copied" not in step)
    assert not [a for a, _ in actions if a in ("backup", "export")], actions
    cleanups = [detail for action, detail in actions if action == "cleanup"]
    kind = {BACKUP: "backup", EXPORT_PDF: "pdf export", EXPORT_BUNDLE: "bundle export"}[mode]
    assert cleanups == [{"interrupted": kind, "copy_left_unaudited": made}]
    assert not list((vault_dir / ".unfinished").glob("*.json"))
