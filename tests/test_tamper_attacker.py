"""Issue 16, "done when": the attacks of the issue tried again by someone else, with other inputs
than the tamper and hostile-file suites use (other rows, other triggers, other offsets, other
files, other verbs). Each ends with the right sentence and nothing written that should not be."""

import io
import json
import os
import stat
import tarfile
from pathlib import Path

import pytest

from practitioner_app.store import seals
from practitioner_app.vault.audit_head import HEAD_NAME
from practitioner_app.vault.vault import DB_NAME, KEY_NAME
from tests.conftest import PASSPHRASE, run_cli
from tests.test_tamper import (
    Caseload,
    caseload_vault,
    drop_triggers,
    sql_with_the_key,
    vault,
    verify_says,
)

__all__ = ["caseload_vault", "vault"]  # the tamper suite's filled vault fixtures, shared

ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}


# -- with the key: rows, chain, seals -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "names", "expected"),
    [
        # One trigger only, the one guarding the audit trail's rows against deletion.
        ("DROP TRIGGER audit_event_no_delete", (), ["1 of the vault's protective triggers"]),
        # A row from the middle of the chain, not the end.
        (
            "DELETE FROM audit_event WHERE seq = (SELECT min(seq) + 4 FROM audit_event)",
            (),
            ["audit chain: BROKEN at sequence number"],
        ),
        # Two rows' places swapped.
        (
            "UPDATE audit_event SET seq = -1 WHERE seq = 3; "
            "UPDATE audit_event SET seq = 3 WHERE seq = 4; "
            "UPDATE audit_event SET seq = 4 WHERE seq = -1",
            (),
            ["audit chain: BROKEN at sequence number 3"],
        ),
        # Only the time a final observation was recorded.
        (
            "UPDATE observation SET recorded_at = '2026-01-01 09:00:00.000000' WHERE id = ?",
            ("observation",),
            ["The final observation {observation} has been changed since audit event"],
        ),
        # A final concern set back to draft and its words changed.
        (
            "UPDATE concern SET status = 'draft', summary = 'nothing to see' WHERE id = ?",
            ("concern",),
            ["The concern {concern} was sealed final by audit event", "is now a draft"],
        ),
        # A professional's link to the child cut.
        (
            "DELETE FROM professional_link WHERE professional_id = ?",
            ("professional",),
            ["professional"],
        ),
    ],
    ids=["one trigger", "middle row", "rows swapped", "recorded_at", "concern to draft", "link"],
)
def test_other_rows_changed_with_the_key_are_named(
    vault: tuple[Path, Caseload],
    data_key: bytes,
    statement: str,
    names: tuple[str, ...],
    expected: list[str],
) -> None:
    root, c = vault
    with sql_with_the_key(root, data_key) as (sql, _):
        if not statement.startswith("DROP TRIGGER"):
            drop_triggers(sql)
        for each in statement.split("; "):
            sql.exec_driver_sql(each, tuple(c[name] for name in names))
    said = verify_says(root)
    for fragment in expected:
        assert fragment.format(**c.ids) in said, said


def test_a_concern_rewritten_with_its_seal_forged_by_the_apps_own_code_is_named(
    vault: tuple[Path, Caseload], data_key: bytes
) -> None:
    """The seal recomputed with the audit key for the rewritten row and put in the ledger in
    place of the real one: the event that wrote the seals no longer matches them."""
    root, c = vault
    with sql_with_the_key(root, data_key) as (sql, key):
        drop_triggers(sql)
        sql.exec_driver_sql("UPDATE concern SET summary = 'forged' WHERE id = ?", (c["concern"],))
        forged = seals.current(sql, key, "concern", [c["concern"]])[c["concern"]].seal
        sql.exec_driver_sql(
            "UPDATE record_seal SET seal = ? WHERE record_table = 'concern' AND record_id = ?",
            (forged, c["concern"]),
        )
    said = verify_says(root)
    assert "no longer match it" in said
    assert "the seal ledger has been altered" in said


