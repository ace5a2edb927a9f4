"""The alerts panel on a child's overview: each safeguarding alert with its severity in words, what
it says, the next steps, and the records behind it as links that open them; worked out as of a
date the practitioner can move back, to see what the record showed then."""

from datetime import date
from functools import partial
from html import escape

from PySide6.QtCore import QSizeF, Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.times import format_uk_date, now_utc, uk_date
from practitioner_app.services import alerts as alert_service
from practitioner_app.services.alerts import ExplainedAlert
from practitioner_app.ui import alert_display
from practitioner_app.ui.case.alert_review import AlertReviewDialog, reviewed_html
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.style import ERROR_STYLE
from practitioner_app.ui.widgets import DateEdit

LINK_SCHEME = "record"
REVIEW_SCHEME = "review"
# Below this the panel is not worth shrinking further: a heading and a line or two.
SMALLEST = 48


def _today() -> date:
    return uk_date(now_utc())


def alerts_html(found: list[ExplainedAlert], as_of: date, names: dict[str, str]) -> str:
    """Every alert, worst first; each record behind it a link. Record-derived text is escaped."""
    if not found:
        return f"<p>No alerts as of {format_uk_date(as_of)}.</p>"
    parts = []
    for index, explained in enumerate(found):
        alert = explained.alert
        parts.append(
            f"<p style='margin-top:8px; margin-bottom:2px'>{alert_display.badge_html(alert.severity)}"
            f"&nbsp;&nbsp;<b>{escape(explained.title)}</b></p>"
            f"<p style='margin-top:0; margin-bottom:2px'>{escape(alert.message)}</p>"
        )
        if alert.next_steps:
            parts.append(alert_display.next_steps_html(alert.next_steps))
        if explained.review is not None:
            parts.append(reviewed_html(explained))
        if explained.evidence:
            links = ", ".join(
                f"<a href='{LINK_SCHEME}:{escape(e.kind)}/{escape(e.id)}'>"
                f"{escape(alert_display.evidence_label(e, names))}</a>"
                for e in explained.evidence
            )
            parts.append(f"<p style='margin-top:0'>Records: {links}</p>")
        review = "Review again…" if explained.review else "Review…"
        parts.append(f"<p style='margin-top:0'><a href='{REVIEW_SCHEME}:{index}'>{review}</a></p>")
    return "".join(parts)


