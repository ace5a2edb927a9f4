"""What no test may leave behind (napari's conftest habit): a thread, an active QTimer, a visible
top-level window, or a vault still unlocked. Each is a bug: it keeps a key in memory, fires into a
later test, or keeps the interpreter from exiting.

`no_leaks` is autouse (conftest imports it). It is cheap: a set of threads, two wrapped methods,
and at the end a look at what was recorded. A leak fails the test at teardown, names what leaked
and where it was started, and is cleaned up so the next test starts clean.
"""

import sys
import sysconfig
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from practitioner_app.vault.vault import UnlockedVault

# How long threads that are already finishing get to end before they count as left behind.
THREAD_GRACE_SECONDS = 2.0
_HERE = str(Path(__file__).resolve().parent.parent)
# Where installed packages and the standard library live: not ours, so not worth naming.
_LIBRARIES = tuple(
    {sys.prefix, sys.base_prefix}
    | {sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")}
)


def _where() -> str:
    """Where in our own code (the app's or a test's) this was called from: the two innermost
    frames, and the test's own line if it is further out.

    Walks frame objects rather than `traceback.extract_stack`, which reads source lines: this
    runs on every QTimer start, and the inactivity timer restarts on every key press.
    """
    ours: list[str] = []
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not (filename.startswith(_LIBRARIES) or filename == __file__ or filename[0] == "<"):
            is_test = Path(filename).name.startswith("test_")
            if len(ours) < 2 or is_test:
                shown = filename[len(_HERE) + 1 :] if filename.startswith(_HERE) else filename
                ours.append(f"{shown}:{frame.f_lineno} in {frame.f_code.co_name}")
            if is_test:
                break
        frame = frame.f_back  # type: ignore[assignment]
    return " <- ".join(ours) or "outside our code"


@pytest.fixture(autouse=True)
def no_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    threads_before = set(threading.enumerate())
    # A patcher of its own: a test's `monkeypatch.undo()` must not switch the checks off.
    with pytest.MonkeyPatch.context() as patcher:
        vaults = _record_instances(patcher, UnlockedVault)
        # Qt is checked only in tests that use it, so the others pay nothing for it.
        uses_qt = "qtbot" in request.fixturenames
        timers = _record_timer_starts(patcher) if uses_qt else {}

        yield

        leaks = _unlocked_vaults(vaults)
        if uses_qt:
            leaks += _visible_windows()
            leaks += _active_timers(timers)
    leaks += _new_threads(threads_before)
    if leaks:
        pytest.fail("The test left behind:\n  " + "\n  ".join(leaks), pytrace=False)


# -- vaults ---------------------------------------------------------------------------------------


def _record_instances(
    monkeypatch: pytest.MonkeyPatch, cls: type[UnlockedVault]
) -> list[tuple[UnlockedVault, str]]:
    made: list[tuple[UnlockedVault, str]] = []
    original = cls.__init__

    def init(self: UnlockedVault, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append((self, _where()))

    monkeypatch.setattr(cls, "__init__", init)
    return made


def _unlocked_vaults(vaults: list[tuple[UnlockedVault, str]]) -> list[str]:
    leaks = []
    for vault, where in vaults:
        if not vault.is_locked:
            leaks.append(f"an unlocked vault (key in memory, engine open), opened at {where}")
            vault.lock()
    return leaks


# -- Qt -------------------------------------------------------------------------------------------


def _record_timer_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> dict[int, tuple[weakref.ref[Any], str]]:
    from PySide6.QtCore import QTimer

    started: dict[int, tuple[weakref.ref[Any], str]] = {}
    original: Callable[..., None] = QTimer.start

    def start(self: QTimer, *args: Any) -> None:
        # The last start of a timer is the one that counts.
        started[id(self)] = (weakref.ref(self), _where())
        original(self, *args)

    monkeypatch.setattr(QTimer, "start", start)
    return started


def _active_timers(started: dict[int, tuple[weakref.ref[Any], str]]) -> list[str]:
    leaks = []
    for ref, where in started.values():
        timer = ref()
        if timer is None:
            continue
        try:
            active = timer.isActive()
        except RuntimeError:  # its C++ object is already deleted, which also stopped it
            continue
        if active:
            leaks.append(f"an active QTimer ({timer.interval()} ms), started at {where}")
            timer.stop()
    return leaks


def _visible_windows() -> list[str]:
    if "PySide6.QtWidgets" not in sys.modules:
        return []
    from PySide6.QtWidgets import QApplication

    leaks = []
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            title = widget.windowTitle()
            leaks.append(
                f"an open window: {type(widget).__name__}" + (f" {title!r}" if title else "")
            )
            widget.close()
    return leaks


# -- threads --------------------------------------------------------------------------------------


def _new_threads(before: set[threading.Thread]) -> list[str]:
    deadline = time.monotonic() + THREAD_GRACE_SECONDS
    leaks = []
    for thread in threading.enumerate():
        # A _DummyThread stands for a thread Python did not start (Qt's own); it never ends.
        if thread in before or isinstance(thread, threading._DummyThread):
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            kind = "daemon" if thread.daemon else "non-daemon"
            leaks.append(f"a running {kind} thread {thread.name!r}")
    return leaks
