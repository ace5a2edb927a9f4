"""The overview of one child: the safeguarding alerts first, then who they are, who they live with
now, who else is involved and who leads, the open concerns, and the next mandated contact. All
record text is escaped."""

from datetime import date
from html import escape

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from practitioner_app.domain.chronology import CONTACT_LABEL
from practitioner_app.domain.nhs_number import formatted
from practitioner_app.domain.times import format_uk_date, now_utc, uk_date
from practitioner_app.services.casework import ChildOverview
from practitioner_app.ui.case.alerts_panel import AlertsPanel
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.widgets import label_of


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not recorded"}[value]


def _facts(rows: list[tuple[str, str | None]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:12px'><b>{escape(label)}</b></td><td>{escape(value)}</td></tr>"
        for label, value in rows
        if value
    )
    return f"<table>{cells}</table>"


def overview_html(view: ChildOverview, today: date) -> str:
    child = view.details
    born = (
        f"{format_uk_date(child.date_of_birth)} (age {view.age})"
        if child.date_of_birth
        else f"Unborn, expected {format_uk_date(child.expected_date)}"
        if child.expected_date
        else None
    )
    parts = [
        "<h3>About the child</h3>",
        _facts(
            [
                ("Known as", child.preferred_name),
                ("Date of birth", born),
                ("NHS number", formatted(child.nhs_number) if child.nhs_number else "not recorded"),
                ("Sex", label_of(child.sex)),
                ("Address", ", ".join(filter(None, [child.address, child.postcode]))),
                ("GP", child.gp),
                ("School or nursery", child.school),
                ("First language", child.first_language),
                (
                    "Interpreter needed",
                    _yes_no(child.interpreter_needed) if child.first_language else None,
                ),
                ("Disability", child.disability),
                ("Last seen", format_uk_date(view.last_seen) if view.last_seen else "not recorded"),
            ]
        ),
    ]
    if view.next_contact is not None:
        due = view.next_contact.contact
        what = CONTACT_LABEL[due.contact].capitalize()
        window = f"{format_uk_date(due.due_from)} to {format_uk_date(due.due_by)}"
        flag = " <b>— OVERDUE</b>" if view.next_contact.overdue else ""
        parts.append(f"<p><b>Next mandated contact:</b> {escape(what)}, due {window}{flag}</p>")

    parts.append("<h3>Lives with now</h3>")
    now = [p for p in view.household if p.lives_with_child and p.is_current(today)]
    others = [p for p in view.household if p not in now]
    if now:
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{escape(p.name)} ({escape(p.relationship)})"
                + (", parental responsibility" if p.parental_responsibility else "")
                + "</li>"
                for p in now
            )
            + "</ul>"
        )
    else:
        parts.append("<p>Nobody recorded. Add people on the People tab.</p>")
    if others:
        parts.append(
            "<p><b>Also known:</b> "
            + "; ".join(
                f"{escape(p.name)} ({escape(p.relationship)}"
                + (f", until {format_uk_date(p.to_date)}" if p.to_date else ", not living there")
                + ")"
                for p in others
            )
            + "</p>"
        )

    parts.append("<h3>Professionals involved</h3>")
    current = [p for p in view.professionals if p.is_current(today)]
    if current:
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{'<b>Lead professional:</b> ' if p.lead else ''}{escape(p.name)}, "
                f"{escape(p.role)}, {escape(p.agency)}"
                + (f" — {escape(p.phone)}" if p.phone else "")
                + "</li>"
                for p in current
            )
            + "</ul>"
        )
    else:
        parts.append("<p>None recorded.</p>")
    if not any(p.lead for p in current):
        parts.append("<p><b>No lead professional is recorded.</b></p>")

    parts.append(f"<h3>Open concerns ({len(view.open_concerns)})</h3>")
    if view.open_concerns:
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{format_uk_date(uk_date(c.occurred_at))} — {escape(c.what)}: "
                f"{escape(c.summary)}"
                + (f" <i>({escape(c.concern_status.value)})</i>" if c.concern_status else "")
                + (" <i>[draft]</i>" if c.status == "draft" else "")
                + "</li>"
                for c in view.open_concerns
            )
            + "</ul>"
        )
    else:
        parts.append("<p>None.</p>")
    return "".join(parts)


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
        names.update({p.id: f"{p.name}, {p.role}" for p in view.professionals})
        self.alerts.set_names(names)

    def clear(self) -> None:
        self.text.clear()
        self.alerts.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The alerts may take up to half the tab; the overview below keeps the rest.
        super().resizeEvent(event)
        self.alerts.set_tallest(event.size().height() // 2)
