"""Issue 16 items 3, 4 and 5: the recovery key is never lost at creation; the app never writes
through a link; everything it writes is owner-only whatever the umask.

Every file the app writes goes through practitioner_app/vault/files.py; the last test here keeps
it that way by reading the source for any other way of writing a file.
"""

import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.services import bundles, exports, integrity, people
from practitioner_app.services.workspace import Workspace, open_vault, open_vault_with_data_key
from practitioner_app.vault import files, restoring
from tests.conftest import PASSPHRASE, child_details, run_cli

ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
PACKAGE = Path(__file__).resolve().parent.parent / "practitioner_app"


def _init(vault: Path, recovery_key_file: Path) -> "tuple[int, str, str]":
    result = run_cli(
        "init",
        "--vault",
        str(vault),
        "--name",
        "Asha Patel",
        "--role",
        "Health visitor",
        "--agency",
        "Northshire",
        "--recovery-key-file",
        str(recovery_key_file),
        env=ENV,
    )
    return result.returncode, result.stdout, result.stderr


# -- item 3: the recovery key ------------------------------------------------------------------------


def _dangling(tmp_path: Path) -> Path:
    link = tmp_path / "recovery.txt"
    link.symlink_to(tmp_path / "nowhere" / "key.txt")
    return link


def _existing(tmp_path: Path) -> Path:
    path = tmp_path / "recovery.txt"
    path.write_text("someone else's key\n")
    return path


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (lambda tmp: tmp / "missing-folder" / "recovery.txt", "does not exist"),
        (_dangling, "is a link"),
        (_existing, "is already there"),
    ],
    ids=["missing folder", "dangling symlink", "existing file"],
)
def test_a_recovery_key_file_that_cannot_be_written_is_refused_before_the_vault_exists(
    tmp_path: Path, make: "object", sentence: str
) -> None:
    destination = make(tmp_path)  # type: ignore[operator]
    before = {p.name for p in tmp_path.iterdir()}
    link_target = os.readlink(destination) if destination.is_symlink() else None
    status, _out, err = _init(tmp_path / "vault", destination)
    assert status == 1
    assert sentence in err
    assert "No vault was created." in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "vault").exists()
    assert {p.name for p in tmp_path.iterdir()} == before
    if link_target is not None:
        assert os.readlink(destination) == link_target
        assert not (tmp_path / "nowhere").exists()


