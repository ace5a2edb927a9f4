"""Starting the desktop app (issue 19): `practitioner-app` with no verb shows the unlock window
without loading the CLI or the services first, paints it before anything else starts, and only
then adds fonts and loads the services on the worker. Orders and imports, never times."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontDatabase, QTextLayout
from pytestqt.qtbot import QtBot

from practitioner_app import launch
from practitioner_app.ui import fonts
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.session import VaultSession
from tests.ui_helpers import open_window


@pytest.mark.parametrize(
    ("args", "vault"),
    [
        ([], None),
        (["--vault", "/home/nurse/vault"], Path("/home/nurse/vault")),
        (["--vault=/home/nurse/vault"], Path("/home/nurse/vault")),
    ],
)
def test_no_verb_or_only_a_vault_opens_the_window(args: list[str], vault: Path | None) -> None:
    assert launch.window_arguments(args) == (vault,)


@pytest.mark.parametrize(
    "args",
    [
        ["window"],
        ["verify"],
        ["--help"],
        ["--version"],
        ["--vault"],  # no folder given: the CLI says so
        ["--vault="],
        ["--vault", ""],
        ["--vault", "/v", "verify"],
        ["--vaults", "/v"],
    ],
)
def test_anything_else_is_the_command_lines_to_read(args: list[str]) -> None:
    assert launch.window_arguments(args) is None


def _started_in_a_fresh_process(tmp_path: Path, script: str) -> dict[str, object]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # the window's settings, not the user's
    }
    env.pop("PRACTITIONER_VAULT", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_window_appears_without_the_command_line_or_the_services(tmp_path: Path) -> None:
    # The console script's own path: importing the CLI's verbs loads every service (0.6 s).
    script = f"""
import json, sys
from practitioner_app import launch
app, window = launch.start_window(["--vault", {str(tmp_path / "vault")!r}])
app.processEvents()
loaded = [name for name in ("click", "practitioner_app.cli", "sqlalchemy", "reportlab")
          if name in sys.modules]
page = type(window.pages.currentWidget()).__name__
window.close()
window.session.worker.shutdown()
print(json.dumps({{"loaded": loaded, "page": page}}))
"""
    result = _started_in_a_fresh_process(tmp_path, script)
    assert result == {"loaded": [], "page": "FirstRunPage"}


def test_modules_loaded_before_qt_are_not_read_again_for_pyside(tmp_path: Path) -> None:
    # PySide reads the source of each module an import names after Qt is loaded; the ones
    # already loaded are recorded as not using its features instead (practitioner_app/ui).
    script = """
import json, sys
import email.utils
import practitioner_app.ui
feature = sys.modules["shibokensupport.feature"]
read = []
looked_at = feature._mod_uses_pyside
feature._mod_uses_pyside = lambda module: read.append(module.__name__) or looked_at(module)
import email.utils
import colorsys
print(json.dumps({"read": read}))
"""
    result = _started_in_a_fresh_process(tmp_path, script)
    # Loaded before Qt: not read. Loaded after it: read, as PySide always has.
    assert result == {"read": ["colorsys"]}


def test_pyside_learns_which_modules_name_it_without_their_source_kept_in_memory(
    tmp_path: Path,
) -> None:
    # PySide's own way kept every later module's source in linecache: 11 MB once the services
    # were loaded (practitioner_app/ui). The answer is the same: 0 for a module whose source
    # names PySide6, -1 ("ignore") for one that does not.
    script = """
import json, linecache, sys
import practitioner_app.ui
feature = sys.modules["shibokensupport.feature"]
import colorsys
from practitioner_app.ui.worker import Worker
print(json.dumps({
    "colorsys": feature.pyside_feature_dict.get("colorsys"),
    "worker": feature.pyside_feature_dict.get("practitioner_app.ui.worker"),
    "kept": [name for name in linecache.cache if name.endswith(("colorsys.py", "worker.py"))],
}))
"""
    result = _started_in_a_fresh_process(tmp_path, script)
    assert result == {"colorsys": -1, "worker": 0, "kept": []}


def test_a_module_with_no_source_file_is_asked_of_pyside_s_own_test(tmp_path: Path) -> None:
    # A module imported from a zip has no file to read; PySide's own test reads it through its
    # loader, and gets the same answer as for the file.
    archive = tmp_path / "modules.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("names_qt.py", "import PySide6.QtCore\n")
        zipped.writestr("plain.py", "VALUE = 1\n")
    script = f"""
import json, sys
import practitioner_app.ui
feature = sys.modules["shibokensupport.feature"]
sys.path.insert(0, {str(archive)!r})
import names_qt
import plain
known = feature.pyside_feature_dict
print(json.dumps({{"names_qt": known.get("names_qt"), "plain": known.get("plain")}}))
"""
    result = _started_in_a_fresh_process(tmp_path, script)
    assert result == {"names_qt": 0, "plain": -1}


class _PaintsAndPrewarm(QObject):
    """Records the window's paints and the moment the services start loading, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.order[-1:] != ["paint"]:
            self.order.append("paint")
        return False


def test_the_unlock_window_is_painted_before_the_services_start_loading(
    qtbot: QtBot, vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = _PaintsAndPrewarm()
    prewarm = VaultSession.prewarm

    def recorded_prewarm(session: VaultSession, then: object = None) -> None:
        recorder.order.append("prewarm")
        prewarm(session, then)  # type: ignore[arg-type]

    monkeypatch.setattr(VaultSession, "prewarm", recorded_prewarm)
    original_init = MainWindow.__init__

    def watched_init(window: MainWindow, *args: object, **kwargs: object) -> None:
        original_init(window, *args, **kwargs)  # type: ignore[arg-type]
        window.installEventFilter(recorder)

    monkeypatch.setattr(MainWindow, "__init__", watched_init)
    window = open_window(qtbot, vault_dir, tmp_path / "settings")
    try:
        qtbot.waitUntil(lambda: "prewarm" in recorder.order, timeout=30_000)
        assert recorder.order[0] == "paint"
        qtbot.waitUntil(lambda: hasattr(window, "caseload"), timeout=30_000)
    finally:
        window.close()
        window.session.worker.shutdown()


def test_once_the_window_is_up_qt_has_a_font_for_every_script_the_pdfs_print(
    qtbot: QtBot, vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added: list[list[str]] = []
    add = fonts.add_missing_script_fonts

    def recorded_add() -> list[str]:
        added.append(add())
        return added[-1]

    monkeypatch.setattr(fonts, "add_missing_script_fonts", recorded_add)
    window = open_window(qtbot, vault_dir, tmp_path / "settings")
    try:
        qtbot.waitUntil(lambda: bool(added), timeout=30_000)
        # Each script's sample as the window draws it: every character a real glyph, in a font
        # found by Qt's fallback (glyph 0 is the empty box of a character no font has).
        for system, _ in fonts.SCRIPT_FONTS:
            sample = QFontDatabase.writingSystemSample(system)
            layout = QTextLayout(sample, window.font())
            layout.beginLayout()
            layout.createLine()
            layout.endLayout()
            glyphs = [index for run in layout.glyphRuns() for index in run.glyphIndexes()]
            assert glyphs, system
            assert 0 not in glyphs, (system, sample)
    finally:
        window.close()
        window.session.worker.shutdown()
