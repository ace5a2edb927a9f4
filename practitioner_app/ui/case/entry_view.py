"""Reading one entry as it stands: its provenance, every field, and each amendment beside the
original it corrects (struck through, never replaced). All record text is escaped."""

from html import escape
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.body_map import region_label
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.labels import RECORDED_NOT_KNOWN, field_label, kind_label
from practitioner_app.domain.times import format_uk_date, format_uk_datetime, uk_date
from practitioner_app.services import photographs, records
from practitioner_app.services.views import AmendmentView, EntryView
from practitioner_app.ui.case.amend import AmendDialog, amendable_fields, value_text
from practitioner_app.ui.case.body_map_panel import BodyMapPanel
from practitioner_app.ui.case.photo_strip import PhotoStrip
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.base import ERROR_STYLE
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession

# The kinds of entry that may have photographs (store/photographs.py PHOTOGRAPH_OWNERS).
PHOTOGRAPH_OWNER_KINDS = photographs.OWNER_KINDS

# Shown in the header, or meaningless to a reader (ids of linked records); still shown if amended.
_NOT_LISTED = {
    "occurred_at",
    "time_known",
    "child_id",
    "child_ids",
    "visit_id",
    "visit_ids",
    "observation_ids",
    "concern_ids",
    # A mark's site is shown as its region in words (`_shown_fields`); its coordinates are for
    # drawing, and its occasion is the observation it opens from.
    "observation_id",
    "x",
    "y",
}


def _shown_fields(view: EntryView) -> dict[str, Any]:
    """The fields as a reader wants them: a body mark's region key ("left_forearm") in words,
    with its view ("Left forearm (front)")."""
    fields = dict(view.fields)
    if view.kind == RecordKind.BODY_MARK and fields.get("region"):
        fields["region"] = region_label(fields["figure"], fields["side"], fields["region"])
    return fields


def _text(value: str) -> str:
    """Record text as HTML: escaped, so '<img src=...>' is shown as typed, line breaks kept."""
    return escape(value).replace("\n", "<br>")


def entry_when(view: EntryView) -> str:
    if view.time_known:
        return format_uk_datetime(view.occurred_at)
    return format_uk_date(uk_date(view.occurred_at))


def entry_status(view: EntryView) -> str:
    if view.status == EntryStatus.DRAFT:
        return "Draft (not final; it can still be changed)"
    return "Final, amended" if view.amended else "Final"


def late_label(view: EntryView) -> str | None:
    if not view.late:
        return None
    days = (uk_date(view.recorded_at) - uk_date(view.occurred_at)).days
    return f"LATE ENTRY (recorded {days} day{'' if days == 1 else 's'} after)"


def _row(label: str, value_html: str) -> str:
    return (
        f"<tr><th align='left' valign='top' style='padding-right:12px'>{escape(label)}</th>"
        f"<td valign='top'>{value_html}</td></tr>"
    )


def _amendment_html(amendment: AmendmentView, entry_imported: str | None) -> str:
    new = "(cleared)" if amendment.new_value is None else amendment.new_value
    when = (
        f"on {format_uk_datetime(amendment.recorded_at)}"
        if amendment.recorded_at_known
        else f"({RECORDED_NOT_KNOWN})"
    )
    # An amendment that came in the same bundle as its entry says so once, in the header.
    imported = (
        f"<br>{_text(amendment.imported)}"
        if amendment.imported and amendment.imported != entry_imported
        else ""
    )
    return (
        f"<p><b>Amended to:</b> {_text(new)}<br>"
        f"<b>Reason:</b> {_text(amendment.reason)}<br>"
        f"<i>By {_text(amendment.author)} {when}{imported}</i></p>"
    )


def _field_html(original: Any, amendments: list[AmendmentView], entry_imported: str | None) -> str:
    text = _text(value_text(original))
    if not amendments:
        return text
    # The original is kept in full beside what corrects it: a court reads both.
    parts = [f"<p><b>Original (kept as first recorded):</b> <s>{text}</s></p>"]
    parts += [_amendment_html(amendment, entry_imported) for amendment in amendments]
    return "".join(parts)


