"""Ctrl-C while a change is being saved waits until the save and its audit witness are whole
(interrupts.py), and is raised straight after."""

import signal
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from practitioner_app.domain.enums import AuditAction
from practitioner_app.interrupts import ctrl_c_held_back
from practitioner_app.services import (
    bundles,
    casework,
    exports,
    integrity,
    people,
    photographs,
    records,
)
from practitioner_app.services.workspace import DiskFull, Workspace
from practitioner_app.vault import audit_head, files
from tests import photos
from tests.conftest import PASSPHRASE, child_details, run_cli, visit_details


def _press_ctrl_c() -> None:
    signal.raise_signal(signal.SIGINT)


def _held(steps: list[str], *, inner_hold: bool = False, fail: bool = False) -> None:
    """Ctrl-C pressed inside a hold (or a hold within a hold), then the block goes on."""
    with ctrl_c_held_back():
        if inner_hold:
            with ctrl_c_held_back():
                _press_ctrl_c()
            steps.append("after the inner hold")
        else:
            _press_ctrl_c()
        steps.append("after Ctrl-C")
        if fail:
            raise OSError("the save failed")


def test_ctrl_c_inside_the_hold_is_raised_when_it_ends() -> None:
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        _held(steps)
    assert steps == ["after Ctrl-C"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with ctrl_c_held_back():
        steps.append("no Ctrl-C, nothing raised")
    assert steps == ["after Ctrl-C", "no Ctrl-C, nothing raised"]


def test_the_blocks_own_error_goes_on_and_the_handler_comes_back() -> None:
    steps: list[str] = []
    with pytest.raises(OSError, match="the save failed"):
        _held(steps, fail=True)
    assert steps == ["after Ctrl-C"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_hold_inside_a_hold_leaves_the_ctrl_c_to_the_outer_one() -> None:
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        _held(steps, inner_hold=True)
    assert steps == ["after the inner hold", "after Ctrl-C"]


def test_off_the_main_thread_the_hold_changes_nothing() -> None:
    # Python runs signal handlers on the main thread only, and refuses to set one elsewhere.
    seen: list[object] = []

    def worker() -> None:
        with ctrl_c_held_back():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler]


def test_ctrl_c_just_after_a_commit_leaves_the_change_and_its_witness_whole(
    workspace: Workspace,
) -> None:
    # The window a real SIGINT found (issue 19, fresh review): saved, but the head kept beside
    # the key file one step behind the chain, because the interrupt stopped the unit of work
    # before it wrote the witness.
    child = people.add_child(workspace, child_details())
    rang: list[bool] = []

    def ring(_session: Any) -> None:
        if not rang:
            rang.append(True)
            _press_ctrl_c()

    event.listen(Session, "after_commit", ring)
    try:
        with pytest.raises(KeyboardInterrupt):
            records.create_entry(workspace, visit_details(child.id))
    finally:
        event.remove(Session, "after_commit", ring)
    assert rang
    assert len(casework.entries(workspace, child.id, "visit")) == 1  # saved
    kept = audit_head.read(workspace.vault.paths.root, workspace.audit_key())
    assert kept is not None
    assert (kept.seq, kept.hash) == integrity.audit_head(workspace)  # and witnessed


@pytest.mark.parametrize("kind", ["bundle", "chronology PDF", "photograph"])
def test_ctrl_c_just_after_an_export_is_written_leaves_it_audited(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    # Fresh review: a Ctrl-C between writing a copy of case data and auditing it left the file
    # on disk with no audit event, and nothing for the next unlock to find.
    child = people.add_child(workspace, child_details())
    records.create_entry(workspace, visit_details(child.id))
    out = tmp_path / "copy.out"
    photographs.set_photographs_allowed(workspace, True)
    _, observation = photos.injury_observation(workspace)
    photograph = photographs.attach(workspace, "observation", observation, photos.jpeg())

    def ring(name: str) -> None:
        if name.endswith("export: written"):
            _press_ctrl_c()

    monkeypatch.setattr(files, "step", ring)
    before = len(integrity.audit_trail(workspace))

    def export() -> object:
        if kind == "bundle":
            return bundles.write_bundle(workspace, out)
        if kind == "photograph":
            return photographs.export_photograph(workspace, photograph.photograph.id, out)
        return exports.chronology(workspace, child.id, out)

    with pytest.raises(KeyboardInterrupt):
        export()
    assert out.stat().st_size > 0  # the copy was made...
    trail = integrity.audit_trail(workspace)
    assert [row.action for row in trail[before:]] == [AuditAction.EXPORT]  # ...and recorded


@pytest.mark.parametrize(
    ("pressed_at", "made"), [("backup: archive written", False), ("backup: archive in place", True)]
)
def test_ctrl_c_during_a_backup_leaves_none_or_one_that_is_audited(
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pressed_at: str,
    made: bool,
) -> None:
    # Fresh review: a Ctrl-C between the backup's rename and its audit left a whole backup of
    # the vault on disk that the audit trail did not know of.
    people.add_child(workspace, child_details())
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    out = folder / "vault.pcbackup"

    def ring(name: str) -> None:
        if name == pressed_at:
            _press_ctrl_c()

    monkeypatch.setattr(files, "step", ring)
    before = len(integrity.audit_trail(workspace))
    with pytest.raises(KeyboardInterrupt):
        integrity.backup(workspace, out)
    trail = integrity.audit_trail(workspace)
    assert out.exists() is made
    assert [row.action for row in trail[before:]] == ([AuditAction.BACKUP] if made else [])
    assert [p.name for p in folder.iterdir()] == (["vault.pcbackup"] if made else [])


def test_ctrl_c_held_through_an_unaudited_copy_still_says_it_is_unaudited(
    vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fresh review: with the vault's disk full and Ctrl-C pressed once the backup was in place,
    # the sentence saying the backup is not audited was dropped, and the CLI pointed to `audit`.
    def full(*_: Any, **__: Any) -> None:
        raise DiskFull("The vault's disk is full.")

    def ring(name: str) -> None:
        if name == "backup: archive in place":
            monkeypatch.setattr(Workspace, "audit_alone", full)
            _press_ctrl_c()

    monkeypatch.setattr(files, "step", ring)
    out = tmp_path / "out" / "v.pcbackup"
    out.parent.mkdir()
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    result = run_cli("backup", "--vault", str(vault_dir), str(out), env=env)
    assert result.returncode == 130
    assert out.exists()
    assert "the audit trail does not record it" in result.stderr
    assert "stopped" in result.stderr