def test_the_chain_cut_short_and_the_head_file_deleted_are_both_named(
    vault: tuple[Path, Caseload], data_key: bytes
) -> None:
    root, _ = vault
    with sql_with_the_key(root, data_key) as (sql, _):
        drop_triggers(sql)
        sql.exec_driver_sql(
            "DELETE FROM audit_event WHERE seq > (SELECT max(seq) - 7 FROM audit_event)"
        )
    (root / HEAD_NAME).unlink()
    said = verify_says(root)
    assert "The audit head kept beside the key file was missing" in said


# -- files ---------------------------------------------------------------------------------------------


def test_a_link_at_the_backup_destination_is_refused_and_its_target_untouched(
    vault: tuple[Path, Caseload], tmp_path: Path
) -> None:
    root, _ = vault
    target = tmp_path / "notes.txt"
    target.write_text("the practitioner's own notes")
    link = tmp_path / "backup.pcbackup"
    link.symlink_to(target)
    ran = run_cli("backup", "--vault", str(root), str(link), env=ENV)
    assert ran.returncode == 1
    assert "link" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    assert target.read_text() == "the practitioner's own notes"


def test_a_backup_into_the_vaults_own_backups_folder_by_hand_is_refused(
    vault: tuple[Path, Caseload],
) -> None:
    root, _ = vault
    (root / "backups").mkdir(exist_ok=True)
    ran = run_cli("backup", "--vault", str(root), str(root / "backups" / "mine.pcbackup"), env=ENV)
    assert ran.returncode == 1
    assert "inside the vault's own folder" in ran.stderr
    assert not (root / "backups" / "mine.pcbackup").exists()


