"""Environmental errors, produced for real (a wrong key, a full tmpfs, an immutable file, a read-only
mount, a held write lock), are recognised by their codes and reach the user as one sentence; any
other database error still raises."""

import errno
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError, OperationalError

from practitioner_app.domain.errors import FinalEntryIsReadOnly, Problem
from practitioner_app.services import bundles, people, records
from practitioner_app.services.integrity import audit_trail
from practitioner_app.services.workspace import Workspace, create_vault, open_vault
from practitioner_app.vault import engine
from practitioner_app.vault.errors import SqliteCode, database_problem, os_problem, sqlite_code
from practitioner_app.vault.vault import create
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE, PROFILE, child_details, visit_details

FULL = "The disk is full, so nothing was saved; free some space and try again."
READ_ONLY = (
    "The vault is on a read-only disk or folder, so nothing was saved; "
    "move it somewhere you can write to and try again."
)
NOT_A_DATABASE = (
    "The vault's database does not match its key file or is damaged; "
    "run `practitioner-app verify`, then restore from a backup if it fails."
)
CANNOT_OPEN = (
    "The vault's database file could not be opened; check the vault folder exists and "
    "that you can write to it."
)
BUSY = "The vault is busy in another window or command; close it and try again."


def _run(*command: str) -> bool:
    """Whether a system command (mount, chattr) ran and succeeded."""
    try:
        return subprocess.run(command, capture_output=True, check=False).returncode == 0
    except FileNotFoundError:
        return False


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MiB tmpfs: full for real when filled. Mounting needs root."""
    mount_point = tmp_path / "tiny-disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or not _run(
        "mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)
    ):
        pytest.skip("mounting a tmpfs needs root")
    yield mount_point
    # Lazy: a connection the test left open must not leave the mount behind.
    _run("umount", "-l", str(mount_point))


def _refusal(action: Callable[[], object]) -> OSError:
    """The OSError with which the operating system refuses `action`."""
    try:
        action()
    except OSError as error:
        return error
    raise AssertionError("the operating system did not refuse")


def _wrote(descriptor: int, size: int) -> bool:
    """Whether `size` more bytes fitted on the disk; False once it is full."""
    try:
        os.write(descriptor, bytes(size))
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        return False
    return True


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        # Big writes, then single bytes for what is left of the last block.
        for size in (64 * 1024, 1):
            while _wrote(descriptor, size):
                pass
    finally:
        os.close(descriptor)
    return filler


@pytest.fixture
def make_immutable() -> Iterator[Callable[[Path], None]]:
    """chattr +i, undone after the test (as root, on a file system that supports it)."""
    if os.geteuid() != 0:
        pytest.skip("chattr +i needs root")
    made: list[Path] = []

    def make(path: Path) -> None:
        if not _run("chattr", "+i", str(path)):
            pytest.skip("this file system does not support chattr +i")
        made.append(path)

    yield make
    for path in made:
        _run("chattr", "-i", str(path))


def test_the_codes_are_sqlites_own() -> None:
    for code in SqliteCode:
        assert getattr(sqlcipher3.dbapi2, f"SQLITE_{code.name}") == code


def test_a_wrong_key_is_recognised_as_not_a_database_by_its_code(vault_dir: Path) -> None:
    with pytest.raises(engine.DatabaseError) as raised:
        engine.connect(vault_dir / "vault.db", bytearray(b"\x01" * 32)).close()
    assert sqlite_code(raised.value) == SqliteCode.NOTADB
    assert str(database_problem(raised.value)) == NOT_A_DATABASE


def test_a_key_file_from_another_vault_gives_the_not_a_database_sentence(
    vault_dir: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    create_vault(other, PASSPHRASE, PROFILE)[0].lock()
    (vault_dir / "vault.key").write_bytes((other / "vault.key").read_bytes())
    with pytest.raises(Problem) as raised:
        open_vault(vault_dir, PASSPHRASE)
    assert str(raised.value) == NOT_A_DATABASE


def test_an_extended_code_is_read_by_its_primary_code() -> None:
    # Python's own sqlite3 reports extended codes: a trigger's RAISE is SQLITE_CONSTRAINT_TRIGGER.
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("CREATE TRIGGER no BEFORE INSERT ON t BEGIN SELECT RAISE(ABORT, 'no'); END")
    with pytest.raises(sqlite3.IntegrityError) as raised:
        connection.execute("INSERT INTO t VALUES (1)")
    connection.close()
    assert raised.value.sqlite_errorcode == 1811
    assert sqlite_code(raised.value) == SqliteCode.CONSTRAINT


def test_a_full_disk_is_one_sentence_and_nothing_is_half_written(tiny_disk: Path) -> None:
    ws, _ = create_vault(tiny_disk / "vault", PASSPHRASE, PROFILE)
    try:
        # A child's details are short by rule (domain/entered_text.py); a narrative may be long.
        child = people.add_child(ws, child_details()).id
        before = len(audit_trail(ws))
        filler = _fill(tiny_disk)
        with pytest.raises(Problem) as raised:
            records.create_entry(ws, visit_details(child, notes="x" * 200_000))
        assert str(raised.value) == FULL
        with pytest.raises(Problem) as raised:
            ws.vault.change_passphrase(NEW_PASSPHRASE)
        assert str(raised.value) == (
            "The disk is full, so the passphrase change did not happen; "
            "free some space and try again."
        )
    finally:
        ws.lock()
    filler.unlink()
    ws = open_vault(tiny_disk / "vault", PASSPHRASE)  # the old passphrase still opens it
    try:
        assert [row.action for row in audit_trail(ws)[before:]] == ["unlock"]
    finally:
        ws.lock()


def test_a_read_only_database_file_is_one_sentence_and_nothing_is_written(
    vault_dir: Path, make_immutable: Callable[[Path], None]
) -> None:
    before = (vault_dir / "vault.db").read_bytes()
    make_immutable(vault_dir / "vault.db")
    # SQLite falls back to opening the file read-only; unlocking then cannot record itself.
    with pytest.raises(Problem) as raised:
        open_vault(vault_dir, PASSPHRASE)
    assert str(raised.value) == READ_ONLY
    assert (vault_dir / "vault.db").read_bytes() == before


def test_a_folder_that_refuses_writes_stops_a_passphrase_change_in_one_sentence(
    vault_dir: Path, make_immutable: Callable[[Path], None]
) -> None:
    ws = open_vault(vault_dir, PASSPHRASE)
    try:
        key_before = (vault_dir / "vault.key").read_bytes()
        make_immutable(vault_dir)  # EPERM for every new file in it
        with pytest.raises(Problem) as raised:
            ws.vault.change_passphrase(NEW_PASSPHRASE)
        assert str(raised.value) == (
            "The vault folder cannot be written to, so the passphrase change did not happen; "
            "check its permissions or move it to a writable disk."
        )
        assert (vault_dir / "vault.key").read_bytes() == key_before
    finally:
        ws.lock()


def test_an_export_to_a_folder_that_refuses_writes_names_that_folder(
    workspace: Workspace, tmp_path: Path, make_immutable: Callable[[Path], None]
) -> None:
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    make_immutable(outbox)
    with pytest.raises(Problem) as raised:
        bundles.write_bundle(workspace, outbox / "case.json")
    assert str(raised.value) == (
        f"The folder {outbox} cannot be written to, so writing the bundle to "
        f"{outbox / 'case.json'} did not happen; check its permissions or choose another."
    )
    assert list(outbox.iterdir()) == []


def test_a_vault_on_a_read_only_mount_cannot_be_opened_and_says_so(
    vault_dir: Path, tmp_path: Path
) -> None:
    mounted = tmp_path / "read-only"
    mounted.mkdir()
    if os.geteuid() != 0 or not _run("mount", "--bind", "-o", "ro", str(vault_dir), str(mounted)):
        pytest.skip("a read-only bind mount needs root")
    try:
        # SQLite cannot make the write-ahead log's files beside the database: SQLITE_CANTOPEN.
        with pytest.raises(Problem) as raised:
            open_vault(mounted, PASSPHRASE)
        assert str(raised.value) == CANNOT_OPEN
        refused = _refusal(lambda: (mounted / "probe").write_bytes(b""))
        assert refused.errno == errno.EROFS
        assert str(os_problem(refused, "the backup")) == (
            "The vault folder cannot be written to, so the backup did not happen; "
            "check its permissions or move it to a writable disk."
        )
    finally:
        _run("umount", "-l", str(mounted))


def test_a_vault_held_by_another_writer_is_busy(workspace: Workspace) -> None:
    other = workspace.vault.engine.raw_connection()
    try:
        other.execute("BEGIN IMMEDIATE")
        workspace.vault.engine.dispose()
        # Not the usual five seconds of waiting for the other writer to finish.
        event.listen(
            workspace.vault.engine,
            "connect",
            lambda connection, _: connection.execute("PRAGMA busy_timeout = 0"),
        )
        with pytest.raises(Problem) as raised:
            people.add_child(workspace, child_details())
        assert str(raised.value) == BUSY
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_an_unknown_database_error_is_a_bug_and_still_raises(workspace: Workspace) -> None:
    with pytest.raises(OperationalError) as raised, workspace.unit_of_work() as session:
        session.execute(text("SELECT * FROM no_such_table"))
    assert sqlite_code(raised.value) == SqliteCode.ERROR
    assert database_problem(raised.value) is None


def test_a_constraint_that_is_not_ours_still_raises(workspace: Workspace) -> None:
    with pytest.raises(IntegrityError), workspace.unit_of_work() as session:
        session.execute(text("INSERT INTO child (id) VALUES ('x')"))


def test_an_append_only_trigger_refusal_is_one_sentence(workspace: Workspace) -> None:
    with pytest.raises(FinalEntryIsReadOnly), workspace.unit_of_work() as session:
        session.execute(text("DELETE FROM audit_event"))


def test_creating_a_vault_where_a_name_is_too_long_names_the_disks_answer(tmp_path: Path) -> None:
    with pytest.raises(Problem) as raised:
        create(tmp_path / ("v" * 300), PASSPHRASE, "id")
    assert str(raised.value) == (
        "Creating the vault failed because the disk reported an error: File name too long."
    )


def test_a_closed_connection_is_a_bug_not_an_environmental_error(tmp_path: Path) -> None:
    connection = engine.connect(tmp_path / "scratch.db", bytearray(b"\x02" * 32), create=True)
    connection.close()
    with pytest.raises(sqlcipher3.dbapi2.ProgrammingError) as raised:
        connection.execute("SELECT 1")
    assert database_problem(raised.value) is None


def test_a_failed_statement_keeps_its_values_out_of_the_error(workspace: Workspace) -> None:
    # Values bound to a statement are record text; SQLAlchemy would print them in the error's
    # message, and so in any traceback or log (vault/engine.py hide_parameters).
    with pytest.raises(IntegrityError) as refused, workspace.unit_of_work() as session:
        session.execute(
            text("INSERT INTO child (id, given_name) VALUES (:id, :name)"),
            {"id": "c-1", "name": "Synthetic Name Bruise On Left Arm"},
        )
    assert "Bruise On Left Arm" not in str(refused.value)
    assert "Bruise On Left Arm" not in repr(refused.value)
