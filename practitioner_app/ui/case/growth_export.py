"""Exporting a child's growth charts as a PDF: the same question as every other PDF (issue 17:
is it going to someone? only then is a share logged), an optional password, and a save question
that starts in Documents."""

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.ui.bidi import isolated
from practitioner_app.ui.case.export_dialog import PdfExportDialog, pages_text, pdf_file_name
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.worker import Job

if TYPE_CHECKING:
    from practitioner_app.domain.sharing import Recipient
    from practitioner_app.services.growth import GrowthExport
    from practitioner_app.services.workspace import Workspace


def export_growth(
    ws: "Workspace",
    child_id: str,
    destination: Path,
    recipient: "Recipient | None",
    password: str | None,
    *,
    job: Job,
) -> "GrowthExport":
    """On the worker: the growth export service (a few pages: no progress to report)."""
    from practitioner_app.services import growth

    return growth.export_pdf(ws, child_id, destination, recipient=recipient, password=password)


class GrowthExportDialog(PdfExportDialog["GrowthExport"]):
    """Who the growth charts are for, an optional password, where to save them; then open them."""

    def __init__(
        self, session: VaultSession, child_id: str, child_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, "Export the growth charts as a PDF", parent)
        self.child_id = child_id
        self.child_name = child_name
        self.save_title = "Save the growth charts as"
        subject = QLabel(
            f"Growth charts for {isolated(child_name)}" if child_name else "Growth charts"
        )
        subject.setTextFormat(Qt.TextFormat.PlainText)
        subject.setStyleSheet("font-weight: bold;")
        subject.setAccessibleName("About")
        note = QLabel(
            "If the charts are going to someone (a GP, a paediatrician, a conference), say so "
            "below: the sharing log will record who they went to, why, on what lawful basis and "
            "with what consent, as you give them. A copy you keep for yourself is not a share."
        )
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setAccessibleName("Exporting and sharing")
        self.lay_out(subject, note)
        self.resize(600, 600)
        self.recipient.keep.setFocus()

    def file_name(self) -> str:
        return pdf_file_name("Growth charts", self.child_name, uk_date(now_utc()))

    def operation(
        self,
        destination: Path,
        choices: object,
        recipient: "Recipient | None",
        password: str | None,
    ) -> Operation["GrowthExport"]:
        exporting = Operation(
            self, self.session, export_growth, self.child_id, destination, recipient, password
        )
        if recipient is not None:
            exporting.changes(Changes.of(RecordKind.SHARING_RECORD, child_id=self.child_id))
        return exporting

    def saved_text(self, made: "GrowthExport") -> str:
        unaudited = f" {made.unaudited}" if made.unaudited else ""
        return (
            f"Saved {made.path} ({made.points} measurements, {pages_text(made.pages)}).{unaudited}"
            + self.shared_text()
        )
