"""Agency names: every spelling the vault holds, and merging two that are one agency ("Haringey
SS" is "Haringey Social Services"), so the alerts count it once (DOMAIN.md). Through the worker."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import Problem
from practitioner_app.services import agencies
from practitioner_app.services.agencies import AgencyName
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.finalising import enter_moves_on
from practitioner_app.ui.layout import FormLayout
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.style import ERROR_STYLE


class AgencyNamesDialog(QDialog):
    merged = Signal()

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Agency names")
        self.setAccessibleName("Agency names")
        intro = QLabel(
            "Two spellings of one agency count as two agencies in the alerts until you merge "
            "them. Relatives, neighbours and anonymous callers are never counted as agencies."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Agency names in the vault")
        self.alias = QComboBox()
        self.alias.setAccessibleName("Count this name")
        self.agency = QComboBox()
        self.agency.setAccessibleName("As this agency")
        self.form = FormLayout()
        self.form.add("&Count:", self.alias, "alias")
        self.form.add("&As the same agency as:", self.agency, "agency")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.hide()
        self.merge_button = QPushButton("&Merge")
        self.merge_button.setAutoDefault(False)
        self.merge_button.clicked.connect(self.merge)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(self.form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.resize(520, 480)
        self.reload()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    def reload(self) -> None:
        (
            Operation(self, self.session, agencies.names, purpose="names")
            .success(self._loaded)
            .failure(self._failed)
            .run_in_background()
        )

    def _loaded(self, names: list[AgencyName]) -> None:
        self.list.clear()
        self.alias.clear()
        self.agency.clear()
        for name in names:
            self.list.addItem(
                name.name + (f"  → counted as {name.merged_into}" if name.merged_into else "")
            )
            self.alias.addItem(name.name)
            self.agency.addItem(name.name)

    def merge(self) -> bool:
        self.banner.hide()
        alias, agency = self.alias.currentText(), self.agency.currentText()
        if not alias or not agency or alias == agency:
            self._failed(Problem("Choose two different names: the one to count, and the agency."))
            return False
        (
            Operation(self, self.session, agencies.merge, alias, agency)
            .changes(Changes.of("agency_alias"))
            .success(lambda _: self._merged())
            .failure(self._failed)
            .run_in_background()
        )
        return True

    def _merged(self) -> None:
        self.merged.emit()
        self.reload()

    def _failed(self, problem: Problem) -> None:
        self.banner.setText(problem.message)
        self.banner.show()
