"""The desktop app's part of `make bench`, run in its own process (Qt wants a fresh one):

    python -m tests.bench_gui startup          seconds from process start to unlock screen shown
    python -m tests.bench_gui bare             the same for a bare PySide6 QMainWindow
    python -m tests.bench_gui stall VAULT ID   longest GUI-thread stall while unlocking, opening
                                               the heavy child and searching; and peak RSS

Each prints one JSON object on stdout.
"""

import atexit
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt is imported by each measure after this, as the app imports it after starting: PySide
# reads the source of every module imported after it (looking for `from __feature__ import`),
# so importing it first here would tax modules the app loads before it.
STARTED = time.perf_counter()

PASSPHRASE = os.environ.get("BENCH_PASSPHRASE", "blue kettle orchard lantern")


def _temp_folder(prefix: str) -> str:
    """A folder of this run's own, removed when the process ends."""
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _settings_in_temp() -> None:
    """The window's settings in a folder of this run's own."""
    from PySide6.QtCore import QSettings

    folder = _temp_folder("bench-qs-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def bare() -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.show()
    app.processEvents()
    shown = time.perf_counter() - STARTED
    window.close()
    return {"seconds": shown}


def startup(vault: str | None = None) -> dict[str, float]:
    # The path `practitioner-app --vault DIR` takes (practitioner_app/launch.py), up to the event
    # loop: what the practitioner waits through before the unlock window appears. Its settings
    # go to a folder of this run's own through the environment, as Qt is not imported yet.
    os.environ["XDG_CONFIG_HOME"] = _temp_folder("bench-qs-")
    from practitioner_app import launch

    started = launch.start_window(["--vault", vault or str(Path(_temp_folder("bench-v-")) / "v")])
    assert started is not None
    app, window = started
    app.processEvents()
    shown = time.perf_counter() - STARTED
    window.close()
    window.session.worker.shutdown()
    return {"seconds": shown}


class StallProbe:
    """A 5 ms timer; any gap much longer than that is time the GUI thread could not respond."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())


def peak_rss_mb() -> float:
    """This process's own peak resident memory. Not ru_maxrss: Linux carries that over from the
    parent through fork and exec, so under tests/bench.py it reported the benchmark's own peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """This process's resident memory now, in MB (0 where /proc is not there)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def stall(vault: str, heavy_child: str) -> dict[str, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    _settings_in_temp()
    from practitioner_app.ui.case.export_dialog import ExportSettings
    from practitioner_app.ui.main_window import MainWindow
    from practitioner_app.ui.session import VaultSession
    from practitioner_app.ui.worker import Worker

    worker = Worker()
    session = VaultSession(worker, Path(vault))
    window = MainWindow(session)
    window.show()
    probe = StallProbe()
    probe.start()

    def wait(condition: object, limit: float = 300) -> None:
        deadline = time.perf_counter() + limit
        while not condition() and time.perf_counter() < deadline:  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.002)

    def pause(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()

    def settle() -> None:
        wait(lambda: not worker.busy)
        pause(0.2)

    phases: dict[str, float] = {}

    peaks: dict[str, float] = {}
    resident: dict[str, float] = {}

    def phase(name: str) -> None:
        phases[name] = float(probe.longest)
        probe.longest = 0
        peaks[name] = peak_rss_mb()
        resident[name] = rss_mb()

    # Nobody types a passphrase in under a second; the window prepares while they do.
    typing = time.perf_counter() + 1.0
    wait(lambda: time.perf_counter() > typing)
    window.unlock_page.secret.setText(PASSPHRASE)
    window.unlock_page.unlock()
    # The work pages are built once the vault is open.
    wait(lambda: hasattr(window, "caseload") and window.caseload.model.rowCount() > 0)
    settle()
    phase("unlock_and_caseload")
    opened = time.perf_counter()
    window.open_child(heavy_child, tab=4)
    wait(lambda: window.case.chronology.model.rowCount() > 0 and not worker.busy)
    open_seconds = time.perf_counter() - opened
    settle()
    phase("open_heavy_child")
    # Clicked and typed as a practitioner would: the app counts key and mouse input as use (its
    # pause-in-use collection waits for 30 s without any; main_window.py), so switching tabs by
    # setting them would look to it like nobody at the keyboard.
    bar = window.case.tabs.tabBar()
    for tab in range(7):
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(tab).center())
        settle()
    phase("every_tab")
    window.pages.setCurrentWidget(window.caseload)
    for words in ("bruise", "police", "temporary accommodation"):
        window.caseload.filter.clear()
        for key in words:  # a key every 80 ms; the caseload is filtered again at each
            QTest.keyClicks(window.caseload.filter, key)
            pause(0.08)
        wait(lambda: not window.caseload._search_timer.isActive())
        settle()
    phase("search")
    # Export the heavy child's chronology PDF from the window: laid out on the worker, with the
    # progress bar moving on the GUI thread.
    window.pages.setCurrentWidget(window.case)
    dialog = window.case.export_chronology(ExportSettings())
    assert dialog is not None
    with tempfile.TemporaryDirectory() as folder:
        dialog.choose_path = lambda suggested: Path(folder) / "chronology.pdf"
        dialog.show()
        dialog.recipient.keep.setChecked(True)  # a copy kept for oneself: the dialog asks
        exported = time.perf_counter()
        assert dialog.export()
        wait(lambda: dialog.saved is not None, 600)
        export_seconds = time.perf_counter() - exported
        settle()
    dialog.close()
    phase("export_pdf")
    # Half a minute with no input: the window collects every garbage cycle (gcpause.py), a full
    # pass of the collector, while nobody is waiting on it. Reported beside the stalls in use.
    window.quiet.inactive.emit()
    settle()
    quiet_ms = float(probe.longest)
    result = {
        "longest_stall_ms": max(phases.values()),
        "collection_when_quiet_ms": quiet_ms,
        **{f"stall_ms_{name}": value for name, value in phases.items()},
        **{f"peak_rss_mb_after_{name}": value for name, value in peaks.items()},
        **{f"rss_mb_after_{name}": value for name, value in resident.items()},
        "open_heavy_child_s": open_seconds,
        "export_pdf_s": export_seconds,
        "chronology_rows": float(window.case.chronology.model.rowCount()),
        "peak_rss_mb": peak_rss_mb(),
    }
    window.close()
    worker.shutdown()
    return result


def main() -> int:
    what = sys.argv[1]
    if what == "bare":
        result = bare()
    elif what == "startup":
        result = startup(sys.argv[2] if len(sys.argv) > 2 else None)
    else:
        result = stall(sys.argv[2], sys.argv[3])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