def provenance_lines(view: EntryView) -> list[str]:
    """What the header says beyond who and when, for a record that came from elsewhere: that its
    recorded time is not known, and who imported it, when and from whom."""
    lines = [] if view.recorded_at_known else [RECORDED_NOT_KNOWN]
    if view.imported:
        lines.append(view.imported)
    return lines


def entry_html(view: EntryView) -> str:
    """The whole entry as HTML for a QTextBrowser."""
    header = [
        ("Kind", escape(kind_label(view.kind))),
        ("Date", escape(entry_when(view))),
        ("Status", escape(entry_status(view))),
        ("Recorded by", _text(view.author)),
    ]
    # An unknown recorded time is said in the provenance row, never shown as a time.
    if view.recorded_at_known:
        header.append(("Recorded at", escape(format_uk_datetime(view.recorded_at))))
    provenance = provenance_lines(view)
    if provenance:
        header.append(("Provenance", "<br>".join(_text(line) for line in provenance)))
    header.append(
        (
            "Finalised at",
            escape(format_uk_datetime(view.finalised_at) if view.finalised_at else "Not yet"),
        )
    )
    parts = [f"<h2>{escape(kind_label(view.kind))}</h2>"]
    late = late_label(view)
    if late:
        parts.append(f"<p><b>{escape(late)}</b></p>")
    parts.append("<table cellpadding='2'>" + "".join(_row(k, v) for k, v in header) + "</table>")

    by_field: dict[str, list[AmendmentView]] = {}
    for amendment in view.amendments:
        by_field.setdefault(amendment.field, []).append(amendment)
    rows = [
        _row(
            field_label(view.kind, name), _field_html(value, by_field.get(name, []), view.imported)
        )
        for name, value in _shown_fields(view).items()
        if name not in _NOT_LISTED or name in by_field
    ]
    # An amendment to a field this version of the app does not list is still shown.
    rows += [
        _row(field_label(view.kind, name), _field_html(None, amendments, view.imported))
        for name, amendments in by_field.items()
        if name not in view.fields
    ]
    parts.append("<h3>Details</h3><table cellpadding='2'>" + "".join(rows) + "</table>")
    return "".join(parts)


class _Browser(QTextBrowser):
    """Never loads anything: an entry is text, and nothing in it may make the viewer read a file."""

    def loadResource(self, type: int, name: QUrl | str, /) -> Any:
        return None


