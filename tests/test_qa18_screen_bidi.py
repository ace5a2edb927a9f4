"""QA of issue 18 (fresh tester), the screens: a right-to-left override (U+202E) typed or pasted
into a name, and never closed, must not reorder the app's own words after it. The PDF draws such
a name without reordering anything (ReportLab applies no bidi to it); Qt applies the override
to the end of the string it is in, so the status bar's 'Signed as <name> (Health visitor,
Northshire Community NHS Trust)' shows the role and agency written backwards.

The check asks Qt itself where it draws each character of the label's text (QTextLayout in the
label's font), so it states what the practitioner sees, whatever the implementation."""

from pathlib import Path

from PySide6.QtGui import QFont, QTextLayout
from pytestqt.qtbot import QtBot

from practitioner_app.services.workspace import Profile, create_vault
from tests.conftest import PASSPHRASE
from tests.ui_helpers import close_dialogs, open_window, unlock_window


def drawn_x(text: str, font: QFont, index: int) -> float:
    """Where Qt draws the character at `index` of `text` on one line, in pixels from the left."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100_000)
    layout.endLayout()
    found: tuple[float, int] = line.cursorToX(index)  # type: ignore[assignment]
    return float(found[0])


def test_an_override_in_the_practitioners_name_does_not_reverse_the_status_bar(
    qtbot: QtBot, tmp_path: Path
) -> None:
    name = "Asha\u202e Patel"  # an override pasted in and never closed
    workspace, _ = create_vault(
        tmp_path / "vault",
        PASSPHRASE,
        Profile(name, "Health visitor", "Northshire Community NHS Trust"),
    )
    workspace.lock()
    window = open_window(qtbot, tmp_path / "vault", tmp_path / "settings")
    try:
        unlock_window(qtbot, window)
        shown = window.who.text()
        assert "Health visitor" in shown
        font = window.who.font()
        health, trust = shown.index("Health"), shown.index("Trust")
        # The role is drawn to the left of the agency, as written.
        assert drawn_x(shown, font, health) < drawn_x(shown, font, trust), shown
    finally:
        close_dialogs(qtbot, window.session)
        window.close()
        window.session.worker.shutdown()
