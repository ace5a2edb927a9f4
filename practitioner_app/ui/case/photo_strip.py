"""A record's photographs in the entry view: thumbnails made in memory on the worker (the GUI never
waits on the vault), each with when it was taken, who attached it and its SHA-256; and, on a draft
in a vault whose organisation allows photographs, Attach photograph…"""

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import Problem
from practitioner_app.domain.photographs import MAX_MEGABYTES, PhotographRecord
from practitioner_app.domain.times import format_uk_datetime
from practitioner_app.services import photographs
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.base import ERROR_STYLE
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession

# Thumbnails in the entry view are at most this many pixels either way.
SIDE = 160


def caption(photo: PhotographRecord) -> str:
    """The lines under a thumbnail (plain text)."""
    taken = format_uk_datetime(photo.captured_at) if photo.captured_at else "not known"
    lines = [
        f"Taken: {taken}",
        f"Attached {format_uk_datetime(photo.attached_at)}",
        f"by {photo.attached_by}",
        f"SHA-256 {photo.sha256[:16]}…",
    ]
    if photo.location_removed:
        lines.append("Location removed")
    if not photo.final:
        lines.append("Draft")
    return "\n".join(lines)


class PhotoStrip(QWidget):
    """The photographs of one record (`owner_kind`, `owner_id`), loaded when made and on reload."""

    # Whether the strip has anything to show (photographs allowed, or some kept): a tab that
    # holds it shows or hides with it.
    shown_or_hidden = Signal(bool)

    def __init__(
        self,
        session: VaultSession,
        owner_kind: str,
        owner_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.owner_kind = owner_kind
        self.owner_id = owner_id
        self.draft = False
        self.allowed = False
        self.shown: list[PhotographRecord] = []
        # What the last attachment removed from its file, said until the viewer closes.
        self.notice = ""
        # Asked for the file to attach; replaced in tests (as vault_menu.py does).
        self.ask_file: Callable[[], Path | None] = self._ask_file

        self.heading = QLabel("<b>Photographs</b>")
        self.message = QLabel("Loading photographs…")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Photographs status")
        self.attach_button = QPushButton("Attach p&hotograph…")
        self.attach_button.setAccessibleName("Attach photograph")
        self.attach_button.setToolTip(
            f"A JPEG or PNG of at most {MAX_MEGABYTES} MB; location and camera details are "
            "removed, and it is kept only inside the encrypted vault"
        )
        self.attach_button.setAutoDefault(False)
        self.attach_button.setEnabled(False)
        self.attach_button.clicked.connect(self.attach)

        self.thumbnails = QWidget()
        self.row = QHBoxLayout(self.thumbnails)
        self.row.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidget(self.thumbnails)
        scroll.setWidgetResizable(True)
        # Never a tab stop of its own: Tab goes from field to field, each scrolled into view.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setMinimumHeight(SIDE + 130)
        scroll.setAccessibleName("Photographs")
        self.pictures = scroll

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.attach_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(scroll)
        self.hide()
        self.reload()

    def set_draft(self, draft: bool) -> None:
        self.draft = draft
        self._buttons()

    def _buttons(self) -> None:
        self.attach_button.setVisible(self.allowed and self.draft)
        self.attach_button.setEnabled(self.allowed and self.draft)

    def reload(self) -> None:
        (
            Operation(
                self,
                self.session,
                photographs.entry_photographs,
                self.owner_kind,
                self.owner_id,
                SIDE,
                purpose="photographs",
            )
            .success(self._loaded)
            .failure(self._failed)
            .run_in_background()
        )

    def _loaded(self, found: photographs.EntryPhotographs) -> None:
        self.allowed = found.allowed
        while self.row.count():
            item = self.row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.shown = [photo for photo, _ in found.photographs]
        for photo, png in found.photographs:
            self.row.addWidget(self._tile(photo, png))
        # Photographs off and none kept: nothing to show at all.
        wanted = found.allowed or bool(found.photographs)
        if not isinstance(self.parentWidget(), QStackedWidget):
            self.setVisible(wanted)  # a tab's page is shown by its tab, never by itself
        self.shown_or_hidden.emit(wanted)
        self.pictures.setVisible(bool(found.photographs))
        self.message.setStyleSheet("")
        self.message.setText(self.notice or ("" if found.photographs else "No photographs."))
        self.message.setVisible(bool(self.message.text()))
        self._buttons()

    def _tile(self, photo: PhotographRecord, png: bytes) -> QWidget:
        tile = QWidget()
        tile.setAccessibleName(f"Photograph {photo.id}")
        picture = QLabel()
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        picture.setPixmap(pixmap)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setAccessibleName("Photograph thumbnail")
        words = QLabel("<br>".join(escape(line) for line in caption(photo).splitlines()))
        words.setTextFormat(Qt.TextFormat.RichText)
        words.setStyleSheet("font-size: small")
        words.setWordWrap(True)
        tile.setFixedWidth(SIDE + 60)
        column = QVBoxLayout(tile)
        column.setAlignment(Qt.AlignmentFlag.AlignTop)
        column.addWidget(picture)
        column.addWidget(words)
        return tile

    def _failed(self, problem: Problem) -> None:
        self.show()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(problem.message)
        self.message.show()

    def _ask_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach a photograph", str(Path.home()), "Photographs (*.jpg *.jpeg *.png)"
        )
        return Path(name) if name else None

    def attach(self) -> None:
        if not self.attach_button.isEnabled():
            return
        path = self.ask_file()
        if path is None:
            return
        self.message.setStyleSheet("")
        self.message.setText("Attaching…")
        self.message.show()
        (
            Operation(
                self,
                self.session,
                photographs.attach_file,
                self.owner_kind,
                self.owner_id,
                path,
                purpose="attach",
            )
            .changes(Changes.of(self.owner_kind, self.owner_id) + Changes.of("photograph"))
            .success(self._attached)
            .failure(self._failed)
            .run_in_background()
        )

    def _attached(self, attached: photographs.Attached) -> None:
        self.notice = attached.removed or "Photograph attached."
        self.reload()