def test_restored_files_are_owner_only_under_umask_022(
    vault: tuple[Path, Caseload], tmp_path: Path
) -> None:
    root, _ = vault
    backup = tmp_path / "b.pcbackup"
    assert run_cli("backup", "--vault", str(root), str(backup), env=ENV).returncode == 0
    old = os.umask(0o022)
    try:
        ran = run_cli("restore", "--vault", str(root), str(backup), env=ENV)
    finally:
        os.umask(old)
    assert ran.returncode == 0, ran.stderr
    for path in [
        backup,
        root / DB_NAME,
        root / KEY_NAME,
        root / HEAD_NAME,
        *root.glob("backups/*"),
    ]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("parallelism", 17, "parallelism is 17"),
        ("memory_kib", 1024 * 1024, "memory kib is 1048576"),
        ("time_cost", 2, "time cost is 2"),
        ("salt", "AAAAAAAAAAAAAAAAAAAA", "salt is 15 bytes"),
    ],
)
def test_a_backup_whose_key_file_asks_for_other_argon2_work_is_refused_before_any(
    vault: tuple[Path, Caseload], tmp_path: Path, field: str, value: object, words: str
) -> None:
    root, _ = vault
    backup = tmp_path / "b.pcbackup"
    assert run_cli("backup", "--vault", str(root), str(backup), env=ENV).returncode == 0
    with tarfile.open(backup) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    key = json.loads(members[KEY_NAME])
    key["slots"]["passphrase"]["kdf"][field] = value
    members[KEY_NAME] = json.dumps(key).encode()
    hostile = tmp_path / "hostile.pcbackup"
    with tarfile.open(hostile, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    before = (root / KEY_NAME).read_bytes()
    ran = run_cli("restore", "--vault", str(root), str(hostile), env=ENV)
    assert ran.returncode == 1
    assert words in ran.stderr, ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    assert (root / KEY_NAME).read_bytes() == before


def test_a_bundle_of_nested_records_within_the_size_limit_is_one_sentence(
    vault: tuple[Path, Caseload], tmp_path: Path
) -> None:
    hostile = tmp_path / "nested.json"
    hostile.write_bytes(b'{"format": "practitioner-case-bundle", "v": ' + b'[{"a": ' * 50_000)
    ran = run_cli("import", "--vault", str(vault[0]), str(hostile), "--source", "x", env=ENV)
    assert ran.returncode == 1
    assert "Traceback" not in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("verb", ["backup", "export-bundle"])
def test_an_empty_vault_db_is_never_copied_or_rebuilt(
    vault: tuple[Path, Caseload], tmp_path: Path, verb: str
) -> None:
    root, _ = vault
    (root / DB_NAME).write_bytes(b"")
    out = tmp_path / "out.file"
    args = [str(out)] if verb == "backup" else ["--out", str(out)]
    ran = run_cli(verb, "--vault", str(root), *args, env=ENV)
    assert ran.returncode == 1
    assert "is empty (0 bytes)" in ran.stderr
    assert (root / DB_NAME).stat().st_size == 0
    assert not out.exists()


@pytest.mark.parametrize("where", ["page 1, byte 3000", "last page"])
def test_a_flipped_byte_elsewhere_is_named_by_verify(
    vault: tuple[Path, Caseload], data_key: bytes, where: str
) -> None:
    root, _ = vault
    db = root / DB_NAME
    for sidecar in ("-wal", "-shm"):
        assert not (root / (DB_NAME + sidecar)).exists()
    data = bytearray(db.read_bytes())
    offset = 3000 if where.startswith("page 1") else len(data) - 2000
    data[offset] ^= 0x01
    db.write_bytes(bytes(data))
    ran = run_cli("verify", "--vault", str(root), env=ENV)
    assert ran.returncode == 1
    page = 1 if where.startswith("page 1") else len(data) // 4096
    assert f"page {page}" in ran.stdout, ran.stdout
    assert db.read_bytes() == bytes(data)


def _plant(path: Path, what: str, outside: Path) -> None:
    if path.is_dir():
        path.rmdir()
    else:
        path.unlink()
    if what == "link":
        path.symlink_to(outside)
    elif what == "FIFO":
        os.mkfifo(path)
    else:
        path.mkdir()


@pytest.mark.parametrize("what", ["link", "FIFO", "folder"])
def test_something_planted_at_the_head_file_is_named_never_followed_and_locks_nobody_out(
    vault: tuple[Path, Caseload], tmp_path: Path, what: str
) -> None:
    """A link at audit-head.json made every command say "choose another file name" (the head is
    written after each commit, and the app refuses to write through links): the practitioner was
    locked out of every record by one planted link."""
    root, _ = vault
    outside = tmp_path / "outside.txt"
    outside.write_text("not the vault's")
    _plant(root / HEAD_NAME, what, outside)
    opened = run_cli("children", "--vault", str(root), env=ENV)
    assert opened.returncode == 0, opened.stderr
    assert outside.read_text() == "not the vault's"
    if what != "folder":  # a folder cannot be replaced by a file; verify names it every time
        assert (root / HEAD_NAME).is_file()
        assert not (root / HEAD_NAME).is_symlink()
    said = verify_says(root)
    assert "audit head kept beside the key file" in said
    assert outside.read_text() == "not the vault's"


@pytest.mark.parametrize("what", ["link", "FIFO"])
@pytest.mark.parametrize("name", [KEY_NAME, DB_NAME])
def test_something_planted_at_the_key_file_or_database_is_refused_in_a_sentence(
    vault: tuple[Path, Caseload], tmp_path: Path, what: str, name: str
) -> None:
    root, _ = vault
    outside = tmp_path / name
    outside.write_bytes((root / name).read_bytes())
    _plant(root / name, what, outside)
    for verb in ("children", "verify"):
        ran = run_cli(verb, "--vault", str(root), env=ENV)
        assert ran.returncode == 1
        assert ran.stderr.strip().splitlines() == [
            f"practitioner-app: The vault's {'key file' if name == KEY_NAME else 'database'} in "
            f"{root} ({name}) is {'a link to another file' if what == 'link' else 'not an ordinary file'}"
            ", so the vault was not opened and nothing was written; put the file itself back, or "
            "restore the vault from a backup."
        ]
    assert outside.read_bytes() == (tmp_path / name).read_bytes()
