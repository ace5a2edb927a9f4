"""The case workspace for one child: a header that says who, and tabs for the overview, visits,
observations, concerns, chronology, structured forms and sharing, people and professionals. It opens
the forms and viewers and keeps track of them, so a lock can save their drafts."""

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain import forms as definitions
from practitioner_app.domain.alerts import Alert
from practitioner_app.domain.enums import EntryStatus, ObservationCategory
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.nhs_number import formatted
from practitioner_app.domain.times import format_uk_date
from practitioner_app.services import casework, forms, records
from practitioner_app.services.alert_referral import referral_for_alert
from practitioner_app.services.casework import ChildOverview
from practitioner_app.services.forms import FormSummary, FormView
from practitioner_app.services.views import EntryView
from practitioner_app.ui.alert_dialog import CriticalAlerts
from practitioner_app.ui.bidi import isolated
from practitioner_app.ui.case.chronology_tab import ChronologyTab
from practitioner_app.ui.case.entries_tab import EntriesTab
from practitioner_app.ui.case.entry_view import EntryViewer
from practitioner_app.ui.case.export_dialog import ExportDialog, ExportSettings
from practitioner_app.ui.case.form_export import FormExportDialog, FormToExport
from practitioner_app.ui.case.forms_tab import NEW_FORM_KEYS, FormsTab
from practitioner_app.ui.case.growth_tab import GrowthTab
from practitioner_app.ui.case.overview import OverviewTab
from practitioner_app.ui.case.people_tab import PeopleTab, ProfessionalsTab
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.base import RecordForm
from practitioner_app.ui.forms.body_mark import BodyMarkForm
from practitioner_app.ui.forms.concern import ConcernForm
from practitioner_app.ui.forms.event import ChronologyEventForm
from practitioner_app.ui.forms.observation import ObservationForm
from practitioner_app.ui.forms.people import ChildForm, HouseholdMemberForm, ProfessionalForm
from practitioner_app.ui.forms.sharing import SharingDialog
from practitioner_app.ui.forms.structured import StructuredForm
from practitioner_app.ui.forms.visit import VisitForm
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession

# Where the practitioner writes each kind of entry (tests/test_kinds.py checks every kind has a
# screen). A draft of these kinds opens in its form again; a final one in the read-only viewer.
ENTRY_FORMS: dict[RecordKind, type[RecordForm]] = {
    RecordKind.VISIT: VisitForm,
    RecordKind.OBSERVATION: ObservationForm,
    RecordKind.CONCERN: ConcernForm,
    RecordKind.CHRONOLOGY_EVENT: ChronologyEventForm,
    # A draft mark opened from the chronology or an alert; new marks start on a body map.
    RecordKind.BODY_MARK: BodyMarkForm,
}
# Written from the Forms tab: a referral (MARF, early help) in the structured form editor, where it
# is also read and amended; a sharing decision in its dialog, read in the viewer.
SCREENS: dict[RecordKind, type[QWidget]] = {
    **ENTRY_FORMS,
    RecordKind.REFERRAL: StructuredForm,
    RecordKind.SHARING_RECORD: SharingDialog,
}
# A key for each kind of structured form, as the Forms tab's tooltips name them.
FORM_KEYS = {keys: form for form, keys in NEW_FORM_KEYS.items()}
TABS = (
    "Overview",
    "Visits",
    "Observations",
    "Concerns",
    "Chronology",
    "Forms",
    "People",
    "Professionals",
    "Growth",
)


