"""SECURITY.md promise 1: no plaintext at rest, in the vault, its WAL, the key file or temp files."""

import tempfile
from pathlib import Path

import platformdirs
import pytest

from practitioner_app.domain.enums import Sex
from practitioner_app.services import integrity, people, records
from practitioner_app.services.workspace import open_vault_with_data_key
from tests.conftest import child_details, every_entry, visit_details

CANARY = "CANARY7Q9ZX"


def _encodings(text: str) -> list[bytes]:
    return [text.encode(name) for name in ("utf-8", "utf-16-le", "utf-16-be")]


def _files_with(root: Path, needles: list[bytes]) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                hits.append(path)
    return hits


def _fill_every_text_field(vault_dir: Path, data_key: bytes, backup_to: Path) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        child = people.add_child(
            ws,
            child_details(
                given_name=f"{CANARY}given",
                family_name=f"{CANARY}family",
                other_names=(f"{CANARY}other",),
                preferred_name=f"{CANARY}preferred",
                sex=Sex.FEMALE,
                ethnicity=f"{CANARY}ethnicity",
                first_language=f"{CANARY}language",
                religion=f"{CANARY}religion",
                disability=f"{CANARY}disability",
                address=f"{CANARY}address",
                postcode=f"{CANARY}postcode",
                gp=f"{CANARY}gp",
                school=f"{CANARY}school",
            ),
        )
        visit = records.create_entry(
            ws,
            visit_details(
                child.id,
                present=(f"{CANARY}present",),
                child_voice=f"{CANARY}voice",
                notes=f"{CANARY}notes",
            ),
        )
        records.finalise(ws, "visit", visit.id)
        records.amend(ws, "visit", visit.id, "notes", f"{CANARY}amended", f"{CANARY}reason")
        for details in every_entry(child.id, visit.id, f"{CANARY}entry"):
            records.create_entry(ws, details)
        integrity.backup(ws, backup_to)
    finally:
        ws.lock()


def test_no_canary_anywhere_on_disk(vault_dir: Path, data_key: bytes, tmp_path: Path) -> None:
    backup = tmp_path / "elsewhere" / "nightly.pcbackup"
    backup.parent.mkdir()
    temp_before = set(Path(tempfile.gettempdir()).iterdir())
    _fill_every_text_field(vault_dir, data_key, backup)

    needles = _encodings(CANARY)
    assert _files_with(vault_dir, needles) == []
    assert _files_with(backup.parent, needles) == []
    new_temp = [p for p in Path(tempfile.gettempdir()).iterdir() if p not in temp_before]
    for path in new_temp:
        if path.is_file():
            assert not any(n in path.read_bytes() for n in needles), path
        elif path.is_dir() and path != tmp_path:
            assert _files_with(path, needles) == [], path
    for folder in (
        platformdirs.user_log_dir("practitioner-app"),
        platformdirs.user_config_dir("practitioner-app"),
    ):
        if Path(folder).exists():
            assert _files_with(Path(folder), needles) == []


def test_the_canary_really_is_in_the_vault(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    """The search above would be worthless if the text never reached the disk at all."""
    _fill_every_text_field(vault_dir, data_key, tmp_path / "b.pcbackup")
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        with ws.vault.engine.connect() as connection:
            found = connection.exec_driver_sql(
                "SELECT count(*) FROM visit WHERE notes = ?", (f"{CANARY}notes",)
            ).scalar()
    finally:
        ws.lock()
    assert found == 1


def test_no_canary_in_the_write_ahead_log_while_open(vault_dir: Path, data_key: bytes) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        people.add_child(ws, child_details(address=f"{CANARY}wal"))
        wal = vault_dir / "vault.db-wal"
        assert wal.exists()
        assert wal.stat().st_size > 0
        assert _files_with(vault_dir, _encodings(CANARY)) == []
    finally:
        ws.lock()


@pytest.mark.parametrize("name", ["vault.db", "backup"])
def test_files_do_not_start_with_the_sqlite_header(
    vault_dir: Path, data_key: bytes, tmp_path: Path, name: str
) -> None:
    backup = tmp_path / "b.pcbackup"
    _fill_every_text_field(vault_dir, data_key, backup)
    if name == "vault.db":
        head = (vault_dir / "vault.db").read_bytes()[:16]
    else:
        import tarfile

        with tarfile.open(backup) as tar:
            member = tar.extractfile("vault.db")
            assert member is not None
            head = member.read(16)
    assert head != b"SQLite format 3\x00"
