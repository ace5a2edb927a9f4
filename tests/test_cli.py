"""The command line as a user or script meets it, and SECURITY.md promise 13 (bad files)."""

import importlib.abc
import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import event, text

from practitioner_app.cli import main
from practitioner_app.domain.errors import Problem
from practitioner_app.services import people, records
from practitioner_app.services.integrity import audit_trail
from practitioner_app.services.workspace import open_vault, open_vault_with_data_key
from tests.conftest import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    CommandRun,
    child_details,
    run_app,
    run_cli,
    visit_details,
)

ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _one_clear_line(result: CommandRun | subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_every_verb_has_help() -> None:
    runner = CliRunner()
    # A group of verbs (`photograph attach`, …) is walked down to its verbs.
    verbs = [
        [name, *([sub] if sub else [])]
        for name, command in main.commands.items()
        for sub in (list(command.commands) if isinstance(command, click.Group) else [""])
    ]
    for verb in verbs:
        result = runner.invoke(main, [*verb, "--help"])
        assert result.exit_code == 0, verb
        # self-test works on a throwaway vault of its own and never opens the practitioner's.
        assert ("--vault" in result.output) == (verb != ["self-test"]), verb


def test_the_command_offers_the_desktop_window_as_its_default() -> None:
    # The installed console script, end to end: `launch` adds the desktop verbs to the CLI.
    result = run_app("--help")
    assert result.returncode == 0
    assert "window" in result.stdout
    window_help = run_app("window", "--help")
    assert window_help.returncode == 0
    assert "Open the desktop app" in window_help.stdout


def test_init_shows_the_recovery_key_once_and_it_works(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    result = run_cli(
        "init",
        "--vault",
        str(vault),
        "--name",
        "Asha Patel",
        "--role",
        "Health visitor",
        "--agency",
        "Northshire NHS Trust",
        env=ENV,
    )
    assert result.returncode == 0, result.stderr
    key_line = next(line.strip() for line in result.stdout.splitlines() if line.count("-") == 7)
    open_vault(vault, key_line).lock()
    assert stat.S_IMODE((vault / "vault.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((vault / "vault.key").stat().st_mode) == 0o600


def test_init_can_write_the_recovery_key_to_a_private_file(tmp_path: Path) -> None:
    key_file = tmp_path / "recovery.txt"
    result = run_cli(
        "init",
        "--vault",
        str(tmp_path / "vault"),
        "--name",
        "A",
        "--role",
        "B",
        "--agency",
        "C",
        "--recovery-key-file",
        str(key_file),
        env=ENV,
    )
    assert result.returncode == 0, result.stderr
    recovery = key_file.read_text().strip()
    assert recovery not in result.stdout
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    open_vault(tmp_path / "vault", recovery).lock()


def test_init_refuses_a_weak_passphrase_and_leaves_nothing(tmp_path: Path) -> None:
    result = run_cli(
        "init",
        "--vault",
        str(tmp_path / "vault"),
        "--name",
        "A",
        "--role",
        "B",
        "--agency",
        "C",
        env={"PRACTITIONER_PASSPHRASE": "password123"},
    )
    assert "common passwords" in _one_clear_line(result)
    assert not (tmp_path / "vault" / "vault.key").exists()


def test_init_refuses_to_overwrite_a_vault(vault_dir: Path) -> None:
    before = _snapshot(vault_dir)
    result = run_cli(
        "init", "--vault", str(vault_dir), "--name", "A", "--role", "B", "--agency", "C", env=ENV
    )
    assert "already a vault" in _one_clear_line(result)
    assert _snapshot(vault_dir) == before


def test_passphrase_from_a_file(vault_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    result = run_cli("children", "--vault", str(vault_dir), "--passphrase-file", str(secret))
    assert result.returncode == 0, result.stderr
    assert "No children" in result.stdout


def test_passwd_changes_the_passphrase(vault_dir: Path) -> None:
    result = run_cli(
        "passwd",
        "--vault",
        str(vault_dir),
        env={**ENV, "PRACTITIONER_NEW_PASSPHRASE": NEW_PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    assert run_cli("children", "--vault", str(vault_dir), env=ENV).returncode == 1
    assert (
        run_cli(
            "children", "--vault", str(vault_dir), env={"PRACTITIONER_PASSPHRASE": NEW_PASSPHRASE}
        ).returncode
        == 0
    )


def test_children_json_lists_every_child(vault_dir: Path, data_key: bytes) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    people.add_child(
        ws, child_details(given_name="Zoë", family_name="Αλεξίου"), external_ref="NS-1"
    )
    people.add_child(ws, child_details(given_name="Ілля", family_name="Коваль"))
    ws.lock()
    result = run_cli("children", "--vault", str(vault_dir), "--json", env=ENV)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {row["given_name"] for row in rows} == {"Zoë", "Ілля"}
    assert {row["external_ref"] for row in rows} == {"NS-1", None}


def test_audit_json_has_ids_but_no_record_text(vault_dir: Path, data_key: bytes) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    people.add_child(ws, child_details(given_name="Distinctivename"))
    ws.lock()
    result = run_cli("audit", "--vault", str(vault_dir), "--json", env=ENV)
    rows = json.loads(result.stdout)
    assert [row["seq"] for row in rows] == list(range(1, len(rows) + 1))
    assert "create" in {row["action"] for row in rows}
    assert "Distinctivename" not in result.stdout


def test_a_file_given_as_the_vault(tmp_path: Path) -> None:
    not_a_vault = tmp_path / "notes.txt"
    not_a_vault.write_text("shopping list")
    assert "is a file, not a vault folder" in _one_clear_line(
        run_cli("children", "--vault", str(not_a_vault), env=ENV)
    )
    assert not_a_vault.read_text() == "shopping list"


def test_a_folder_that_is_not_a_vault(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    assert "is not a vault" in _one_clear_line(
        run_cli("children", "--vault", str(tmp_path / "photos"), env=ENV)
    )
    assert "There is no vault" in _one_clear_line(
        run_cli("children", "--vault", str(tmp_path / "nowhere"), env=ENV)
    )


def test_a_missing_key_file(vault_dir: Path) -> None:
    (vault_dir / "vault.key").unlink()
    before = _snapshot(vault_dir)
    assert "key file is missing" in _one_clear_line(
        run_cli("children", "--vault", str(vault_dir), env=ENV)
    )
    assert _snapshot(vault_dir) == before


def test_a_damaged_key_file(vault_dir: Path) -> None:
    (vault_dir / "vault.key").write_bytes(b"\x00\xff garbage")
    before = _snapshot(vault_dir)
    assert "key file is damaged" in _one_clear_line(
        run_cli("children", "--vault", str(vault_dir), env=ENV)
    )
    assert _snapshot(vault_dir) == before


def test_a_random_file_in_place_of_the_database(vault_dir: Path) -> None:
    (vault_dir / "vault.db").write_bytes(b"this is not a database" * 300)
    for sidecar in ("vault.db-wal", "vault.db-shm"):
        (vault_dir / sidecar).unlink(missing_ok=True)
    before = _snapshot(vault_dir)
    line = _one_clear_line(run_cli("children", "--vault", str(vault_dir), env=ENV))
    assert "does not match its key file or is damaged" in line
    assert _snapshot(vault_dir) == before


def test_a_vault_from_a_newer_version_is_refused_unchanged(
    vault_dir: Path, data_key: bytes
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    with ws.vault.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    ws.lock()
    before = _snapshot(vault_dir)
    line = _one_clear_line(run_cli("children", "--vault", str(vault_dir), env=ENV))
    assert "newer version of the app" in line
    # Unlocking may write nothing: no audit event, no migration, no backup.
    assert _snapshot(vault_dir) == before


def test_a_full_disk_is_one_sentence_and_nothing_is_half_written(
    vault_dir: Path, data_key: bytes
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        # A child's details are short by rule (domain/entered_text.py); a narrative may be long.
        child = people.add_child(ws, child_details()).id
        before = len(audit_trail(ws))
        pages = ws.vault.engine.raw_connection()
        try:
            count = pages.execute("PRAGMA page_count").fetchone()[0]
        finally:
            pages.close()
        # Cap every pooled connection at the current size: the next page needed fails as
        # "database or disk is full", exactly as a full disk does.
        ws.vault.engine.dispose()
        event.listen(
            ws.vault.engine,
            "connect",
            lambda conn, _: conn.execute(f"PRAGMA max_page_count = {count}"),
        )
        with pytest.raises(Problem, match="disk is full"):
            records.create_entry(ws, visit_details(child, notes="x" * 200_000))
    finally:
        ws.lock()
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        assert all(row.action != "create" for row in audit_trail(ws)[before:])
    finally:
        ws.lock()


def test_a_missing_passphrase_file(vault_dir: Path, tmp_path: Path) -> None:
    line = _one_clear_line(
        run_cli("children", "--vault", str(vault_dir), "--passphrase-file", str(tmp_path / "nope"))
    )
    assert "does not exist" in line


def test_a_read_only_vault_is_one_sentence_and_nothing_is_written(
    vault_dir: Path, data_key: bytes
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        before = len(audit_trail(ws))
        ws.vault.engine.dispose()
        # query_only makes SQLite answer writes with SQLITE_READONLY, as a read-only disk does
        # (file permissions cannot show it: the tests may run as root).
        event.listen(
            ws.vault.engine, "connect", lambda conn, _: conn.execute("PRAGMA query_only = ON")
        )
        with pytest.raises(Problem, match="read-only"):
            people.add_child(ws, child_details())
        ws.vault.engine.dispose()
    finally:
        ws.lock()
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        assert [row.action for row in audit_trail(ws)[before:]] == ["unlock"]
    finally:
        ws.lock()


def test_no_passphrase_and_no_terminal_is_one_sentence(vault_dir: Path) -> None:
    line = _one_clear_line(run_cli("children", "--vault", str(vault_dir), input_text=""))
    assert "No passphrase given" in line


def test_a_passphrase_typed_at_the_prompt(vault_dir: Path) -> None:
    result = run_cli("children", "--vault", str(vault_dir), input_text=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    assert "No children" in result.stdout


class _CtrlCOnImport(importlib.abc.MetaPathFinder):
    """Ctrl-C landing while Python is importing one module of the app."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == self.name:
            raise KeyboardInterrupt


def test_ctrl_c_while_the_app_is_still_loading_is_one_sentence_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The CLI's verbs take about 0.6 s to import, before click's own Ctrl-C handling exists.
    import practitioner_app
    from practitioner_app import launch

    monkeypatch.delitem(sys.modules, "practitioner_app.desktop_verbs", raising=False)
    monkeypatch.delattr(practitioner_app, "desktop_verbs", raising=False)
    monkeypatch.setattr(
        sys, "meta_path", [_CtrlCOnImport("practitioner_app.desktop_verbs"), *sys.meta_path]
    )
    monkeypatch.setattr(sys, "argv", ["practitioner-app", "audit"])
    with pytest.raises(SystemExit) as stopped:
        launch.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == launch.STOPPED_WHILE_STARTING + "\n"


def test_ctrl_c_while_the_window_is_being_built_waits_until_it_is_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Fresh review: a Ctrl-C inside PySide6's import aborted the process (a fatal error of
    # shiboken's) or surfaced as an ImportError. It is held until the window is built, then it
    # stops the app in one sentence.
    import signal

    from practitioner_app import launch
    from practitioner_app.ui import app

    built: list[str] = []

    def start(*_: Any) -> tuple[None, None]:
        signal.raise_signal(signal.SIGINT)
        built.append("the window was built to the end")
        return None, None

    monkeypatch.setattr(app, "start", start)
    monkeypatch.setattr(sys, "argv", ["practitioner-app"])
    with pytest.raises(SystemExit) as stopped:
        launch.main()
    assert built == ["the window was built to the end"]
    assert stopped.value.code == 130
    assert capsys.readouterr().err == launch.STOPPED_WHILE_STARTING + "\n"
