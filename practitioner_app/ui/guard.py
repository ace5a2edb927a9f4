"""The app-wide inactivity timer and the clipboard the app must clean up after (KeePassXC's habits)."""

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

AUTO_LOCK_KEY = "security/auto_lock_minutes"
DEFAULT_AUTO_LOCK_MINUTES = 5


def activity_events() -> "frozenset[QEvent.Type]":
    """Key, mouse and touch input: what keeps the vault unlocked. Made when the timer first
    starts, not at import: PySide makes the 180-member `QEvent.Type` at its first use, 2 ms
    before the unlock window's first frame (issue 19)."""
    from PySide6.QtCore import QEvent

    return frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        }
    )


def auto_lock_minutes() -> int:
    value = QSettings().value(AUTO_LOCK_KEY, DEFAULT_AUTO_LOCK_MINUTES)
    try:
        minutes = int(str(value))
    except ValueError:
        return DEFAULT_AUTO_LOCK_MINUTES
    return minutes if 1 <= minutes <= 60 else DEFAULT_AUTO_LOCK_MINUTES


class InactivityTimer(QObject):
    """Fires `inactive` after the set time with no key, mouse or touch input anywhere in the app."""

    inactive = Signal()

    def __init__(self, parent: QObject | None = None, minutes: float | None = None) -> None:
        """`minutes` of no input before `inactive` fires; the auto-lock setting if not given."""
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.inactive)
        self._activity: frozenset[QEvent.Type] = frozenset()
        self.set_minutes(auto_lock_minutes() if minutes is None else minutes)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(int(minutes * 60_000))
        if self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        self._activity = self._activity or activity_events()
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def stop(self) -> None:
        app = QGuiApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: "QEvent") -> bool:
        if event.type() in self._activity:
            self._timer.start()
        return False


class Clipboard:
    """Copies text for the user, and removes it again on lock if it is still what we put there."""

    def __init__(self) -> None:
        self._placed: str | None = None

    def copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self._placed = text

    def clear_ours(self) -> None:
        if self._placed is not None and QGuiApplication.clipboard().text() == self._placed:
            QGuiApplication.clipboard().clear()
        self._placed = None