class CaseWorkspace(QWidget):
    back = Signal()

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id: str | None = None
        self.overview: ChildOverview | None = None
        self.dialogs: list[QDialog] = []

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.title.setAccessibleName("Child")
        self.facts = QLabel()
        self.facts.setAccessibleName("Child's details")
        self.back_button = QPushButton("← Case&load")
        self.back_button.setToolTip("Back to the caseload (Alt+Left)")
        self.back_button.clicked.connect(self.back)
        self.edit_button = QPushButton("&Edit details…")
        self.edit_button.clicked.connect(self.edit_child)
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.overview_tab = OverviewTab(session)
        self.visits = EntriesTab(session, RecordKind.VISIT)
        self.observations = EntriesTab(session, RecordKind.OBSERVATION)
        self.concerns = EntriesTab(session, RecordKind.CONCERN)
        # Drafts are shown (marked DRAFT) so events still being written up are not lost sight of.
        self.chronology = ChronologyTab(session, include_drafts=True)
        self.forms = FormsTab(session)
        self.people = PeopleTab(session)
        self.professionals = ProfessionalsTab(session)
        self.growth = GrowthTab(session)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Case tabs")
        for index, (tab, name) in enumerate(
            zip(
                (
                    self.overview_tab,
                    self.visits,
                    self.observations,
                    self.concerns,
                    self.chronology,
                    self.forms,
                    self.people,
                    self.professionals,
                    self.growth,
                ),
                TABS,
                strict=True,
            )
        ):
            self.tabs.addTab(tab, name)
            self.tabs.setTabToolTip(index, f"Ctrl+{index + 1}")
            QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self, lambda i=index: self.go_to_tab(i))
        for entries in (self.visits, self.observations, self.concerns):
            entries.new_requested.connect(self.new_entry)
            entries.open_requested.connect(self.open_entry)
        self.chronology.open_entry.connect(self.open_entry)
        self.chronology.add_event_requested.connect(
            lambda: self.new_entry(RecordKind.CHRONOLOGY_EVENT)
        )
        self.chronology.export_requested.connect(self.export_chronology)
        self.forms.new_form_requested.connect(self.start_form)
        self.forms.open_form_requested.connect(self.open_form)
        self.forms.export_requested.connect(self._export_summary)
        self.forms.record_share_requested.connect(self.record_share)
        self.forms.open_entry.connect(self.open_entry)
        self.people.add_requested.connect(self.add_person)
        self.professionals.add_requested.connect(self.add_professional)
        self.growth.new_measurement.connect(self.new_measurement)
        self.overview_tab.alerts.open_evidence.connect(self.open_evidence)
        self.critical = CriticalAlerts(session, self)
        self.critical.start_referral.connect(self.start_referral)
        # Alt+Left (back to the caseload) is the Case menu's, shown there.
        # Every action has a key (issue 17): new forms, and a PDF of what the tab shows.
        for keys, key in FORM_KEYS.items():
            QShortcut(QKeySequence(keys), self, lambda key=key: self.start_form(key))
        QShortcut(QKeySequence("Ctrl+P"), self, self.export_pdf)

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.facts)
        header.addLayout(names, 1)
        header.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        session.changed.connect(self._changed)

    # -- showing a child ----------------------------------------------------------------------

    def show_child(self, child_id: str, tab: int | None = None) -> None:
        self.child_id = child_id
        if tab is not None:
            self.tabs.setCurrentIndex(tab)
        self.title.setText("Loading…")
        self.facts.clear()
        self.message.clear()
        self._load_overview()
        self.overview_tab.alerts.show_child(child_id)
        self.critical.watch(child_id)
        for entries in (self.visits, self.observations, self.concerns):
            entries.show_child(child_id)
        self.chronology.show_child(child_id)
        self.forms.show_child(child_id)
        self.growth.show_child(child_id)

    def _load_overview(self) -> None:
        child_id = self.child_id
        if child_id is None or not self.session.is_open:
            return
        (
            Operation(self, self.session, casework.overview, child_id, purpose="overview")
            .success(partial(self._show_overview, child_id))
            .failure(self._failed)
            .run_in_background()
        )

    def _show_overview(self, child_id: str, view: ChildOverview) -> None:
        self.overview = view
        child = view.details
        self.title.setText(f"{isolated(child.given_name)} {isolated(child.family_name)}")
        facts = []
        if child.date_of_birth:
            facts.append(f"Born {format_uk_date(child.date_of_birth)} ({view.age})")
        elif child.expected_date:
            facts.append(f"Unborn, due {format_uk_date(child.expected_date)}")
        if child.nhs_number:
            facts.append(f"NHS {formatted(child.nhs_number)}")
        open_count = len(view.open_concerns)
        if open_count:
            facts.append(f"{open_count} open concern{'s' if open_count > 1 else ''}")
        self.facts.setText("  ·  ".join(facts))
        self.critical.names[child_id] = f"{child.given_name} {child.family_name}" + (
            f", born {format_uk_date(child.date_of_birth)} ({view.age})"
            if child.date_of_birth
            else ""
        )
        self.overview_tab.show_overview(view)
        self.people.show_overview(view)
        self.professionals.show_overview(view)

    def _failed(self, problem: Problem) -> None:
        self.message.setText(problem.message)

    def _changed(self, changes: Changes) -> None:
        # The alerts panel and the other tabs look again by themselves.
        if changes.concerns(self.child_id):
            self._load_overview()

    def clear(self) -> None:
        """Forget everything shown (the vault is locking)."""
        self.session.pending.drop(self)
        self.child_id = None
        self.overview = None
        self.title.clear()
        self.facts.clear()
        self.overview_tab.clear()
        self.critical.clear()
        for tab in (
            self.visits,
            self.observations,
            self.concerns,
            self.chronology,
            self.forms,
            self.growth,
        ):
            tab.clear()
        self.people.clear()
        self.professionals.clear()

    # -- forms and viewers --------------------------------------------------------------------

    def _keep(self, dialog: QDialog) -> None:
        # Opened from above a modal form (the MARF from the critical alert, over an observation
        # recorded at a visit): a window opened now would sit blocked behind that form.
        if QApplication.activeModalWidget() is not None:
            dialog.setModal(True)
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _: self._forget(dialog))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()

    def _form(self, kind: str) -> RecordForm:
        assert self.child_id is not None
        form = ENTRY_FORMS[RecordKind(kind)](self.session, self.child_id, parent=self)
        form.set_subject(f"{self.title.text()} — {self.facts.text()}")
        return form

    def new_entry(self, kind: str) -> RecordForm | None:
        if self.child_id is None:
            return None
        form = self._form(kind)
        self._keep(form)
        return form

    def new_measurement(self) -> None:
        """An observation about growth, from the Growth tab: the category chosen, weight next."""
        form = self.new_entry(RecordKind.OBSERVATION)
        if isinstance(form, ObservationForm):
            form.category.set_value(ObservationCategory.GROWTH)
            # Weighing is the commonest thing recorded: a first line the visitor may keep or
            # rewrite, so a weight alone is two fields and Save.
            form.text.setPlainText("Weighed and measured.")
            form.weight.setFocus()

    def open_entry(self, kind: str, entry_id: str) -> None:
        if SCREENS.get(RecordKind(kind)) is StructuredForm:
            self.open_form(entry_id)
            return
        if kind not in ENTRY_FORMS:
            self._keep(EntryViewer(self.session, kind, entry_id, parent=self))
            return
        (
            Operation(self, self.session, records.get_entry, kind, entry_id)
            .success(self._entry_loaded)
            .failure(self._failed)
            .run_in_background()
        )

    def open_evidence(self, kind: str, record_id: str) -> None:
        """A record behind an alert: people are shown on their tab, everything else opened."""
        if kind == "household":
            self._show_person(self.people, record_id)
        elif kind == "professional":
            self._show_person(self.professionals, record_id)
        else:
            self.open_entry(kind, record_id)

    def _show_person(self, tab: PeopleTab | ProfessionalsTab, person_id: str) -> None:
        self.tabs.setCurrentWidget(tab)
        ids = [row.id for row in tab.model.rows()]
        if person_id in ids:
            tab.table.selectRow(ids.index(person_id))
        tab.table.setFocus()

    def _entry_loaded(self, view: EntryView) -> None:
        if view.status == EntryStatus.DRAFT:
            form = self._form(view.kind)
            form.open_entry(view)
            self._keep(form)
        else:
            viewer = EntryViewer(self.session, view.kind, view.id, parent=self)
            viewer.edit_requested.connect(self.open_entry)
            self._keep(viewer)

    def edit_child(self) -> None:
        if self.overview is not None:
            self._keep(
                ChildForm(self.session, (self.overview.id, self.overview.details), parent=self)
            )

    def add_person(self) -> None:
        if self.child_id is not None:
            self._keep(HouseholdMemberForm(self.session, self.child_id, parent=self))

    def add_professional(self) -> None:
        if self.child_id is not None:
            self._keep(ProfessionalForm(self.session, self.child_id, parent=self))

    def export_chronology(self, settings: ExportSettings) -> ExportDialog | None:
        if self.child_id is None:
            return None
        dialog = ExportDialog(self.session, self.child_id, self.child_name(), settings, parent=self)
        self._keep(dialog)
        return dialog

    # -- structured forms and the sharing log ------------------------------------------------------

    def go_to_tab(self, index: int) -> None:
        """Show the tab, with the keyboard in its list, so arrows and Enter work at once."""
        self.tabs.setCurrentIndex(index)
        tab = self.tabs.widget(index)
        if tab is None:
            return
        lists = [v for v in tab.findChildren(QAbstractItemView) if v.isVisibleTo(tab)]
        target: QWidget | None = lists[0] if lists else tab.nextInFocusChain()
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def export_pdf(self) -> None:
        """Ctrl+P: the selected form's PDF on the Forms tab; the chronology's anywhere else."""
        if self.tabs.currentWidget() is self.forms:
            self.forms.export_selected()
        else:
            self.chronology.request_export()

    def child_name(self) -> str:
        if self.overview is not None and self.overview.id == self.child_id:
            return f"{self.overview.details.given_name} {self.overview.details.family_name}"
        return ""

    def start_form(self, form_key: str) -> None:
        """A new draft, filled in from the record, opened in its editor."""
        if self.child_id is not None:
            child_id = self.child_id
            (
                Operation(self, self.session, forms.start, child_id, form_key)
                .changes(lambda view: Changes.of(RecordKind.REFERRAL, view.id, child_id=child_id))
                .success(self._form_loaded)
                .failure(self._failed)
                .run_in_background()
            )

    def start_referral(self, child_id: str, alert: Alert) -> None:
        """The MARF for the child an alert was about, even if another child was opened since:
        the child's draft referral if there is one, else a new one carrying the alert's
        evidence (services/alert_referral.py)."""
        if child_id != self.child_id:
            self.show_child(child_id)
        editor = self._open_draft_referral(child_id)
        if editor is None:
            self._carry_alert(child_id, alert, None)
            return
        # The draft is open in a window: its words are saved first, so the alert's evidence is
        # added to them in the vault and the window then shows both; nothing typed is lost, and
        # a later save of the window cannot put back the draft without the injury.
        editor.raise_()
        editor.activateWindow()
        if not editor.dirty:
            self._carry_alert(child_id, alert, editor)
        elif not editor.save_draft(then=lambda _: self._carry_alert(child_id, alert, editor)):
            self.message.setText(
                "The open referral has an answer that cannot be saved yet (it says which); "
                "correct it, then choose Start a referral again to add the alert to it."
            )

    def _open_draft_referral(self, child_id: str) -> StructuredForm | None:
        return next(
            (
                d
                for d in self.dialogs
                if isinstance(d, StructuredForm)
                and d.isVisible()
                and d.child_id == child_id
                and d.definition.key == definitions.MARF.key
                and not d.final
            ),
            None,
        )

    def _carry_alert(self, child_id: str, alert: Alert, editor: StructuredForm | None) -> None:
        if editor is not None:
            editor.setEnabled(False)  # nothing typed there while the alert is added to it

        def done(view: FormView) -> None:
            if editor is not None:
                editor.setEnabled(True)
            self._form_loaded(view)

        def failed(problem: Problem) -> None:
            if editor is not None:
                editor.setEnabled(True)
            self._failed(problem)

        (
            Operation(self, self.session, referral_for_alert, child_id, alert)
            .changes(lambda view: Changes.of(RecordKind.REFERRAL, view.id, child_id=child_id))
            .success(done)
            .failure(failed)
            .run_in_background()
        )

    def open_form(self, form_id: str) -> None:
        for dialog in self.dialogs:
            if isinstance(dialog, StructuredForm) and dialog.view.id == form_id:
                dialog.raise_()  # one editor per form, so two never save over each other
                dialog.activateWindow()
                return
        (
            Operation(self, self.session, forms.get, form_id)
            .success(self._form_loaded)
            .failure(self._failed)
            .run_in_background()
        )

    def _form_loaded(self, view: FormView) -> None:
        if view.child.id != self.child_id or not self.session.is_open:
            return  # another child was opened, or the vault locked, meanwhile
        for dialog in self.dialogs:
            if isinstance(dialog, StructuredForm) and dialog.view.id == view.id:
                # The draft already open (an alert led here): one editor a form, showing the
                # draft as it is now stored (with what the alert added) unless typed in since.
                if not dialog.dirty:
                    dialog.show_stored(view)
                dialog.raise_()
                dialog.activateWindow()
                return
        editor = StructuredForm(self.session, view, parent=self)
        editor.export_requested.connect(self.export_form)
        self._keep(editor)

    def _export_summary(self, summary: FormSummary) -> None:
        if self.child_id is not None:
            definition = definitions.FORMS.get(summary.form, definitions.MARF)
            self.export_form(
                FormToExport.of_summary(summary, definition, self.child_id, self.child_name())
            )

    def export_form(self, target: FormToExport) -> FormExportDialog:
        dialog = FormExportDialog(self.session, target, parent=self)
        self._keep(dialog)
        return dialog

    def record_share(self, shared: bool) -> SharingDialog | None:
        if self.child_id is None:
            return None
        dialog = SharingDialog(self.session, self.child_id, shared=shared, parent=self)
        self._keep(dialog)
        return dialog
