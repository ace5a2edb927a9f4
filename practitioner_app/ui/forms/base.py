"""What every record form shares: inline messages on fields, Save draft (Ctrl+S), Finalise
(Ctrl+Enter, after one question showing what becomes final), Enter moving on rather than
finalising, and saving the draft when the vault locks, so nothing typed is lost.

A form only collects details (a domain dataclass) and shows problems; saving goes through the
session to the worker, and a Problem comes back as a message beside the field it names.
"""

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import ImplausibleMeasurement, InvalidInput, Problem
from practitioner_app.domain.times import now_utc, uk_local
from practitioner_app.services import records
from practitioner_app.services.views import EntryView
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.finalising import FinalSummary, ask_to_finalise, enter_moves_on
from practitioner_app.ui.layout import FormLayout
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.style import DEMO_STYLE, ERROR_STYLE

__all__ = ["ERROR_STYLE", "FormLayout", "RecordForm", "now_local"]


class RecordForm(QDialog):
    """A dialog that edits one entry, saved as a draft until the practitioner finalises it."""

    saved = Signal(object)  # the EntryView, after every successful save or finalise
    kind = ""

    def __init__(self, session: VaultSession, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entry_id: str | None = None
        self.status = EntryStatus.DRAFT
        self._dirty = False
        self._busy = False
        self._after_save: list[Callable[[EntryView], object]] = []
        # An implausible measurement is asked about; Yes saves again with this set, once.
        self._confirmed_implausible = False
        self._retry: Callable[[], object] = lambda: None
        # Replaced in tests: the one question asked before anything becomes final.
        self.ask_to_finalise: Callable[[QWidget, FinalSummary], bool] = ask_to_finalise
        self.setWindowTitle(title + (" — DEMO" if session.is_demo else ""))
        self.setAccessibleName(title)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setAccessibleName("Problem")
        self.banner.hide()
        self.subject = QLabel()
        self.subject.setStyleSheet("font-weight: bold;")
        self.subject.setAccessibleName("About")
        self.subject.hide()
        self.state = QLabel("New draft, not saved yet")
        self.state.setAccessibleName("Save state")

        self.form = FormLayout()
        body = QWidget()
        body.setLayout(self.form)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        # Never a tab stop of its own: Tab goes from field to field, each scrolled into view.
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setWidget(body)

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save draft")
        self.save_button.setToolTip("Save as a draft you can still change (Ctrl+S)")
        self.finalise_button = QPushButton("&Finalise")
        self.finalise_button.setToolTip(
            "Make the entry final: it can then only be amended, never changed (Ctrl+Enter)"
        )
        self.close_button = QPushButton("Close")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        # No button here is an accept button or a default: a button box makes its first accept
        # button the default, and a default button is what a stray Enter presses.
        self.buttons.addButton(self.finalise_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(lambda: self.save_draft())
        self.finalise_button.clicked.connect(self.finalise)
        self.close_button.clicked.connect(self.reject)
        for button in (self.save_button, self.finalise_button, self.close_button):
            button.setAutoDefault(False)
            button.setDefault(False)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, lambda: self.save_draft())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.finalise)

        layout = QVBoxLayout(self)
        if session.is_demo:
            demo = QLabel("DEMO vault: invented records for practice only")
            demo.setStyleSheet(DEMO_STYLE)
            layout.addWidget(demo)
        layout.addWidget(self.subject)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.buttons)
        self.resize(640, 720)

    # -- to be provided by each form ----------------------------------------------------------

    def details(self) -> Any:
        """The details dataclass from the fields; raises InvalidInput naming the field."""
        raise NotImplementedError

    def load(self, view: EntryView) -> None:
        """Fill the fields from a saved entry."""
        raise NotImplementedError

    def described(self) -> str:
        """This entry in one line, as the Finalise question lists it."""
        return self.windowTitle().removesuffix(" — DEMO")

    def key_answers(self) -> list[tuple[str, str | None]]:
        """(label, value shown or None when empty) of the answers a reader looks for first."""
        return []

    def final_summary(self) -> FinalSummary:
        """What Finalise will make final: this entry, then whatever finalises with it."""
        return FinalSummary(
            entries=(self.described(), *self.finalised_with_it()),
            answers=tuple(self.key_answers()),
        )

    def finalised_with_it(self) -> list[str]:
        return []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter ends a line and moves on; only Finalise or Ctrl+Enter makes a record final.
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    # -- shared behaviour -----------------------------------------------------------------------

    def set_subject(self, text: str) -> None:
        """Say whose record this is inside the form (never in the title bar, which leaks)."""
        self.subject.setText(text)
        self.subject.setVisible(bool(text))

    def watch(self, *widgets: QWidget) -> None:
        """Mark the form changed whenever one of these widgets is edited."""
        for widget in widgets:
            for signal in ("textChanged", "currentIndexChanged", "toggled"):
                if hasattr(widget, signal):
                    getattr(widget, signal).connect(self.mark_changed)
                    break

    def mark_changed(self, *_: object) -> None:
        self._dirty = True
        self.state.setText("Changed, not saved yet")

    @property
    def dirty(self) -> bool:
        return self._dirty

    def open_entry(self, view: EntryView) -> None:
        self.entry_id = view.id
        self.status = view.status
        self.load(view)
        self._dirty = False
        self._show_saved(view)

    def show_problem(self, problem: Problem) -> None:
        self.form.clear_messages()
        field = problem.field if isinstance(problem, InvalidInput) else None
        if field is None or not self.form.show_message(field, problem.message):
            self.banner.setText(problem.message)
            self.banner.show()
        else:
            self.banner.hide()
            focused = self.focusWidget()
            if focused is not None:
                self.scroller.ensureWidgetVisible(focused)

    def _collect(self) -> Any | None:
        self.form.clear_messages()
        self.banner.hide()
        try:
            return self.details()
        except InvalidInput as problem:
            self.show_problem(problem)
            return None

    def save_draft(self, then: Callable[[EntryView], None] | None = None) -> bool:
        """Save as a draft; False if the fields could not be read (the message is shown)."""
        if self._busy:
            # A save is on its way; act on the fields once it has landed.
            self._after_save.append(lambda _: self.save_draft(then))
            return True
        details = self._collect()
        if details is None:
            return False
        self._busy = True
        self.state.setText("Saving…")
        self._retry = lambda: self.save_draft(then)
        confirmed, self._confirmed_implausible = self._confirmed_implausible, False

        def done(view: EntryView) -> None:
            self._busy = False
            self.entry_id = view.id
            self.status = view.status
            self._dirty = False
            self._show_saved(view)
            self.saved.emit(view)
            if then is not None:
                then(view)
            waiting, self._after_save = self._after_save, []
            for action in waiting:
                action(view)

        child_id = self.child_key()
        # A measurement the practitioner said is right after being asked is saved as typed.
        create = partial(records.create_entry, confirm_implausible=confirmed)
        edit = partial(records.edit_draft, confirm_implausible=confirmed)
        saving: Operation[EntryView] = (
            Operation(self, self.session, create, details)
            if self.entry_id is None
            else Operation(self, self.session, edit, self.entry_id, details)
        )
        (
            saving.changes(lambda view: Changes.of(view.kind, view.id, child_id=child_id))
            .success(done)
            .failure(self._failed)
            .run_in_background()
        )
        return True

    def finalise(self) -> bool:
        """Ask once, showing what becomes final and what is still empty; then save and make final
        everything this form recorded. False when nothing was started (busy, fields unreadable,
        already final, or the practitioner kept it as a draft)."""
        if self._busy or self.status == EntryStatus.FINAL:
            return False
        if self._collect() is None:
            return False  # the message says which field; nothing is asked about a broken form
        if not self.ask_to_finalise(self, self.final_summary()):
            self.state.setText("Kept as a draft")
            return False

        def make_final(view: EntryView) -> None:
            self._busy = True
            self.state.setText("Finalising…")
            entries = self.entries_to_finalise(view.id)
            # Every entry made final is announced, so each screen showing one of them refreshes.
            (
                Operation(self, self.session, records.finalise_together, entries)
                .changes(Changes.entries(entries, child_id=self.child_key()))
                .success(self._finalised)
                .failure(self._failed)
                .run_in_background()
            )

        self.save_draft(then=make_final)
        return True

    def entries_to_finalise(self, entry_id: str) -> list[tuple[str, str]]:
        return [(self.kind, entry_id)]

    def _finalised(self, _: object) -> None:
        self.status = EntryStatus.FINAL
        self._dirty = False
        assert self.entry_id is not None

        def announce(view: EntryView) -> None:
            # Whoever listens (the visit form's list of what was recorded) sees it final now.
            self._busy = False
            self.saved.emit(view)
            self.accept()

        (
            Operation(self, self.session, records.get_entry, self.kind, self.entry_id)
            .success(announce)
            .failure(self._failed)
            .run_in_background()
        )

    def ask(self, question: str) -> bool:
        """Yes or no from the practitioner (tests answer through this)."""
        answer = QMessageBox.question(
            self,
            "Check the measurement",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _failed(self, problem: Problem) -> None:
        self._busy = False
        if isinstance(problem, ImplausibleMeasurement):
            retry = self._retry
            if self.ask(problem.message):
                self._confirmed_implausible = True
                retry()
                return
            problem = InvalidInput(
                f"{problem.finding} Not saved: correct it, or save again and answer Yes.",
                problem.field,
            )
        self._after_save = []
        self.state.setText("Not saved: see the message above")
        self.show_problem(problem)

    def _show_saved(self, view: EntryView) -> None:
        stamp = uk_local(view.recorded_at if view.status == EntryStatus.FINAL else now_utc())
        self.state.setText(
            f"Draft saved at {stamp:%H:%M}" if view.status == EntryStatus.DRAFT else "Final"
        )

    def child_key(self) -> str:
        return ""

    def reject(self) -> None:
        # Closing never throws typing away: a changed form is kept as a draft first.
        if self._dirty and not self._busy:
            if self.save_draft(then=lambda _: QDialog.reject(self)):
                return
            return  # fields could not be read; the message says which, the form stays open
        super().reject()

    def save_for_lock(self) -> bool:
        """Called when the vault is about to lock. True when the form may close (saved or
        unchanged); False when the fields cannot be saved and the form must be kept hidden."""
        if not self._dirty:
            return True
        return self.save_draft()


def now_local() -> datetime:
    return uk_local(now_utc())
