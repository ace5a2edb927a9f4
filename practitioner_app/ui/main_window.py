"""The main window: first run or unlock, then the caseload and a child's case workspace, with the
lock sequence (KeePassXC's order: save drafts, close dialogs, clear our clipboard text, forget what
is on screen, dispose the engine, show the unlock screen, and afterwards return to the same place).
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from practitioner_app.gcpause import collect_everything
from practitioner_app.ui import APP_TITLE
from practitioner_app.ui.bidi import signed
from practitioner_app.ui.guard import Clipboard, InactivityTimer, auto_lock_minutes
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.style import DEMO_STYLE
from practitioner_app.ui.unlock import UnlockPage

if TYPE_CHECKING:
    # Only named in annotations: PySide makes each class's Python type at first use, 2 ms for
    # QCloseEvent's, before the window's first frame.
    from PySide6.QtGui import QCloseEvent, QPaintEvent

    from practitioner_app.ui.case.workspace import CaseWorkspace
    from practitioner_app.ui.caseload import CaseloadPage
    from practitioner_app.ui.first_run import FirstRunPage
    from practitioner_app.ui.forms.base import RecordForm
    from practitioner_app.ui.vault_menu import VaultMenu

# Half a minute with no key, mouse or touch input: long enough that a full pass of the garbage
# collector lands when nobody is waiting on the window (gcpause.py).
QUIET_MINUTES = 0.5


@dataclass(frozen=True)
class Place:
    """Where the practitioner was when the vault locked: ids only, never record text."""

    child_id: str | None
    tab: int


class MainWindow(QMainWindow):
    # Built on first need (see _first_run_page and _build_work_pages).
    first_run: "FirstRunPage"
    caseload: "CaseloadPage"
    case: "CaseWorkspace"

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.clipboard = Clipboard()
        self.inactivity = InactivityTimer(self)
        self.inactivity.inactive.connect(self.lock)
        self.quiet = InactivityTimer(self, QUIET_MINUTES)
        self.quiet.inactive.connect(self._collect_while_quiet)
        self._place: Place | None = None
        self._kept: list[QDialog] = []
        self._vault_menu: VaultMenu | None = None
        self._painted = False

        # Only the unlock screen is built now; the rest (and the SQLAlchemy behind it) loads once
        # the window is up, so the practitioner can start typing at once.
        self.unlock_page = UnlockPage(session)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.unlock_page)
        self.setCentralWidget(self.pages)
        self.unlock_page.switch_vault.connect(self._switch_vault)
        self.unlock_page.create_own.connect(self._create_own_vault)
        self.unlock_page.open_other.connect(lambda: self.vault_menu.switch_vault(self.lock))
        session.unlocked.connect(self._unlocked)

        self.demo_badge = QLabel(" DEMO vault: invented records for practice only ")
        self.demo_badge.setStyleSheet(DEMO_STYLE)
        self.who = QLabel()
        self.busy = QLabel()
        self.busy.setAccessibleName("Working")
        status = self.statusBar()
        status.addWidget(self.demo_badge)
        status.addWidget(self.who, 1)
        status.addPermanentWidget(self.busy)
        session.worker.busy_changed.connect(
            lambda busy: self.busy.setText("Working…" if busy else "")
        )

        self._build_menus()
        self.resize(1180, 760)
        self._restore_geometry()
        self.start()

    # -- menus and shortcuts --------------------------------------------------------------------

    def _action(
        self, menu_name: str, text: str, keys: str | None, slot: Callable[[], object]
    ) -> QAction:
        menu = self._menus.get(menu_name)
        if menu is None:
            menu = self.menuBar().addMenu(menu_name)
            self._menus[menu_name] = menu
        # The text set apart: choosing among QAction(text, parent)'s overloads makes PySide build
        # the QIcon type (one takes an icon), 1.6 ms before the unlock window's first frame.
        action = QAction(self)
        action.setText(text)
        # Every action has a key (issue 17 item 6), shown beside it in the menu. Given as a list:
        # setShortcut's overloads (Qt.Key among them) make PySide build the whole Qt namespace,
        # 16 ms before the unlock window's first frame (issue 19).
        if keys:
            action.setShortcuts([QKeySequence.fromString(keys)])
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        self._menus: dict[str, QMenu] = {}
        self.lock_action = self._action("&Vault", "&Lock now", "Ctrl+L", lambda: self.lock())
        self.backup_action = self._action(
            "&Vault", "&Backup…", "Ctrl+Shift+B", lambda: self.vault_menu.backup()
        )
        self.restore_action = self._action(
            "&Vault", "&Restore…", "Ctrl+Shift+T", lambda: self.vault_menu.restore(self.lock)
        )
        self.check_action = self._action(
            "&Vault", "Chec&k the vault…", "Ctrl+Shift+K", lambda: self.vault_menu.check_vault()
        )
        self.passphrase_action = self._action(
            "&Vault",
            "C&hange passphrase…",
            "Ctrl+Shift+P",
            lambda: self.vault_menu.change_passphrase(),
        )
        self.switch_action = self._action(
            "&Vault",
            "&Switch vault…",
            "Ctrl+Shift+V",
            lambda: self.vault_menu.switch_vault(self.lock),
        )
        self._action("&Vault", "&Preferences…", "Ctrl+,", self.preferences)
        self._action("&Vault", "&Quit", "Ctrl+Q", self.close)
        self.case_actions = [
            self._action("&Case", "&Find a child", "Ctrl+F", self.find_child),
            self._action("&Case", "&Add child…", "Ctrl+Shift+N", self.add_child),
            self._action("&Case", "New &visit…", "Ctrl+N", lambda: self._new("visit")),
            self._action(
                "&Case",
                "New &observation…",
                "Ctrl+Shift+O",
                lambda: self._new("observation"),
            ),
            self._action("&Case", "New &concern…", "Ctrl+Shift+C", lambda: self._new("concern")),
            self._action("&Case", "&Back to caseload", "Alt+Left", self._show_caseload),
            self._action("&Case", "A&gency names…", "Ctrl+Shift+A", self.agency_names),
        ]
        self._action("&Help", "&About", "F1", self.about)

    @property
    def vault_menu(self) -> "VaultMenu":
        """Looking after the vault itself (issue 17: no demo trap, no vault without a backup).
        Made at first use: the unlock window appears without loading it."""
        if self._vault_menu is None:
            from practitioner_app.ui.vault_menu import VaultMenu

            self._vault_menu = VaultMenu(self.session, self)
            self._vault_menu.switched.connect(self._vault_switched)
            self._vault_menu.said.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        return self._vault_menu

    # -- starting, unlocking, locking -----------------------------------------------------------

    def start(self) -> None:
        self._label_vault()
        self._set_open(False)
        if self.session.choice.exists:
            self.unlock_page.prepare(after_lock=False)
            self.pages.setCurrentWidget(self.unlock_page)
        else:
            self.pages.setCurrentWidget(self._first_run_page())

    def paintEvent(self, event: "QPaintEvent") -> None:
        super().paintEvent(event)
        if not self._painted:
            # The rest of starting waits for the unlock window's first frame: importing the
            # services on the worker holds the GIL in turns with the GUI thread, and a timer
            # set before the window was shown ran before it was painted, holding its
            # appearance up by 10-100 ms (issue 19). Queued from the paint, it runs after it.
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_frame)

    def _after_first_frame(self) -> None:
        if not self.isVisible():  # closed (and its worker shut down) before getting here
            return
        # Nothing on the unlock window needs another script; the caseload's names do.
        from practitioner_app.ui.fonts import add_missing_script_fonts

        add_missing_script_fonts()
        # Follow the system palette (light or dark) with the platform style; Fusion where there
        # is none. Asked here: PySide's Python type for QStyle takes 6 ms to make, and Qt 6
        # picks the plain Windows style outside Windows only when told to.
        if QApplication.style().name().lower() == "windows" and sys.platform != "win32":
            QApplication.setStyle("Fusion")
        self.session.prewarm(then=lambda _: QTimer.singleShot(0, self, self._build_ahead))

    def _build_ahead(self) -> None:
        # While the practitioner types the passphrase: building the caseload and case pages
        # (and PySide's first set-up of each widget class they use) took 90 ms of the unlock.
        # They hold no record until the vault is open.
        if self.isVisible() and not hasattr(self, "caseload"):
            self._build_work_pages()

    def _first_run_page(self) -> "FirstRunPage":
        if not hasattr(self, "first_run"):
            from practitioner_app.ui.first_run import FirstRunPage

            self.first_run = FirstRunPage(self.session, self.clipboard)
            self.pages.addWidget(self.first_run)
            self.first_run.finished.connect(self._show_caseload)
        return self.first_run

    def _build_work_pages(self) -> None:
        if hasattr(self, "caseload"):
            return
        from practitioner_app.ui.case.workspace import CaseWorkspace
        from practitioner_app.ui.caseload import CaseloadPage

        self.caseload = CaseloadPage(self.session)
        self.case = CaseWorkspace(self.session)
        self.pages.addWidget(self.caseload)
        self.pages.addWidget(self.case)
        self.caseload.open_child.connect(lambda child_id: self.open_child(child_id))
        self.caseload.open_record.connect(self._open_record)
        self.caseload.add_child.connect(self.add_child)
        self.case.back.connect(self._show_caseload)

    def _label_vault(self) -> None:
        demo = self.session.is_demo
        self.setWindowTitle(APP_TITLE + (" — DEMO" if demo else ""))
        self.demo_badge.setVisible(demo)

    def _set_open(self, is_open: bool) -> None:
        self.lock_action.setEnabled(is_open)
        self.backup_action.setEnabled(is_open)
        self.check_action.setEnabled(is_open)
        self.passphrase_action.setEnabled(is_open)
        for action in self.case_actions:
            action.setEnabled(is_open)
        # The Case menu only leads anywhere once a vault is open. Off the bar while it is locked,
        # it leaves Alt+C to the welcome and unlock pages' own "Create my vault" buttons (a
        # hidden menu still claims its Alt+key in Qt, so it is taken off, not hidden).
        bar = self.menuBar()
        case_menu = self._menus["&Case"].menuAction()
        if is_open and case_menu not in bar.actions():
            bar.insertAction(self._menus["&Help"].menuAction(), case_menu)
        elif not is_open and case_menu in bar.actions():
            bar.removeAction(case_menu)
        bar.setEnabled(True)

    def _switch_vault(self) -> None:
        self.session.choose(self.session.real if self.session.is_demo else self.session.demo)
        self._vault_switched()

    def _vault_switched(self) -> None:
        self._label_vault()
        self.unlock_page.prepare(after_lock=False)
        self.pages.setCurrentWidget(self.unlock_page)

    def _create_own_vault(self) -> None:
        """From the unlock screen of the demo: the first-run page makes the practitioner's own."""
        self.session.choose(self.session.real)
        self._label_vault()
        page = self._first_run_page()
        page.show_create()
        self.pages.setCurrentWidget(page)

    def _unlocked(self) -> None:
        self._build_work_pages()
        self._label_vault()
        self._set_open(True)
        self.unlock_page.succeeded()
        profile = self.session.profile
        self.who.setText(
            f"Signed as {signed(profile.name, profile.role, profile.agency)}" if profile else ""
        )
        self.inactivity.set_minutes(auto_lock_minutes())
        self.inactivity.start()
        self.quiet.start()
        place, self._place = self._place, None
        if (
            hasattr(self, "first_run")
            and self.pages.currentWidget() is self.first_run
            and self.first_run.currentWidget() is self.first_run.recovery_page
        ):
            return  # the recovery key is still on screen; the caseload follows its confirmation
        self.caseload.reload()
        if place is not None and place.child_id is not None:
            self.open_child(place.child_id, place.tab)
        else:
            self.pages.setCurrentWidget(self.caseload)
        for dialog in self._kept:
            dialog.show()
        self._kept = []

    def lock(self, then: Callable[[], None] | None = None) -> None:
        """The lock sequence; `then` runs once the vault is locked (a restore, a switch)."""
        if not self.session.is_open:
            if then is not None:
                then()
            return
        self.inactivity.stop()
        self.quiet.stop()
        on_case = self.pages.currentWidget() is self.case
        self._place = Place(self.case.child_id if on_case else None, self.case.tabs.currentIndex())
        self._put_dialogs_away()
        self.clipboard.clear_ours()

        def locked() -> None:
            self._locked()
            if then is not None:
                then()

        self.session.lock(done=locked)

    def _collect_while_quiet(self) -> None:
        # Reference cycles that became garbage after they were frozen (gcpause.py) would wait for
        # the lock; a pause in use collects them, a full pass (150-180 ms at 4,000 children)
        # that nobody is waiting on.
        if self.session.is_open and not self.session.worker.busy:
            collect_everything()

    def _put_dialogs_away(self) -> None:
        from practitioner_app.ui.forms.base import RecordForm

        for widget in QApplication.topLevelWidgets():
            if not isinstance(widget, QDialog) or not widget.isVisible():
                continue
            if isinstance(widget, RecordForm):
                if not widget.dirty:
                    widget.done(QDialog.DialogCode.Rejected)
                elif not widget.save_draft(then=self._closer(widget)):
                    self._keep_hidden(widget)  # unreadable fields: kept, never thrown away
            elif getattr(widget, "keeps_input", False):
                self._keep_hidden(widget)
            else:
                widget.reject()

    @staticmethod
    def _closer(form: "RecordForm") -> Callable[[object], None]:
        return lambda _: form.done(QDialog.DialogCode.Rejected)

    def _keep_hidden(self, dialog: QDialog) -> None:
        dialog.hide()
        self._kept.append(dialog)

    def _locked(self) -> None:
        # A save refused by the vault (a future date, say) left its form open: keep it for later.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                self._keep_hidden(widget)
        self.caseload.clear()
        self.case.clear()
        self._set_open(False)
        self.who.clear()
        self.unlock_page.prepare(after_lock=True)
        self.pages.setCurrentWidget(self.unlock_page)

    # -- navigation ----------------------------------------------------------------------------

    def _show_caseload(self) -> None:
        self.pages.setCurrentWidget(self.caseload)
        if self.caseload.model.total() == 0:
            self.caseload.reload()
        self.caseload.filter.setFocus()

    def open_child(self, child_id: str, tab: int | None = None) -> None:
        self.case.show_child(child_id, tab if tab is not None else 0)
        self.pages.setCurrentWidget(self.case)
        self.case.tabs.setFocus()

    def _open_record(self, child_id: str, kind: str, record_id: str) -> None:
        self.open_child(child_id)
        if kind not in ("household_member", "child"):
            self.case.open_entry(kind, record_id)

    def find_child(self) -> None:
        self._show_caseload()
        self.caseload.filter.selectAll()

    def add_child(self) -> None:
        from practitioner_app.ui.forms.people import ChildForm

        form = ChildForm(self.session, parent=self)
        form.saved.connect(lambda summary: self.open_child(summary.id))
        form.finished.connect(lambda _: form.deleteLater())
        form.show()

    def _new(self, kind: str) -> None:
        # Imported here: the record kinds' registry (and the dataclasses of every record it
        # names) is not needed to show the unlock window, and costs a tenth of start-up.
        from practitioner_app.domain.kinds import RecordKind

        if self.pages.currentWidget() is self.case:
            self.case.new_entry(RecordKind(kind))
        else:
            self.statusBar().showMessage("Open a child first, then record.", 4000)

    def agency_names(self) -> None:
        from practitioner_app.ui.agency_names import AgencyNamesDialog

        dialog = AgencyNamesDialog(self.session, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.setModal(True)
        dialog.show()

    def preferences(self) -> None:
        from practitioner_app.ui.dialogs import PreferencesDialog

        # The vault's own settings are offered only while it is open.
        dialog = PreferencesDialog(self, self.session if self.session.is_open else None)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.inactivity.set_minutes(auto_lock_minutes())

    def about(self) -> None:
        from practitioner_app.ui.dialogs import AboutDialog

        AboutDialog(self).exec()

    # -- closing -----------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event: "QCloseEvent") -> None:
        from practitioner_app.ui.forms.base import RecordForm

        QSettings().setValue("window/geometry", self.saveGeometry())
        for widget in QApplication.topLevelWidgets():
            if not (isinstance(widget, RecordForm) and widget.isVisible() and widget.dirty):
                continue
            # The save is queued before the lock below, so it lands first.
            if not widget.save_draft():
                event.ignore()  # a field cannot be read: the form says which, and stays open
                widget.raise_()
                return
        self.inactivity.stop()
        self.quiet.stop()
        self.session.lock_and_wait()
        # As after a lock: drop what was shown, and the caseload's pending alert refresh with it
        # (built at the first unlock; closed at the unlock page, there is nothing to drop).
        if hasattr(self, "caseload"):
            self.caseload.clear()
            self.case.clear()
        event.accept()
