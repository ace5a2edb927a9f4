"""The people tabs: the child's household and family network, and the professionals involved."""

from datetime import date

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services.casework import ChildOverview, HouseholdRow, ProfessionalRow
from practitioner_app.ui.bidi import signed
from practitioner_app.ui.case.models import HouseholdModel, ProfessionalModel
from practitioner_app.ui.session import VaultSession


def _table(name: str, model: QAbstractItemModel) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Size columns from the rows on screen: measuring every row of a long list stalls the window.
    table.horizontalHeader().setResizeContentsPrecision(0)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class _PeopleList(QWidget):
    """A heading, an add button, a table and a line that says how many there are."""

    add_requested = Signal()

    def __init__(
        self,
        session: VaultSession,
        model: QAbstractItemModel,
        heading: str,
        add_text: str,
        add_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        model.setParent(self)
        self.table = _table(heading, model)
        self.add_button = QPushButton(add_text)
        self.add_button.setAccessibleName(add_name)
        self.add_button.setEnabled(False)  # until a child is shown
        self.add_button.clicked.connect(self.add_requested)
        title = QLabel(heading)
        title.setStyleSheet("font-weight: bold;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it can name a person
        self.status.setAccessibleName(f"{heading} status")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch()
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)


class PeopleTab(_PeopleList):
    """The household: those living with the child now first, then others involved, then the past."""

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        model = HouseholdModel()
        super().__init__(
            session,
            model,
            "Household and family network",
            "&Add person…",
            "Add person",
            parent,
        )
        self.model = model

    def show_overview(self, overview: ChildOverview, today: date | None = None) -> None:
        today = today or uk_date(now_utc())

        def order(row: HouseholdRow) -> tuple[int, str]:
            if row.lives_with_child and row.is_current(today):
                return 0, row.name.casefold()
            return (1 if row.is_current(today) else 2), row.name.casefold()

        rows = sorted(overview.household, key=order)
        self.model.set_rows(rows, today)
        self.add_button.setEnabled(True)
        living = sum(1 for row in rows if self.model.living_with_child_now(row))
        if not rows:
            self.status.setText("No one recorded yet.")
        else:
            past = sum(1 for row in rows if not row.is_current(today))
            self.status.setText(
                f"{living} living with the child now"
                + (f"; {past} in the past (shown in italics)" if past else "")
            )

    def clear(self) -> None:
        self.model.set_rows([])
        self.status.clear()
        self.add_button.setEnabled(False)


class ProfessionalsTab(_PeopleList):
    """The professionals involved: the lead first, those no longer involved last."""

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        model = ProfessionalModel()
        super().__init__(
            session,
            model,
            "Professionals involved",
            "&Add professional…",
            "Add professional",
            parent,
        )
        self.model = model

    def show_overview(self, overview: ChildOverview, today: date | None = None) -> None:
        today = today or uk_date(now_utc())

        def order(row: ProfessionalRow) -> tuple[bool, bool, str]:
            return not row.is_current(today), not row.lead, row.name.casefold()

        rows = sorted(overview.professionals, key=order)
        self.model.set_rows(rows, today)
        self.add_button.setEnabled(True)
        if not rows:
            self.status.setText("No professionals recorded yet.")
        else:
            lead = next((row for row in rows if row.lead and row.is_current(today)), None)
            self.status.setText(
                f"Lead professional: {signed(lead.name, lead.role, None)}"
                if lead
                else "No lead recorded."
            )

    def clear(self) -> None:
        self.model.set_rows([])
        self.status.clear()
        self.add_button.setEnabled(False)
