"""Issue 16 item 8: on a vault whose disk is full, reading, listing, the audit, `verify`, and a
backup, bundle or PDF to another disk all work; a write says the disk is full in one sentence.

Real, not simulated: the vault is copied onto a small tmpfs mounted in a private mount namespace
(`unshare -m`, which needs root or user namespaces; skipped where neither is allowed), the tmpfs is
filled to the last byte, and the real `practitioner-app` runs against it.
"""

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from practitioner_app.services import people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import PASSPHRASE, child_details, console_script, visit_details

UNAUDITED = (
    "The copy is complete, but the vault's disk is full, so the audit trail does not record it; "
    "free some space on that disk."
)


def _can_mount_tmpfs(tmp_path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=1m tmpfs {probe}"],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


# Run inside the namespace with the vault on a full disk: a write through the services, which
# must fail with the disk-full sentence and leave the children as they were.
_WRITE = """
import sys
from pathlib import Path
from practitioner_app.domain.errors import Problem
from practitioner_app.services import caseload, people
from practitioner_app.services.workspace import open_vault
from tests.conftest import PASSPHRASE, child_details
ws = open_vault(Path(sys.argv[1]), PASSPHRASE)
before = len(caseload.list_children(ws))
try:
    people.add_child(ws, child_details(given_name="Unsaved"))
except Problem as problem:
    print("refused:", problem.message)
print("children:", before, len(caseload.list_children(ws)))
ws.lock()
"""


def test_a_full_vault_disk_still_lets_the_practitioner_read_check_and_copy_out(
    workspace: Workspace, vault_dir: Path, tmp_path: Path
) -> None:
    if not _can_mount_tmpfs(tmp_path):
        pytest.skip("cannot mount a tmpfs in a private mount namespace here")
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id))
    records.finalise(workspace, "visit", visit.id)
    workspace.lock()
    disk, out = tmp_path / "disk", tmp_path / "elsewhere"
    disk.mkdir()
    out.mkdir()
    app, vault = console_script(), disk / "vault"
    env = f"PRACTITIONER_PASSPHRASE={shlex.quote(PASSPHRASE)}"
    steps = {
        "children": f"{app} children --vault {vault}",
        "audit": f"{app} audit --vault {vault} --json",
        "verify": f"{app} verify --vault {vault}",
        "search": f"{app} search settled --vault {vault}",
        "alerts": f"{app} alerts --all --vault {vault}",
        "backup": f"{app} backup --vault {vault} {out}/copy.pcbackup",
        "bundle": f"{app} export-bundle --vault {vault} --out {out}/case.json",
        "pdf": f"{app} chronology {child.id} --vault {vault} --pdf {out}/chronology.pdf",
        "write": f"{sys.executable} -c {shlex.quote(_WRITE)} {vault}",
    }
    script = [
        "set -u",
        f"mount -t tmpfs -o size=4m tmpfs {disk}",
        f"cp -a {vault_dir} {vault}",
        # Fill the disk to its last block; dd stops at "No space left on device".
        f"dd if=/dev/zero of={disk}/filler bs=4k 2>/dev/null",
        f'echo "free: $(stat -f -c %a {disk})"',
    ]
    for name, command in steps.items():
        script += [
            f"echo '=== {name}'",
            f"{env} {command} > {out}/{name}.out 2> {out}/{name}.err",
            'echo "rc=$?"',
        ]
    script.append(f"ls -a {vault} > {out}/files.txt; umount {disk}")
    ran = subprocess.run(
        ["unshare", "-m", "sh", "-c", "\n".join(script)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        cwd=Path(__file__).resolve().parent.parent,
    )
    report = ran.stdout
    assert "free: 0" in report, report + ran.stderr
    status = dict(
        zip(
            [line[4:] for line in report.splitlines() if line.startswith("=== ")],
            [int(line[3:]) for line in report.splitlines() if line.startswith("rc=")],
            strict=True,
        )
    )

    def said(name: str) -> str:
        return (out / f"{name}.out").read_text() + (out / f"{name}.err").read_text()

    for name in ("children", "audit", "verify", "search", "alerts", "backup", "bundle", "pdf"):
        assert status[name] == 0, f"{name} failed on a full disk: {said(name)}"
    assert "Maya" in said("children")
    assert json.loads((out / "audit.out").read_text())[0]["action"] == "create_vault"
    assert "audit chain: ok" in said("verify")
    assert "Maya [settled] and feeding well" in said("search")
    # The copies are whole on the other disk; each says in one sentence that its audit line had
    # no room, rather than pretend it was recorded.
    assert (out / "copy.pcbackup").stat().st_size > 0
    assert json.loads((out / "case.json").read_text())["format"] == "practitioner-case-bundle"
    assert (out / "chronology.pdf").read_bytes().startswith(b"%PDF")
    for name in ("backup", "bundle", "pdf"):
        assert (out / f"{name}.err").read_text().strip().splitlines() == [UNAUDITED]
    written = said("write")
    assert "refused: The disk is full, so nothing was saved; free some space and try again." in (
        written
    )
    assert "children: 1 1" in written
    # Nothing was half-written beside the vault: no temp, no staging, no marker.
    left = set((out / "files.txt").read_text().split()) - {".", ".."}
    assert left <= {
        "vault.db",
        "vault.key",
        "vault.db-wal",
        "vault.db-shm",
        ".unfinished",
        "audit-head.json",
    }
