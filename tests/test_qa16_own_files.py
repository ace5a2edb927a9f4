"""QA of issue 16 (branch qa16): the app must never write a backup, bundle or PDF over the vault's
own files. `backup --vault V V/vault.db`, `export-bundle --out V/vault.key`, `chronology --pdf
V/vault.db` and `growth --pdf V/vault.key` all exited 0, replaced the database or the key file,
and left a vault that no longer opens ("The vault's database does not match its key file...",
"vault.key is larger than the 64 KB...") — every record lost unless a backup exists elsewhere.
Each case should be refused in one sentence, exit 1, with the vault as it was. Fails on main as
of 8549b1c."""

from pathlib import Path

import pytest

from practitioner_app.services import people
from practitioner_app.services.workspace import open_vault_with_data_key
from practitioner_app.vault.audit_head import HEAD_NAME
from practitioner_app.vault.vault import DB_NAME, KEY_NAME
from tests.conftest import PASSPHRASE, child_details, run_cli

COMMANDS = {
    "backup": lambda vault, child, dest: ["backup", "--vault", vault, dest],
    "bundle": lambda vault, child, dest: ["export-bundle", "--vault", vault, "--out", dest],
    "chronology PDF": lambda vault, child, dest: [
        "chronology",
        child,
        "--vault",
        vault,
        "--pdf",
        dest,
    ],
    "growth PDF": lambda vault, child, dest: ["growth", child, "--vault", vault, "--pdf", dest],
    # Refused before the vault is opened, so the form need not exist for the refusal to show.
    "form PDF": lambda vault, child, dest: ["form-pdf", child, "--vault", vault, "--pdf", dest],
}


@pytest.mark.parametrize("own_file", [DB_NAME, KEY_NAME, HEAD_NAME])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_nothing_is_written_over_the_vaults_own_files(
    vault_dir: Path, data_key: bytes, command: str, own_file: str
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        child = people.add_child(ws, child_details()).id
    finally:
        ws.lock()
    before = (vault_dir / own_file).read_bytes()
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    ran = run_cli(*COMMANDS[command](str(vault_dir), child, str(vault_dir / own_file)), env=env)
    assert ran.returncode == 1, f"exit {ran.returncode}: {ran.stdout}{ran.stderr}"
    assert len(ran.stderr.strip().splitlines()) == 1
    assert (vault_dir / own_file).read_bytes() == before
    listed = run_cli("children", "--vault", str(vault_dir), env=env)
    assert listed.returncode == 0
    assert "Maya" in listed.stdout