class AlertsPanel(QWidget):
    open_evidence = Signal(str, str)  # record kind ("observation", "household"…), record id

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id: str | None = None
        self.found: list[ExplainedAlert] = []
        self.shown_as_of: date | None = None
        self._asked: date | None = None  # the date last asked for, perhaps not shown yet
        # Household members' and professionals' names by id, from the overview, for the links.
        self.names: dict[str, str] = {}
        # A late result for another child or date is dropped: each load supersedes the last.
        self._tallest = 320

        self.heading = QLabel("Safeguarding alerts")
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setAccessibleName("Safeguarding alerts")
        self.about = QLabel(alert_display.ABOUT_ALERTS)
        self.about.setStyleSheet("font-style: italic;")
        self.as_of = DateEdit("as_of", "Alerts as of", required=True)
        self.as_of.setToolTip("Type an earlier date to see the alerts as they were then; Enter")
        self.as_of.setMaximumWidth(110)
        self.as_of.returnPressed.connect(self._as_of_typed)
        self.as_of.editingFinished.connect(self._as_of_typed)
        as_of_label = QLabel("As &of:")
        as_of_label.setBuddy(self.as_of)
        self.today_button = QPushButton("&Today")
        self.today_button.setAccessibleName("Alerts as of today")
        self.today_button.setAutoDefault(False)
        self.today_button.clicked.connect(self.back_to_today)
        # Every alert can be answered (issue 17): acted on, or considered with no action.
        self.review_button = QPushButton("Revie&w an alert…")
        self.review_button.setToolTip(
            "Record what you did about an alert, or why no action is needed (Ctrl+Shift+R)"
        )
        self.review_button.setAutoDefault(False)
        self.review_button.clicked.connect(lambda: self.review())
        QShortcut(QKeySequence("Ctrl+Shift+R"), self, lambda: self.review())
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setAccessibleName("Problem with the alerts")
        self.problem.hide()

        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Safeguarding alerts")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setFrameShape(QFrame.Shape.StyledPanel)
        self.browser.anchorClicked.connect(self._link)
        self.browser.document().documentLayout().documentSizeChanged.connect(self._fit)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(8)
        top.addWidget(self.about, 1)
        top.addWidget(as_of_label)
        top.addWidget(self.as_of)
        top.addWidget(self.today_button)
        top.addWidget(self.review_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addWidget(self.browser)
        self.as_of.set_date(_today())
        self._fit()
        session.changed.connect(self._changed)

    # -- loading ----------------------------------------------------------------------------

    def show_child(self, child_id: str) -> None:
        """A child opened: alerts as of today, whatever date the last child was looked at on."""
        if child_id != self.child_id:
            # Nothing of the last child's alerts, and never "No alerts" before they are known.
            self.found = []
            self.names = {}
            self.shown_as_of = None
            self.heading.setText("Safeguarding alerts")
            self.browser.setHtml("<p>Working out the alerts…</p>")
        self.child_id = child_id
        self.as_of.set_date(_today())
        self.problem.hide()
        self.reload()

    def reload(self) -> None:
        """Work the alerts out again (the child's records changed, or the date did)."""
        as_of = self._typed_date()
        if self.child_id is None or as_of is None or not self.session.is_open:
            return
        self._asked = as_of
        (
            Operation(
                self, self.session, alert_service.explain, self.child_id, as_of, purpose="alerts"
            )
            .success(partial(self._loaded, as_of))
            .failure(self._failed)
            .run_in_background()
        )

    def _changed(self, changes: Changes) -> None:
        if changes.concerns(self.child_id):
            self.reload()

    def _loaded(self, as_of: date, found: list[ExplainedAlert]) -> None:
        self.found, self.shown_as_of = found, as_of
        self._render()

    def _failed(self, problem: Problem) -> None:
        self._show_problem(problem.message)

    def set_names(self, names: dict[str, str]) -> None:
        self.names = names
        if self.shown_as_of is not None:
            self._render()

    def clear(self) -> None:
        """Forget everything shown (the vault is locking)."""
        self.session.pending.drop(self)
        self.child_id = None
        self.found = []
        self.names = {}
        self.shown_as_of = self._asked = None
        self.browser.clear()
        self.heading.setText("Safeguarding alerts")
        self.problem.hide()

    def _render(self) -> None:
        assert self.shown_as_of is not None
        count = len(self.found)
        self.review_button.setEnabled(bool(self.found))
        past = self.shown_as_of != _today()
        self.heading.setText(
            f"Safeguarding alerts{f' ({count})' if count else ''}"
            + (f" as of {format_uk_date(self.shown_as_of)} (looking back)" if past else "")
        )
        self.browser.setHtml(alerts_html(self.found, self.shown_as_of, self.names))

    # -- the as-of date -----------------------------------------------------------------------

    def _typed_date(self) -> date | None:
        try:
            typed = self.as_of.value()
        except InvalidInput as problem:
            self._show_problem(problem.message)
            return None
        if typed is not None and typed > _today():
            self._show_problem(
                "Alerts can only be worked out up to today; type today's date or an earlier one."
            )
            return None
        self.problem.hide()
        return typed

    def _as_of_typed(self) -> None:
        typed = self._typed_date()
        # editingFinished follows returnPressed: the same date is not worked out twice.
        if typed is not None and typed != self._asked:
            self.reload()

    def back_to_today(self) -> None:
        self.as_of.set_date(_today())
        self._as_of_typed()

    def set_as_of(self, day: date) -> None:
        self.as_of.set_date(day)
        self._as_of_typed()

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    # -- links and size ------------------------------------------------------------------------

    def review(self, index: int | None = None) -> AlertReviewDialog | None:
        """The review dialog for the alerts shown (the first not yet reviewed, unless one is
        named); None when there is nothing to review."""
        if self.child_id is None or not self.found:
            return None
        if index is None:
            index = next((i for i, x in enumerate(self.found) if x.review is None), 0)
        dialog = AlertReviewDialog(self.session, self.child_id, self.found, index, self)
        dialog.setModal(True)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()
        return dialog

    def _link(self, url: QUrl) -> None:
        if url.scheme() == REVIEW_SCHEME:
            self.review(int(url.path()))
            return
        if url.scheme() != LINK_SCHEME:
            return
        kind, _, record_id = url.path().partition("/")
        if kind and record_id:
            self.open_evidence.emit(kind, record_id)

    def set_tallest(self, height: int) -> None:
        """The most the list may take of the overview; beyond it, it scrolls."""
        self._tallest = max(SMALLEST * 2, height)
        self._fit()

    def _fit(self, _: QSizeF | None = None) -> None:
        # As tall as the alerts need, so a child with none keeps the overview in view.
        margins = 2 * self.browser.frameWidth() + 8
        needed = int(self.browser.document().size().height()) + margins
        self.browser.setFixedHeight(max(SMALLEST, min(needed, self._tallest)))
