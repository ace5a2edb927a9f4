"""The leak checks every test passes through (tests/leaks.py) fail a test for each thing it leaves."""

import threading

import pytest

from practitioner_app.vault.vault import UnlockedVault

# Set when the test below has seen the leaky thread reported, so the thread can end.
RELEASE = threading.Event()
# The vault the leaky test leaves unlocked, to see that the check locked it.
LEFT_OPEN: list[UnlockedVault] = []

LEAKY_TESTS = """
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from practitioner_app.vault.keyfile import KeyFile
from practitioner_app.vault.vault import UnlockedVault, VaultPaths
from tests.leaks import no_leaks  # noqa: F401
from tests.test_leaks import LEFT_OPEN, RELEASE

kept = []


def test_leaves_nothing(qtbot):
    timer = QTimer()
    timer.start(60_000)
    timer.stop()


def test_leaves_a_thread():
    threading.Thread(target=RELEASE.wait, name="left-running", daemon=True).start()


def test_leaves_a_timer(qtbot):
    kept.append(QTimer())
    kept[-1].start(60_000)


def test_leaves_a_window(qtbot):
    kept.append(QWidget())
    kept[-1].setWindowTitle("Forgotten")
    kept[-1].show()


def test_leaves_a_vault_unlocked(tmp_path):
    vault = UnlockedVault(VaultPaths(tmp_path), KeyFile("id", {}), bytearray(b"k" * 32), [], False)
    LEFT_OPEN.append(vault)
"""


def test_each_leak_fails_its_test_and_names_what_was_left(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_leaky=LEAKY_TESTS)
    try:
        result = pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    finally:
        RELEASE.set()
    result.assert_outcomes(passed=5, errors=4)
    result.stdout.fnmatch_lines_random(
        [
            "*ERROR at teardown of test_leaves_a_thread*",
            "*a running daemon thread 'left-running'*",
            "*an active QTimer (60000 ms), started at*test_leaky.py*",
            "*an open window: QWidget 'Forgotten'*",
            "*an unlocked vault (key in memory, engine open), opened at*",
        ]
    )
    assert "ERROR at teardown of test_leaves_nothing" not in result.stdout.str()
    # The check locked the vault it found, so no key outlives the test.
    assert len(LEFT_OPEN) == 1
    assert LEFT_OPEN[0].is_locked
