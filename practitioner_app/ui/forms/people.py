"""Dialogs for the living records: a child's details, a household member, a professional.

Unlike entries these have no drafts: Save writes them at once, and a refusal keeps the dialog open
with the message beside the field it names, so nothing typed is lost.
"""

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain import nhs_number
from practitioner_app.domain.enums import Sex
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.records import (
    ChildDetails,
    HouseholdMemberDetails,
    ProfessionalDetails,
)
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import people
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.base import ERROR_STYLE, FormLayout
from practitioner_app.ui.forms.finalising import enter_moves_on
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import (
    Choice,
    DateEdit,
    GestationEdit,
    TextBox,
    YesNo,
    line_value,
)

Done = Callable[[Any], None]
Failed = Callable[[Problem], None]


def _line(label: str, text: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setAccessibleName(label)
    return edit


def _check(text: str, accessible: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setAccessibleName(accessible)
    return box


class PersonDialog(QDialog):
    """What the three dialogs share: the form with inline messages, Save (Ctrl+S) and Cancel."""

    saved = Signal(object)  # what the service returned, after a successful save

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter moves on; only the button or Ctrl+S saves (issue 17).
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    def __init__(self, session: VaultSession, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._busy = False
        self.setWindowTitle(title + (" — DEMO" if session.is_demo else ""))
        self.setAccessibleName(title)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setAccessibleName("Problem")
        self.banner.hide()

        self.form = FormLayout()
        body = QWidget()
        body.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Never a tab stop of its own: Tab goes from field to field, each scrolled into view.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(body)

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.cancel_button = QPushButton("Cancel")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        # Enter in a line edit must not close the dialog half-filled.
        self.save_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)

        layout = QVBoxLayout(self)
        if session.is_demo:
            demo = QLabel("DEMO vault: invented records for practice only")
            demo.setStyleSheet(
                "background: #f2c94c; color: black; padding: 3px; font-weight: bold;"
            )
            layout.addWidget(demo)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

    # -- to be provided by each dialog ----------------------------------------------------------

    def details(self) -> Any:
        """The details dataclass from the fields, validated; raises InvalidInput naming the field."""
        raise NotImplementedError

    def submit(self, details: Any, done: Done, failed: Failed) -> None:
        """Hand the details to the service through the session."""
        raise NotImplementedError

    # -- shared behaviour -----------------------------------------------------------------------

    def set_tab_order(self, widgets: list[QWidget]) -> None:
        chain = [*widgets, self.save_button, self.cancel_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        widgets[0].setFocus()

    def save(self) -> bool:
        """Save; False if the fields could not be read (the message is shown)."""
        if self._busy:
            return True
        self.form.clear_messages()
        self.banner.hide()
        try:
            details = self.details()
        except InvalidInput as problem:
            self.show_problem(problem)
            return False
        self._busy = True
        self.save_button.setEnabled(False)
        self.submit(details, self._done, self._failed)
        return True

    def show_problem(self, problem: Problem) -> None:
        self.form.clear_messages()
        field = problem.field if isinstance(problem, InvalidInput) else None
        if field is None or not self.form.show_message(field, problem.message):
            self.banner.setText(problem.message)
            self.banner.show()
        else:
            self.banner.hide()

    def _done(self, result: object) -> None:
        self._busy = False
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, problem: Problem) -> None:
        self._busy = False
        self.save_button.setEnabled(True)
        self.show_problem(problem)


class ChildForm(PersonDialog):
    """A new child on the caseload, or the details of one already there: every field DOMAIN.md
    lists for a child, in sections a practitioner reads down (names, birth, language and
    communication, mobility, home and services, identity and needs), scrolling on a small
    screen."""

    def __init__(
        self,
        session: VaultSession,
        existing: tuple[str, ChildDetails] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, "New child" if existing is None else "Child's details", parent)
        self.child_id = existing[0] if existing else None

        self.given_name = _line("Given name")
        self.family_name = _line("Family name")
        self.preferred_name = _line("Preferred name")
        self.preferred_name.setPlaceholderText("what the child is called, if not the given name")
        self.other_names = TextBox("Other names")
        self.other_names.setPlaceholderText("aliases, previous names, other spellings: one a line")
        self.other_names.setMaximumHeight(70)
        self.date_of_birth = DateEdit("date_of_birth", "Date of birth")
        self.expected_date = DateEdit("expected_date", "Expected date of delivery")
        self.sex = Choice(Sex, "Sex")
        self.sex.set_value(Sex.UNKNOWN)
        self.gestation = GestationEdit()
        self.nhs_number = _line("NHS number")
        self.nhs_number.setPlaceholderText("10 digits, for example 999 000 0018")
        self.nhs_number.setMaxLength(14)
        self.first_language = _line("First language")
        self.interpreter_needed = YesNo("Interpreter needed")
        self.communication = _line("Preferred way of communicating")
        self.communication.setPlaceholderText("for example BSL, Makaton, picture cards")
        self.non_mobile = _check(
            "Non-mobile: cannot crawl, cruise or wal&k", "Non-mobile: cannot crawl, cruise or walk"
        )
        self.non_mobile_from = DateEdit("non_mobile_from", "Non-mobile from")
        self.non_mobile_from.setPlaceholderText("DD/MM/YYYY, or empty: since birth")
        self.non_mobile_from.setToolTip("Leave empty for 'since birth'")
        self.mobile_since = DateEdit("mobile_since", "Mobile since")
        self.mobile_since.setPlaceholderText("DD/MM/YYYY, or empty: still non-mobile")
        self.mobile_since.setToolTip("The day the child began to crawl, cruise or walk")
        self.address = TextBox("Address")
        self.address.setMaximumHeight(90)  # a few lines; otherwise it takes the whole dialog
        self.postcode = _line("Postcode")
        self.gp = _line("GP")
        self.school = _line("School or setting")
        self.ethnicity = _line("Ethnicity")
        self.religion = _line("Religion")
        self.disability = _line("Disability")

        sections: list[tuple[str, str, list[tuple[str, QWidget, str]]]] = [
            (
                "Names",
                "",
                [
                    ("&Given name:", self.given_name, "given_name"),
                    ("&Family name:", self.family_name, "family_name"),
                    ("P&referred name:", self.preferred_name, "preferred_name"),
                    ("Other na&mes:", self.other_names, "other_names"),
                ],
            ),
            (
                "Birth and NHS number",
                "",
                [
                    ("Date of &birth:", self.date_of_birth, "date_of_birth"),
                    ("&Expected date (unborn):", self.expected_date, "expected_date"),
                    ("Se&x:", self.sex, "sex"),
                    ("Gestation (&weeks+days):", self.gestation, "gestation_weeks"),
                    ("&NHS number:", self.nhs_number, "nhs_number"),
                ],
            ),
            (
                "Language and communication",
                "",
                [
                    ("First &language:", self.first_language, "first_language"),
                    ("Interpre&ter needed:", self.interpreter_needed, "interpreter_needed"),
                    ("Preferred wa&y of communicating:", self.communication, "communication"),
                ],
            ),
            (
                "Mobility",
                "An injury to a non-mobile child is judged by the date it happened. When the "
                "child starts to move, keep the tick and give 'Mobile since'.",
                [
                    ("Mobility:", self.non_mobile, "non_mobile"),
                    ("Non-mobile from:", self.non_mobile_from, "non_mobile_from"),
                    ("Mobile since:", self.mobile_since, "mobile_since"),
                ],
            ),
            (
                "Home, GP and school",
                "",
                [
                    ("&Address:", self.address, "address"),
                    ("P&ostcode:", self.postcode, "postcode"),
                    ("G&P:", self.gp, "gp"),
                    ("Sc&hool or setting:", self.school, "school"),
                ],
            ),
            (
                "Identity and needs",
                "",
                [
                    ("Ethni&city:", self.ethnicity, "ethnicity"),
                    ("Rel&igion:", self.religion, "religion"),
                    ("&Disability:", self.disability, "disability"),
                ],
            ),
        ]
        order: list[QWidget] = []
        for title, note, rows in sections:
            self.form.add_heading(title, note)
            for label, widget, field in rows:
                self.form.add(label, widget, field)
                order.append(widget)
        self.set_tab_order(order)
        if existing is not None:
            self._fill(existing[1])
        # Fits a 1280x800 screen with the title bar and taskbar; the sections scroll.
        self.resize(600, 680)

    def _fill(self, child: ChildDetails) -> None:
        self.given_name.setText(child.given_name)
        self.family_name.setText(child.family_name)
        self.preferred_name.setText(child.preferred_name or "")
        self.other_names.setPlainText("\n".join(child.other_names))
        self.date_of_birth.set_date(child.date_of_birth)
        self.expected_date.set_date(child.expected_date)
        self.sex.set_value(child.sex)
        self.gestation.set_value(child.gestation_weeks, child.gestation_days)
        number = child.nhs_number or ""
        # Shown 3-3-4 as the NHS prints it; the service stores the digits alone.
        self.nhs_number.setText(nhs_number.formatted(number) if len(number) == 10 else number)
        self.first_language.setText(child.first_language or "")
        self.interpreter_needed.set_value(child.interpreter_needed)
        self.communication.setText(child.communication or "")
        self.non_mobile.setChecked(child.non_mobile)
        self.non_mobile_from.set_date(child.non_mobile_from)
        self.mobile_since.set_date(child.mobile_since)
        self.address.setPlainText(child.address or "")
        self.postcode.setText(child.postcode or "")
        self.gp.setText(child.gp or "")
        self.school.setText(child.school or "")
        self.ethnicity.setText(child.ethnicity or "")
        self.religion.setText(child.religion or "")
        self.disability.setText(child.disability or "")

    def _other_names(self) -> tuple[str, ...]:
        # One name a line; blank lines and surrounding spaces are not names.
        lines = (line.strip() for line in self.other_names.toPlainText().splitlines())
        return tuple(line for line in lines if line)

    def details(self) -> ChildDetails:
        gestation_weeks, gestation_days = self.gestation.value()
        details = ChildDetails(
            given_name=self.given_name.text().strip(),
            family_name=self.family_name.text().strip(),
            date_of_birth=self.date_of_birth.value(),
            expected_date=self.expected_date.value(),
            other_names=self._other_names(),
            preferred_name=line_value(self.preferred_name),
            # Choice hands back the plain string (Qt keeps a StrEnum as str), so convert back.
            sex=Sex(self.sex.value()),
            nhs_number=line_value(self.nhs_number),
            ethnicity=line_value(self.ethnicity),
            first_language=line_value(self.first_language),
            interpreter_needed=self.interpreter_needed.value(),
            communication=line_value(self.communication),
            religion=line_value(self.religion),
            disability=line_value(self.disability),
            address=self.address.value(),
            postcode=line_value(self.postcode),
            gp=line_value(self.gp),
            school=line_value(self.school),
            non_mobile=self.non_mobile.isChecked(),
            non_mobile_from=self.non_mobile_from.value(),
            mobile_since=self.mobile_since.value(),
            gestation_weeks=gestation_weeks,
            gestation_days=gestation_days,
        )
        details.validate(uk_date(now_utc()))
        return details

    def submit(self, details: Any, done: Done, failed: Failed) -> None:
        if self.child_id is None:
            # A child added is in nobody's case yet: every screen that lists children looks again.
            (
                Operation(self, self.session, people.add_child, details)
                .changes(lambda child: Changes.of("child", child.id))
                .success(done)
                .failure(failed)
                .run_in_background()
            )
        else:
            child_id = self.child_id
            (
                Operation(self, self.session, people.update_child, child_id, details)
                .changes(Changes.of("child", child_id, child_id=child_id))
                .success(done)
                .failure(failed)
                .run_in_background()
            )


class HouseholdMemberForm(PersonDialog):
    """Someone in the child's household or wider network, from and to when."""

    def __init__(self, session: VaultSession, child_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, "Household member", parent)
        self.child_id = child_id
        self.name = _line("Name")
        self.relationship = _line("Relationship to the child")
        self.relationship.setPlaceholderText("for example mother, step-father, lodger")
        self.lives_with_child = _check("&Lives with the child", "Lives with the child")
        self.lives_with_child.setChecked(True)
        self.parental_responsibility = YesNo("Parental responsibility")
        self.date_of_birth = DateEdit("date_of_birth", "Date of birth")
        self.from_date = DateEdit("from_date", "From")
        self.to_date = DateEdit("to_date", "To")
        self.phone = _line("Phone numbers")
        self.phone.setPlaceholderText("for example 07700 900123 (mobile); say if not safe to ring")
        self.address = TextBox("Address")
        self.address.setPlaceholderText("Leave empty if they live at the child's address")
        self.checks = TextBox("Checks")
        self.checks.setPlaceholderText("Checks made, for example with the police or social care")
        self.notes = TextBox("Notes")
        for box in (self.checks, self.notes):
            box.setMaximumHeight(120)
        self.address.setMaximumHeight(80)

        rows: list[tuple[str, QWidget, str]] = [
            ("&Name:", self.name, "name"),
            ("&Relationship to the child:", self.relationship, "relationship"),
            ("Household:", self.lives_with_child, "lives_with_child"),
            ("&Parental responsibility:", self.parental_responsibility, "parental_responsibility"),
            ("Date of &birth:", self.date_of_birth, "date_of_birth"),
            ("&From:", self.from_date, "from_date"),
            ("&To:", self.to_date, "to_date"),
            ("P&hone numbers:", self.phone, "phone"),
            ("A&ddress:", self.address, "address"),
            ("Chec&ks:", self.checks, "checks"),
            ("N&otes:", self.notes, "notes"),
        ]
        for label, widget, field in rows:
            self.form.add(label, widget, field)
        self.set_tab_order([widget for _, widget, _ in rows])
        self.resize(540, 660)

    def details(self) -> HouseholdMemberDetails:
        details = HouseholdMemberDetails(
            name=self.name.text().strip(),
            relationship=self.relationship.text().strip(),
            lives_with_child=self.lives_with_child.isChecked(),
            parental_responsibility=self.parental_responsibility.value(),
            date_of_birth=self.date_of_birth.value(),
            from_date=self.from_date.value(),
            to_date=self.to_date.value(),
            checks=self.checks.value(),
            notes=self.notes.value(),
            phone=line_value(self.phone),
            address=self.address.value(),
        )
        details.validate()
        return details

    def submit(self, details: Any, done: Done, failed: Failed) -> None:
        child_id = self.child_id
        (
            Operation(self, self.session, people.add_household_member, child_id, details)
            .changes(lambda member_id: Changes.of("household_member", member_id, child_id=child_id))
            .success(done)
            .failure(failed)
            .run_in_background()
        )


class ProfessionalForm(PersonDialog):
    """A professional involved with the child, and whether they are the lead."""

    def __init__(self, session: VaultSession, child_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, "Professional", parent)
        self.child_id = child_id
        self.name = _line("Name")
        self.role = _line("Role")
        self.role.setPlaceholderText("for example social worker, school nurse")
        self.agency = _line("Agency")
        self.phone = _line("Phone")
        self.email = _line("Email")
        self.lead = _check("&Lead professional for this child", "Lead professional")
        self.from_date = DateEdit("from_date", "From")
        self.to_date = DateEdit("to_date", "To")

        rows: list[tuple[str, QWidget, str]] = [
            ("&Name:", self.name, "name"),
            ("&Role:", self.role, "role"),
            ("A&gency:", self.agency, "agency"),
            ("&Phone:", self.phone, "phone"),
            ("&Email:", self.email, "email"),
            ("Lead:", self.lead, "lead"),
            ("&From:", self.from_date, "from_date"),
            ("&To:", self.to_date, "to_date"),
        ]
        for label, widget, field in rows:
            self.form.add(label, widget, field)
        self.set_tab_order([widget for _, widget, _ in rows])
        self.resize(520, 440)

    def details(self) -> ProfessionalDetails:
        details = ProfessionalDetails(
            name=self.name.text().strip(),
            role=self.role.text().strip(),
            agency=self.agency.text().strip(),
            phone=line_value(self.phone),
            email=line_value(self.email),
            lead=self.lead.isChecked(),
            from_date=self.from_date.value(),
            to_date=self.to_date.value(),
        )
        details.validate()
        return details

    def submit(self, details: Any, done: Done, failed: Failed) -> None:
        child_id = self.child_id
        (
            Operation(self, self.session, people.add_professional, child_id, details)
            .changes(
                lambda professional_id: Changes.of(
                    "professional", professional_id, child_id=child_id
                )
            )
            .success(done)
            .failure(failed)
            .run_in_background()
        )