class EntryViewer(QDialog):
    """One entry, read-only, with Amend… for a final entry and Edit draft for a draft."""

    edit_requested = Signal(str, str)  # kind, id

    def __init__(
        self, session: VaultSession, kind: str, entry_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.entry_id = entry_id
        self.view: EntryView | None = None
        self.html = ""
        # Results of loads asked for before the viewer closed (or before a reload) are dropped.
        title = f"{kind_label(kind)} (read only)"
        self.setWindowTitle(title + (" — DEMO" if session.is_demo else ""))
        self.setAccessibleName(title)

        self.browser = _Browser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setAccessibleName("Entry")
        self.state = QLabel("Loading…")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setAccessibleName("Entry status")

        self.amend_button = QPushButton("&Amend…")
        self.amend_button.setToolTip("Correct one detail; the original is kept (Ctrl+M)")
        self.amend_button.setAccessibleName("Amend")
        self.edit_button = QPushButton("&Edit draft")
        self.edit_button.setAccessibleName("Edit draft")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        for button in (self.amend_button, self.edit_button):
            button.setEnabled(False)
            button.setAutoDefault(False)
        buttons = QDialogButtonBox()
        buttons.addButton(self.amend_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.amend_button.clicked.connect(self.amend)
        self.edit_button.clicked.connect(self.edit)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+M"), self, self.amend)

        # Photographs, for the kinds of record that may have them (loaded on the worker).
        self.photos: PhotoStrip | None = None
        if kind in PHOTOGRAPH_OWNER_KINDS:
            self.photos = PhotoStrip(session, kind, entry_id, self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        # An observation shows its body map beneath it (issue 20): marks are added there too.
        self.body_map: BodyMapPanel | None = None
        if kind == RecordKind.OBSERVATION:
            self.body_map = BodyMapPanel(session, entry_id, self)
        # The map and the photographs share the space under the entry as two tabs, in a
        # splitter that opens with room for the entry's own words (the practitioner can drag it).
        self.extras: QTabWidget | None = None
        below: QWidget | None = None
        if self.body_map is not None and self.photos is not None:
            self.extras = QTabWidget()
            self.extras.addTab(self.body_map, "Body &map")
            self.extras.addTab(self.photos, "Phot&ographs")
            self.extras.setTabVisible(1, False)
            self.photos.shown_or_hidden.connect(self._photographs_tab)
            below = self.extras
        else:
            below = self.body_map or self.photos
        if below is None:
            layout.addWidget(self.browser, 1)
        else:
            split = QSplitter(Qt.Orientation.Vertical)
            split.setChildrenCollapsible(False)
            split.addWidget(self.browser)
            split.addWidget(below)
            split.setSizes([340, 400])
            layout.addWidget(split, 1)
        layout.addWidget(buttons)
        # With a body map it is wider and taller, but still fits a 1280x800 screen.
        self.resize(640, 680) if self.body_map is None else self.resize(900, 740)

        session.changed.connect(self._changed)
        session.locked.connect(self._locked)
        self.reload()

    def reload(self) -> None:
        (
            Operation(
                self, self.session, records.get_entry, self.kind, self.entry_id, purpose="entry"
            )
            .success(self.show_entry)
            .failure(self._failed)
            .run_in_background()
        )

    def show_entry(self, view: EntryView) -> None:
        self.view = view
        self.html = entry_html(view)
        self.browser.setHtml(self.html)
        self.state.setStyleSheet("")
        self.state.setText("")
        self.state.hide()
        final = view.status == EntryStatus.FINAL
        self.amend_button.setEnabled(final and bool(amendable_fields(view.kind)))
        self.edit_button.setEnabled(view.status == EntryStatus.DRAFT)
        if self.photos is not None:
            self.photos.set_draft(view.status == EntryStatus.DRAFT)

    def _failed(self, problem: Problem) -> None:
        self.state.setStyleSheet(ERROR_STYLE)
        self.state.setText(problem.message)
        self.state.show()

    def _changed(self, changes: Changes) -> None:
        # An amendment (from here or elsewhere) or a finalise changes what this entry shows.
        if changes.touches(self.kind, self.entry_id) and self.isVisible():
            self.reload()
            if self.photos is not None:
                self.photos.reload()

    def _locked(self) -> None:
        self.session.pending.drop(self)
        if self.photos is not None:
            self.session.pending.drop(self.photos)
        self.view = None
        self.html = ""
        self.browser.clear()
        self.reject()

    def done(self, arg__1: int, /) -> None:
        self.session.pending.drop(self)  # a load on its way must not write into a closed viewer
        if self.photos is not None:
            self.session.pending.drop(self.photos)
        super().done(arg__1)

    def _photographs_tab(self, wanted: bool) -> None:
        if self.extras is not None:
            self.extras.setTabVisible(1, wanted)

    def amend(self) -> AmendDialog | None:
        if self.view is None or not self.amend_button.isEnabled():
            return None
        dialog = AmendDialog(self.session, self.view, self)
        # A final photograph is never changed; an amendment of its record says it is wrong.
        for photo in self.photos.shown if self.photos is not None else []:
            if photo.final:
                dialog.field_box.addItem(
                    f"Photograph {photo.id[:8]} (SHA-256 {photo.sha256[:12]}…)",
                    photo.amendment_field,
                )
        dialog.setModal(True)
        # The amendment comes back with the entry as it now reads: shown without asking again.
        dialog.amended.connect(self._amended)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()
        return dialog

    def _amended(self, view: EntryView) -> None:
        self.session.pending.drop(
            self, "entry"
        )  # a reload started by the same change shows the same
        self.show_entry(view)

    def edit(self) -> None:
        if self.view is not None and self.view.status == EntryStatus.DRAFT:
            self.edit_requested.emit(self.kind, self.entry_id)
            self.accept()
