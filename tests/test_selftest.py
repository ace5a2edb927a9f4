"""`practitioner-app self-test` from source: every check passes on a real throwaway vault and
nothing is left behind; a failing step says why in one sentence, exits 1, and still cleans up.
Also where the shipped files are found, from a checkout and from a frozen build."""

import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from practitioner_app import resources
from practitioner_app.cli import main
from practitioner_app.services import selftest
from tests.conftest import run_app

WHAT_IS_CHECKED = (
    "vault created (SQLCipher 4.",
    "synthetic child added (NHS number 999 000 0018",
    "visit and observation recorded and finalised",
    "final observation amended",
    "UK-WHO growth reference read (7.4 kg, a girl of 6 months: 55th centile)",
    "audit chain and every record's seal verified",
    "chronology PDF written and read back",
    "case bundle exported, read back and imported into a second vault",
    "referral (MARF) started, PDF written and read back",
    "desktop window built (Qt 6.",
    "temporary vaults locked and deleted",
)


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of the test's own, standing in for /tmp, so "nothing left" can be seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    return folder


def test_the_installed_command_passes_every_check_one_line_each_and_leaves_no_file(
    private_tmp: Path,
) -> None:
    # The real console script in a process of its own, end to end, as a user would run it.
    done = run_app("self-test", env={"TMPDIR": str(private_tmp), "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(WHAT_IS_CHECKED)
    assert all(line.startswith("ok   ") for line in lines)
    for expected in WHAT_IS_CHECKED:
        assert any(expected in line for line in lines), expected
    assert done.stderr == ""
    assert list(private_tmp.iterdir()) == []


def test_a_failing_step_is_one_sentence_the_rest_skip_exit_1_and_all_is_removed(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object) -> str:
        raise RuntimeError("disk on fire.  Please try again.\nTraceback details")

    monkeypatch.setattr(selftest._Round, "chronology_pdf", broken)
    monkeypatch.setattr(selftest, "window_checks", lambda folder: iter(()))
    result = CliRunner().invoke(main, ["self-test"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "FAIL chronology PDF: RuntimeError: disk on fire." in lines
    assert lines[lines.index("FAIL chronology PDF: RuntimeError: disk on fire.") + 1 :] == [
        "skip case bundle (an earlier check failed)",
        "skip referral PDF (an earlier check failed)",
        "ok   temporary vaults locked and deleted",
    ]
    assert list(private_tmp.iterdir()) == []


def test_a_wrong_result_is_reported_in_the_steps_own_words(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = selftest._pdf_text
    # The PDF is written but reads back without the child's name: a font that lost the text.
    monkeypatch.setattr(selftest, "_pdf_text", lambda path: (real(path)[0], "a blank page"))
    checks = selftest.run(window=False)
    assert [c.line for c in checks if c.status == "FAIL"] == [
        "FAIL chronology PDF: chronology.pdf does not contain Robin Selftest, Chronology."
    ]
    assert not selftest.passed(checks)
    assert checks[-1].line == "ok   temporary vaults locked and deleted"
    assert list(private_tmp.iterdir()) == []


def test_an_interrupted_self_test_still_deletes_its_vaults(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(selftest._Round, "amend", interrupted)
    reported: list[selftest.Check] = []
    with pytest.raises(KeyboardInterrupt):
        selftest.run(report=reported.append, window=False)
    assert reported[-1].line == "ok   temporary vaults locked and deleted"
    assert list(private_tmp.iterdir()) == []


def test_a_window_check_that_crashes_names_qts_own_reason(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a build without its platform plugin does: Qt prints why and aborts the process.
    crash = (
        "import sys; sys.stderr.write('qt.qpa.plugin: Could not find the Qt platform plugin "
        '"offscreen" in ""\\nThis application failed to start.\\n\'); sys.exit(134)'
    )
    monkeypatch.setattr(selftest, "this_program", lambda: [sys.executable, "-c", crash])
    checks = list(selftest.window_checks(private_tmp))
    assert [c.line for c in checks] == [
        "FAIL desktop window: the check stopped (qt.qpa.plugin: Could not find the Qt platform "
        'plugin "offscreen" in "").'
    ]


def test_reasons_are_one_sentence() -> None:
    assert selftest.reason(RuntimeError("Path doesn't exist: /x/db.  Please use init.")) == (
        "RuntimeError: Path doesn't exist: /x/db."
    )
    assert selftest.reason(ValueError("no full stop")) == "ValueError: no full stop."
    assert selftest.reason(KeyError()) == "KeyError."
    assert selftest.reason(selftest.CheckFailed("the PDF is empty")) == "the PDF is empty."


def test_shipped_files_are_found_in_the_checkout() -> None:
    root = resources.app_root()
    assert (root / "pyproject.toml").is_file()
    assert (resources.migrations_dir() / "env.py").is_file()
    assert (resources.fonts_dir() / "DejaVuSans.ttf").is_file()
    assert (resources.resources_dir() / "bundle.schema.json").is_file()
    assert selftest.this_program() == [sys.executable, "-m", "practitioner_app"]


def test_shipped_files_are_found_in_a_frozen_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.app_root() == tmp_path
    assert resources.migrations_dir() == tmp_path / "db"
    assert resources.resources_dir() == tmp_path / "resources"
    assert resources.fonts_dir() == tmp_path / "resources" / "fonts"
    # The frozen executable is the app: self-test starts it again, not Python.
    assert selftest.this_program() == [sys.executable]


def test_a_frozen_build_without_meipass_looks_beside_the_executable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resources.app_root() == Path(sys.executable).resolve().parent
