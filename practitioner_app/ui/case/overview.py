"""The overview of one child: the safeguarding alerts first, then who they are, who they live with
now, who else is involved and who leads, the open concerns, and the next mandated contact. All
record text is escaped (the template in overview_html autoescapes)."""

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services.casework import ChildOverview
from practitioner_app.ui.bidi import isolated
from practitioner_app.ui.case.alerts_panel import AlertsPanel
from practitioner_app.ui.case.overview_html import overview_html
from practitioner_app.ui.session import VaultSession

__all__ = ["OverviewTab", "overview_html"]


class OverviewTab(QWidget):
    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alerts = AlertsPanel(session)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setOpenExternalLinks(False)
        self.text.setAccessibleName("Overview of the child")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.alerts)
        layout.addWidget(self.text, 1)

    def show_overview(self, view: ChildOverview) -> None:
        self.text.setHtml(overview_html(view, uk_date(now_utc())))
        names = {p.id: p.name for p in view.household}
        names.update({p.id: f"{isolated(p.name)}, {isolated(p.role)}" for p in view.professionals})
        self.alerts.set_names(names)

    def clear(self) -> None:
        self.text.clear()
        self.alerts.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The alerts may take up to half the tab; the overview below keeps the rest.
        super().resizeEvent(event)
        self.alerts.set_tallest(event.size().height() // 2)
