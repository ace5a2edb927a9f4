"""Exporting a PDF from the case: what every export shares (where to save it, an optional password,
the PDF made on the worker with a progress bar and a Cancel button, written whole or not at all,
then opened), and the chronology's own export dialog built on it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.ui.bidi import isolated
from practitioner_app.ui.case.recipient import RecipientFields
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.layout import FormLayout
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.style import ERROR_STYLE
from practitioner_app.ui.widgets import DateEdit
from practitioner_app.ui.worker import Cancelled, Job

if TYPE_CHECKING:
    from practitioner_app.domain.sharing import Recipient
    from practitioner_app.services.exports import ChronologyExport
    from practitioner_app.services.workspace import Workspace

# Characters no file system on a practitioner's laptop accepts in a file name.
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
STOPPED = "Stopped; nothing was written."
WHAT_IS_EXPORTED = (
    "The PDF holds the entries these four settings choose: From, To, Significant only and "
    "Include drafts. The Significance and Source filters on the screen do not apply to it."
)

MadeT = TypeVar("MadeT")


def pdf_file_name(what: str, child_name: str, today: date) -> str:
    """'Chronology Maya Okafor 06-10-2026.pdf': what it is, whose, and when it was made."""
    parts = [" ".join(_NOT_IN_FILE_NAMES.sub("-", part).split()) for part in (what, child_name)]
    return " ".join([*(part for part in parts if part), f"{today:%d-%m-%Y}.pdf"])


def default_file_name(child_name: str, today: date) -> str:
    return pdf_file_name("Chronology", child_name, today)


def pages_text(pages: int) -> str:
    return f"{pages} page{'' if pages == 1 else 's'}"


class PdfExportDialog(QDialog, Generic[MadeT]):
    """The parts every PDF export shares. A subclass adds its own rows to `form`, then calls
    `lay_out`, and says what to run (`operation`) and how to describe what was made
    (`saved_text`)."""

    save_title = "Save the PDF as"

    def __init__(self, session: VaultSession, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.saved: MadeT | None = None
        self.destination: Path | None = None
        self._job: Job | None = None
        self._running = False
        # Replaced in tests: the save-file question, and what opens the finished PDF.
        self.choose_path: Callable[[Path], Path | None] = self._ask_for_path
        self.open_file: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self.setWindowTitle(title + (" — DEMO" if session.is_demo else ""))
        self.setAccessibleName(title)

        self.form = FormLayout()
        self.protect = QCheckBox("&Protect with a password")
        self.protect.setAccessibleName("Protect with a password")
        self.protect.setToolTip("Whoever opens the PDF will need the password (AES-256)")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("PDF password")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("PDF password again")

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)  # it can quote a path
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setAccessibleName("Problem")
        self.banner.hide()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the path
        self.status.setAccessibleName("Export status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.export_button = QPushButton("&Export…")
        self.export_button.setToolTip("Choose where to save the PDF, then make it")
        self.export_button.setDefault(True)
        self.open_button = QPushButton("&Open the PDF")
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setToolTip("Stop making the PDF; nothing is written")
        self.close_button = QPushButton("Close")
        self.buttons = QDialogButtonBox()
        for button, role in (
            (self.export_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (self.open_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.close_button, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            self.buttons.addButton(button, role)
        # Hidden once in the box (adding a button shows it): they belong to a running or done export.
        self.open_button.hide()
        self.cancel_button.hide()
        self.export_button.clicked.connect(self.export)
        self.open_button.clicked.connect(self.open_pdf)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.protect.toggled.connect(self._protect_toggled)
        self._protect_toggled(False)

    def lay_out(self, *above: QWidget) -> None:
        """The dialog's layout: `above` the choices, then whether it is going to someone, then
        the password, then the outcome."""
        self.recipient = RecipientFields(self.form, self)
        self.form.addRow("", self.protect)
        self.form.add("Pass&word:", self.password, "password")
        self.form.add("Password &again:", self.repeat, "repeat")
        layout = QVBoxLayout(self)
        for widget in above:
            layout.addWidget(widget)
        layout.addLayout(self.form)
        layout.addWidget(self.banner)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch()
        layout.addWidget(self.buttons)

    # -- what each export provides ------------------------------------------------------------

    def choices(self) -> object:
        """The export's own choices, read from its fields; raises InvalidInput naming the field."""
        return None

    def file_name(self) -> str:
        raise NotImplementedError

    def operation(
        self,
        destination: Path,
        choices: Any,
        recipient: "Recipient | None",
        password: str | None,
    ) -> Operation[MadeT]:
        """The export to run (a long job, given `job=`), with what it changes if anything:
        going to a recipient, it logs a share."""
        raise NotImplementedError

    def saved_text(self, made: MadeT) -> str:
        raise NotImplementedError

    def choice_widgets(self) -> list[QWidget]:
        """The export's own fields, disabled while the PDF is being made."""
        return []

    # -- reading the choices ------------------------------------------------------------------

    def chosen_password(self) -> str | None:
        if not self.protect.isChecked():
            return None
        from practitioner_app.domain.passphrase import assess  # zxcvbn's lists load slowly

        password = self.password.text()
        if not password:
            raise InvalidInput("Type the password the PDF will need, twice.", "password")
        verdict = assess(password)
        if not verdict.accepted:
            reason = verdict.reason[:1].lower() + verdict.reason[1:]
            raise InvalidInput(f"The PDF password is not strong enough: {reason}", "password")
        if self.repeat.text() != password:
            raise InvalidInput("The two passwords differ; type the same password twice.", "repeat")
        return password

    def suggested_path(self) -> Path:
        if self.destination is not None:
            return self.destination
        from practitioner_app.ui.vault_menu import documents_dir

        return documents_dir() / self.file_name()

    def _ask_for_path(self, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.save_title, str(suggested), "PDF files (*.pdf)"
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    # -- exporting ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def export(self) -> bool:
        """Check the choices, ask where to save, and start; False if it did not start."""
        if self.running:
            return False
        self._clear_problems()
        try:
            choices = self.choices()
            recipient = self.recipient.recipient()
            password = self.chosen_password()
        except InvalidInput as problem:
            self.show_problem(problem)
            return False
        destination = self.choose_path(self.suggested_path())
        if destination is None:
            return False
        self.destination = destination
        self.saved = None
        self._set_running(True)
        self.status.setText(f"Making the PDF for {destination}…")
        # An export the dialog has since given up on (closed) has its results dropped.
        self._job = (
            self.operation(destination, choices, recipient, password)
            .success(self._exported)
            .failure(self._failed)
            .with_progress(self._progressed)
            .run_in_background()
        )
        return True

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Stopping…")

    def _progressed(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(what)

    def _exported(self, made: MadeT) -> None:
        self._set_running(False)
        self.saved = made
        # The password has done its work; it is not kept on screen or in memory we hold.
        self.password.clear()
        self.repeat.clear()
        self.progress.setValue(self.progress.maximum())
        self.status.setText(self.saved_text(made))
        self.open_button.show()
        self.open_button.setFocus()
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Grow (never shrink) to the height the content now asks for: the progress bar and the
        saved sentence are added below the choices, which must keep their height."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        wanted = self.sizeHint().height()
        if self.height() < wanted:
            self.resize(self.width(), wanted)

    def _failed(self, problem: Problem) -> None:
        self._set_running(False)
        self.progress.hide()
        if isinstance(problem, Cancelled):
            self.status.setText(STOPPED)
            return
        self.status.clear()
        self.show_problem(problem)

    def open_pdf(self) -> None:
        path = getattr(self.saved, "path", None)
        if isinstance(path, Path):
            self.open_file(QUrl.fromLocalFile(str(path)))

    # -- showing state ------------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self._running = running
        if not running:
            self._job = None
        for widget in (*self.choice_widgets(), self.protect, self.export_button):
            widget.setEnabled(not running)
        self.recipient.set_enabled(not running)
        self._protect_toggled(self.protect.isChecked())
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.open_button.hide()
        if running:
            self.progress.setRange(0, 0)  # busy until the first page is reported
            self.progress.show()
            self.cancel_button.setFocus()
            self._grow_to_fit()

    def _protect_toggled(self, on: bool) -> None:
        for edit in (self.password, self.repeat):
            edit.setEnabled(on and not self.running)

    def _clear_problems(self) -> None:
        self.form.clear_messages()
        self.banner.hide()

    def shared_text(self) -> str:
        """What the saved message adds: the share logged, or that none was."""
        if self.recipient.send.isChecked():
            whom = self.recipient.with_whom.text().strip()
            return f" The share with {whom} is recorded in the sharing log."
        return " Kept for yourself: no share was logged."

    def show_problem(self, problem: Problem) -> None:
        """Beside the field it names when there is one, otherwise above the buttons."""
        self._clear_problems()
        field = problem.field if isinstance(problem, InvalidInput) else None
        if field is None or not self.form.show_message(field, problem.message):
            self.banner.setText(problem.message)
            self.banner.show()

    def done(self, arg__1: int, /) -> None:
        # Closing (or the vault locking) stops an export on its way and forgets the password.
        if self._job is not None:
            self._job.cancel()
        self._set_running(False)
        self.session.pending.drop(self)
        self.password.clear()
        self.repeat.clear()
        super().done(arg__1)


# -- the chronology -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSettings:
    """What goes in the exported chronology: the same choices as the command line's."""

    date_from: date | None = None
    date_to: date | None = None
    significant_only: bool = False
    include_drafts: bool = False
    # The photographs of the entries listed, as an appendix; off unless asked each time.
    include_photographs: bool = False


def export_chronology(
    ws: "Workspace",
    child_id: str,
    destination: Path,
    settings: ExportSettings,
    recipient: "Recipient | None",
    password: str | None,
    *,
    job: Job,
) -> "ChronologyExport":
    """On the worker: the export service, told of each page laid out (and so of a cancel)."""
    # ReportLab and pypdf load here, on the worker, the first time a PDF is made: importing them
    # with the window would hold up the GUI thread when the vault opens.
    from practitioner_app.services import exports

    return exports.chronology(
        ws,
        child_id,
        destination,
        date_from=settings.date_from,
        date_to=settings.date_to,
        significant_only=settings.significant_only,
        include_drafts=settings.include_drafts,
        recipient=recipient,
        password=password,
        progress=job.progress,
        include_photographs=settings.include_photographs,
    )


class ExportDialog(PdfExportDialog["ChronologyExport"]):
    """Choose what to export, protect it if wanted, save it, and open it."""

    save_title = "Save the chronology as"

    def __init__(
        self,
        session: VaultSession,
        child_id: str,
        child_name: str,
        settings: ExportSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, "Export the chronology as a PDF", parent)
        self.child_id = child_id
        self.child_name = child_name

        self.subject = QLabel(
            f"Chronology of {isolated(child_name)}" if child_name else "Chronology"
        )
        self.subject.setTextFormat(Qt.TextFormat.PlainText)
        self.subject.setStyleSheet("font-weight: bold;")
        self.subject.setAccessibleName("About")
        explanation = QLabel(WHAT_IS_EXPORTED)
        explanation.setWordWrap(True)
        explanation.setAccessibleName("What is exported")

        self.date_from = DateEdit("date_from", "From date")
        self.date_to = DateEdit("date_to", "To date")
        self.date_from.set_date(settings.date_from)
        self.date_to.set_date(settings.date_to)
        self.significant_only = QCheckBox("Si&gnificant only")
        self.significant_only.setAccessibleName("Significant only")
        self.significant_only.setChecked(settings.significant_only)
        self.include_drafts = QCheckBox("Include &drafts (each marked DRAFT)")
        self.include_drafts.setAccessibleName("Include drafts")
        self.include_drafts.setChecked(settings.include_drafts)
        # Never ticked for the practitioner: a photograph leaves the vault only when meant to.
        self.include_photographs = QCheckBox("&Include photographs of the entries listed")
        self.include_photographs.setAccessibleName("Include photographs")
        self.include_photographs.setToolTip(
            "Adds an appendix with each photograph of the entries in this chronology"
        )
        self.include_photographs.setChecked(False)

        self.form.add("Fro&m:", self.date_from, "date_from")
        self.form.add("&To:", self.date_to, "date_to")
        self.form.addRow("", self.significant_only)
        self.form.addRow("", self.include_drafts)
        self.form.addRow("", self.include_photographs)
        self.lay_out(self.subject, explanation)
        self.resize(520, 440)
        self.date_from.setFocus()

    def settings(self) -> ExportSettings:
        date_from, date_to = self.date_from.value(), self.date_to.value()
        if date_from and date_to and date_to < date_from:
            raise InvalidInput(
                "The 'to' date is before the 'from' date; check the dates.", "date_to"
            )
        return ExportSettings(
            date_from=date_from,
            date_to=date_to,
            significant_only=self.significant_only.isChecked(),
            include_drafts=self.include_drafts.isChecked(),
            include_photographs=self.include_photographs.isChecked(),
        )

    def choices(self) -> ExportSettings:
        return self.settings()

    def file_name(self) -> str:
        return default_file_name(self.child_name, uk_date(now_utc()))

    def choice_widgets(self) -> list[QWidget]:
        return [
            self.date_from,
            self.date_to,
            self.significant_only,
            self.include_drafts,
            self.include_photographs,
        ]

    def operation(
        self,
        destination: Path,
        choices: ExportSettings,
        recipient: "Recipient | None",
        password: str | None,
    ) -> Operation["ChronologyExport"]:
        exporting = Operation(
            self,
            self.session,
            export_chronology,
            self.child_id,
            destination,
            choices,
            recipient,
            password,
        )
        # Going to someone, the export writes a sharing record, which the chronology shows.
        if recipient is not None:
            exporting.changes(Changes.of(RecordKind.SHARING_RECORD, child_id=self.child_id))
        return exporting

    def saved_text(self, made: "ChronologyExport") -> str:
        entries = f"{made.rows} entr{'y' if made.rows == 1 else 'ies'}"
        protected = " It needs the password to open." if made.protected else ""
        # On a full vault disk the PDF is made but its audit line is not: say so, never hide it.
        unaudited = f" {made.unaudited}" if made.unaudited else ""
        return (
            f"Saved {made.path} ({entries}, {pages_text(made.pages)}).{protected}{unaudited}"
            + self.shared_text()
        )
