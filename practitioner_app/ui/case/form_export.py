"""Exporting a structured form (a MARF, an early help assessment) as a PDF. The dialog asks whether
it is going to someone; only then does the service record a share in the child's sharing log, as
the practitioner gave it, naming which version went. A draft prints as DRAFT on every page.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.forms import FormDefinition
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services.forms import FormSummary, FormView
from practitioner_app.ui.bidi import isolated
from practitioner_app.ui.case.export_dialog import PdfExportDialog, pages_text, pdf_file_name
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.worker import Job

if TYPE_CHECKING:
    from practitioner_app.domain.sharing import Recipient
    from practitioner_app.services.exports import FormExport
    from practitioner_app.services.workspace import Workspace

_ABBREVIATION = re.compile(r"\(([^)]+)\)")


@dataclass(frozen=True)
class FormToExport:
    """What the dialog needs to know of the form before anything is read from the vault."""

    id: str
    child_id: str
    child_name: str
    definition: FormDefinition
    to_agency: str
    final: bool

    @classmethod
    def of_view(cls, view: FormView) -> "FormToExport":
        return cls(
            view.id, view.child.id, view.child.name, view.definition, view.details.to_agency,
            view.final,
        )  # fmt: skip

    @classmethod
    def of_summary(
        cls, summary: FormSummary, definition: FormDefinition, child_id: str, child_name: str
    ) -> "FormToExport":
        return cls(
            summary.id, child_id, child_name, definition, summary.to_agency,
            summary.status == EntryStatus.FINAL,
        )  # fmt: skip


def file_label(definition: FormDefinition) -> str:
    """What a file name calls the form: the abbreviation practitioners use ("MARF") if the form
    has one, else its title."""
    found = _ABBREVIATION.search(definition.short_title)
    return found.group(1) if found else definition.title


def export_form(
    ws: "Workspace",
    form_id: str,
    destination: Path,
    recipient: "Recipient | None",
    password: str | None,
    *,
    job: Job,
) -> "FormExport":
    """On the worker: the export service, told of each page laid out (and so of a cancel)."""
    # ReportLab loads here, on the worker, the first time a PDF is made (see export_dialog).
    from practitioner_app.services import exports

    return exports.form_pdf(
        ws,
        form_id,
        destination,
        recipient=recipient,
        password=password,
        progress=job.progress,
    )


class FormExportDialog(PdfExportDialog["FormExport"]):
    """Who the PDF is for, an optional password, where to save it; then open it."""

    def __init__(
        self, session: VaultSession, form: FormToExport, parent: QWidget | None = None
    ) -> None:
        definition = form.definition
        super().__init__(session, f"Export the {definition.short_title} as a PDF", parent)
        self.target = form
        self.save_title = f"Save the {definition.short_title} as"

        whose = f" for {isolated(form.child_name)}" if form.child_name else ""
        self.subject = QLabel(
            definition.title + whose + ("" if form.final else " — DRAFT (the PDF says so)")
        )
        self.subject.setTextFormat(Qt.TextFormat.PlainText)
        self.subject.setStyleSheet("font-weight: bold;")
        self.subject.setAccessibleName("About")
        self.sharing_note = QLabel(
            f"If this {definition.short_title} is going to someone, say so below: the sharing log "
            "will record who it went to, why, on what lawful basis and with what consent, as you "
            f"give them, and that the {'final' if form.final else 'DRAFT'} version went. A copy "
            "you keep for yourself is not a share."
        )
        self.sharing_note.setWordWrap(True)
        self.sharing_note.setTextFormat(Qt.TextFormat.PlainText)
        self.sharing_note.setAccessibleName("Exporting and sharing")
        self.lay_out(self.subject, self.sharing_note)
        self.resize(600, 620)
        self.recipient.keep.setFocus()

    def file_name(self) -> str:
        return pdf_file_name(
            file_label(self.target.definition), self.target.child_name, uk_date(now_utc())
        )

    def operation(
        self,
        destination: Path,
        choices: object,
        recipient: "Recipient | None",
        password: str | None,
    ) -> Operation["FormExport"]:
        exporting = Operation(
            self, self.session, export_form, self.target.id, destination, recipient, password
        )
        # Going to someone, the export writes a sharing record: the Forms tab and the
        # chronology show it.
        if recipient is not None:
            exporting.changes(Changes.of(RecordKind.SHARING_RECORD, child_id=self.target.child_id))
        return exporting

    def saved_text(self, made: "FormExport") -> str:
        protected = " It needs the password to open." if made.protected else ""
        return f"Saved {made.path} ({pages_text(made.pages)}).{protected}" + self.shared_text()