def test_a_recovery_key_whose_file_fails_after_the_vault_is_made_is_shown_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_room(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # The file's place was taken before the vault was made; its final link fails.
    monkeypatch.setattr("practitioner_app.cli.base.os.link", no_room)
    status, out, err = _init(tmp_path / "vault", tmp_path / "recovery.txt")
    assert status == 0
    assert "could not be written" in err
    assert "No space left on device" in err
    shown = re.search(r"^\s+([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})$", out, re.MULTILINE)
    assert shown is not None, out
    assert not (tmp_path / "recovery.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["vault"]
    open_vault(tmp_path / "vault", shown.group(1)).lock()


# -- item 4: never through a link ------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file the app must never write: what a planted link points at."""
    target = tmp_path / "precious.txt"
    target.write_bytes(b"24 bytes of someone's f\n")
    return target


@pytest.fixture
def one_child(workspace: Workspace) -> str:
    return people.add_child(workspace, child_details()).id


def _every_destination(ws: Workspace, child_id: str) -> dict[str, "object"]:
    return {
        "backup": lambda path: integrity.backup(ws, path),
        "chronology pdf": lambda path: exports.chronology(ws, child_id, path),
        "bundle": lambda path: bundles.write_bundle(ws, path),
    }


@pytest.mark.parametrize("what", ["backup", "chronology pdf", "bundle"])
def test_a_link_at_the_destination_is_refused_and_not_written_through(
    workspace: Workspace, one_child: str, outside: Path, tmp_path: Path, what: str
) -> None:
    link = tmp_path / "out" / "copy"
    link.parent.mkdir()
    link.symlink_to(outside)
    write = _every_destination(workspace, one_child)[what]
    with pytest.raises(InvalidInput, match="never writes through links"):
        write(link)  # type: ignore[operator]
    assert outside.read_bytes() == b"24 bytes of someone's f\n"
    assert link.is_symlink()
    assert [p.name for p in link.parent.iterdir()] == ["copy"]


@pytest.mark.parametrize("what", ["backup", "chronology pdf", "bundle"])
def test_a_link_planted_at_the_temp_name_receives_nothing(
    workspace: Workspace, one_child: str, outside: Path, tmp_path: Path, what: str
) -> None:
    destination = tmp_path / "out" / "copy"
    destination.parent.mkdir()
    files.temp_name(destination).symlink_to(outside)
    if what == "backup":  # its database copy is made in a folder of its own beside it
        files.temp_name(destination, "parts").symlink_to(tmp_path)
    _every_destination(workspace, one_child)[what](destination)  # type: ignore[operator]
    assert outside.read_bytes() == b"24 bytes of someone's f\n"
    assert [p.name for p in destination.parent.iterdir()] == ["copy"]
    assert destination.stat().st_size > 500  # the whole copy, not the 24 bytes


def test_a_link_planted_as_the_vault_s_backups_folder_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (workspace.vault.paths.backups).symlink_to(elsewhere)
    with pytest.raises(InvalidInput, match="never writes through links"):
        workspace.vault.backup_into_vault_folder("before-migration")
    assert list(elsewhere.iterdir()) == []


# -- item 5: owner-only whatever the umask ----------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder)): stat.S_IMODE(path.lstat().st_mode)
        for path in [folder, *folder.rglob("*")]
    }


def test_every_file_and_folder_the_app_writes_is_owner_only_under_umask_022(
    umask_022: None, vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    status, _, err = _init(tmp_path / "new" / "vault", out / "recovery.txt")
    assert status == 0, err
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        child = people.add_child(ws, child_details()).id
        integrity.backup(ws, out / "copy.pcbackup")
        ws.vault.backup_into_vault_folder("before-migration")
        exports.chronology(ws, child, out / "chronology.pdf")
        bundles.write_bundle(ws, out / "case.json")
        bundles.write_bundle(ws, out / "case.sealed", passphrase="seven quiet harbour violins")
    finally:
        ws.lock()
    restoring.restore(vault_dir, out / "copy.pcbackup", PASSPHRASE)[0].lock()
    written = {
        **{f"vault/{k}": v for k, v in _modes(vault_dir).items()},
        **{f"new/{k}": v for k, v in _modes(tmp_path / "new").items()},
        **{f"out/{k}": v for k, v in _modes(out).items() if k != "."},
    }
    # Everything a restore and a backup make is here: vault.db and vault.key restored, the
    # before-restore and before-migration backups and their folder, the export files.
    assert {"vault/vault.db", "vault/vault.key", "vault/backups", "out/recovery.txt"} <= set(
        written
    )
    assert any(name.startswith("vault/backups/before-restore-") for name in written)
    assert any(name.startswith("vault/backups/before-migration-") for name in written)
    loose = {name: oct(mode) for name, mode in written.items() if mode & 0o077}
    assert loose == {}


# -- one module writes files --------------------------------------------------------------------------

# Ways of writing a file, and the only places each may appear outside vault/files.py, with why.
_WRITING = re.compile(
    r"\bopen\([^)]*['\"][wax+]|\.write_bytes\(|\.write_text\(|NamedTemporaryFile|mkstemp|"
    r"shutil\.copy|copyfile|\.mkdir\(|os\.open\(|tarfile\.open\("
)
_ALLOWED = {
    # Archives are written into a handle from files.atomic_writer, and read from a checked fd.
    ("vault/vault.py", 'with tarfile.open(fileobj=handle, mode="w") as tar:'),
    (
        "vault/restoring.py",
        'with atomic_writer(kept) as handle, tarfile.open(fileobj=handle, mode="w") as tar:',
    ),
    (
        "vault/restoring.py",
        'with os.fdopen(fd, "rb") as archive, tarfile.open(fileobj=archive, mode="r:") as tar:',
    ),
    ("vault/restoring.py", 'fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))'),
    # Into a file made by files.create_private.
    ("vault/restoring.py", "shutil.copyfileobj(source, target)"),
    # The vault's folder opened read-only to hold the unlock lock (flock) on it; nothing written.
    ("vault/vault.py", "fd = os.open(paths.root, os.O_RDONLY)"),
}


def test_no_file_is_written_except_through_the_safe_files_module() -> None:
    found = set()
    for source in PACKAGE.rglob("*.py"):
        name = str(source.relative_to(PACKAGE))
        if name == "vault/files.py" or name.startswith("ui/"):
            continue
        for line in source.read_text("utf-8").splitlines():
            if _WRITING.search(line) and not line.strip().startswith("#"):
                found.add((name, line.strip()))
    assert found - _ALLOWED == set()


def test_the_app_s_problem_for_a_link_is_one_sentence(tmp_path: Path) -> None:
    link = tmp_path / "x"
    link.symlink_to(tmp_path / "y")
    with pytest.raises(Problem) as raised:
        files.atomic_write(link, b"data")
    assert str(raised.value).count(". ") == 0
    assert str(raised.value).endswith(".")
    assert not (tmp_path / "y").exists()
