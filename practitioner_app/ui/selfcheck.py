"""The desktop half of `self-test`: build the main window offscreen, and load the Qt platform
plugin the desktop will use (xcb on Linux), printing one "ok"/"FAIL" line for each.

It runs in a child process of the self-test (`practitioner-app check-window`), because a Qt
platform plugin that cannot load aborts the whole process. That is exactly what a frozen build
missing a plugin or a hidden import does, which is why this check exists.
"""

import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QPluginLoader, QSettings, qVersion
from PySide6.QtWidgets import QApplication

from practitioner_app import syscheck

# The plugin each system opens windows with unless QT_QPA_PLATFORM says otherwise.
NATIVE_PLATFORMS = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}


def plugin_file(platform: str) -> str:
    """The plugin's file name: wayland-egl and friends live in the wayland plugin."""
    family = "wayland" if platform.startswith("wayland") else platform
    if sys.platform == "win32":
        return f"q{family}.dll"
    return f"libq{family}.dylib" if sys.platform == "darwin" else f"libq{family}.so"


def _window(folder: Path) -> str:
    """Build the main window as `ui.app.run` does, without showing it."""
    from practitioner_app.ui.app import configure_application
    from practitioner_app.ui.main_window import MainWindow
    from practitioner_app.ui.session import PREWARM, VaultSession
    from practitioner_app.ui.worker import Worker

    # Preferences go to the throwaway folder: the practitioner's window size stays untouched.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application()
    worker = Worker()
    # A vault folder that does not exist: the window opens on its first-run page.
    window = MainWindow(VaultSession(worker, folder / "vault"))
    try:
        # Imported by name at run time (prewarm), so a freezer cannot see them: importing them
        # here proves the build carries them.
        for name in PREWARM:
            importlib.import_module(name)
    finally:
        worker.shutdown()
        window.deleteLater()
        app.processEvents()
    return f"desktop window built (Qt {qVersion()}, {QApplication.platformName()} platform)"


def _platform_plugin(name: str) -> tuple[bool, str]:
    """Load the plugin the desktop will use; on Linux, name any missing system libraries."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    path = folder / plugin_file(name)
    if not path.is_file():
        return (
            False,
            f"Qt platform plugin {name}: {path.name} is not in {folder}; check QT_QPA_PLATFORM, "
            "or reinstall the app.",
        )
    loader = QPluginLoader(str(path))
    if loader.load():
        loader.unload()
        return True, f"Qt platform plugin {name} loads"
    ldd = shutil.which("ldd")
    missing = syscheck.missing_with_ldd([path], ldd) if ldd else None
    if missing:
        hint = syscheck.install_hint(missing, syscheck.package_manager(), sudo=os.geteuid() != 0)
        sentence = " ".join(hint.split()).replace(". Install", "; install")
        return False, f"Qt platform plugin {name}: {sentence}"
    return False, f"Qt platform plugin {name} does not load: {loader.errorString()}."


def main(platform: str = "") -> int:
    """Print the lines and return the exit status. `platform` is the plugin the desktop will use
    (the caller's QT_QPA_PLATFORM; empty for this system's own); the window itself is always
    built offscreen, so the check needs no screen."""
    failed = False
    with tempfile.TemporaryDirectory(prefix="practitioner-window-check-") as folder:
        try:
            print(f"ok   {_window(Path(folder))}", flush=True)
        except Exception as error:  # a missing module or data file in a frozen build
            failed = True
            said = str(error).strip().splitlines()
            print(
                f"FAIL desktop window: {type(error).__name__}: {said[0] if said else ''}",
                flush=True,
            )
        name = platform or NATIVE_PLATFORMS.get(sys.platform, "")
        if name and name != "offscreen":  # offscreen was proven by building the window
            ok, sentence = _platform_plugin(name)
            failed = failed or not ok
            print(f"{'ok  ' if ok else 'FAIL'} {sentence}", flush=True)
    return 1 if failed else 0
