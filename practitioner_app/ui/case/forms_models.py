"""Table models for a child's structured forms and sharing log (tested without widgets)."""

from typing import Any

from practitioner_app.domain import forms as definitions
from practitioner_app.domain.enums import Consent, EntryStatus
from practitioner_app.domain.labels import RECORDED_NOT_KNOWN
from practitioner_app.domain.times import format_uk_date, format_uk_datetime, uk_date
from practitioner_app.services.forms import FormSummary
from practitioner_app.services.sharing import SharingRow
from practitioner_app.ui.bidi import isolated
from practitioner_app.ui.case.models import SUMMARY_LENGTH, RowTableModel, flat, tooltip

CONSENT_LABELS = {
    Consent.GIVEN: "Given",
    Consent.REFUSED: "Refused",
    Consent.NOT_SOUGHT: "Not sought",
}
NOT_SHARED = "NOT SHARED"


def progress_text(complete: int, sections: int) -> str:
    return f"{complete} of {sections} sections"


NOT_SENT = "Not shared yet"


def copies_text(row: FormSummary) -> str:
    """'Dr Priya Shah, GP (DRAFT); MASH (final)': each copy that went, from the sharing log."""
    if not row.copies:
        return NOT_SENT
    return "; ".join(
        f"{copy.with_whom} ({'final' if copy.final else 'DRAFT'})" for copy in row.copies
    )


def form_status(row: FormSummary) -> str:
    if row.status == EntryStatus.DRAFT:
        return "DRAFT"
    return "Final, AMENDED" if row.amended else "Final"


class FormListModel(RowTableModel[FormSummary]):
    """The child's referrals and assessments, newest first, as the service gives them."""

    FORM, STATUS, SENT_TO, DATE, PROGRESS, AUTHOR = range(6)
    # Who each copy of the form went to, from the sharing log (never the addressee written on
    # the form, which a draft has from the start whether or not it ever went there).
    HEADERS = ("Form", "Status", "Copies went to", "Date", "Progress", "By")

    def text(self, row: FormSummary, column: int) -> str:
        if column == self.FORM:
            return row.title
        if column == self.STATUS:
            return form_status(row)
        if column == self.SENT_TO:
            return copies_text(row)
        if column == self.DATE:
            return format_uk_date(uk_date(row.occurred_at))
        if column == self.PROGRESS:
            return progress_text(row.complete_sections, row.sections)
        if column == self.AUTHOR:
            return row.author
        return ""

    def tip(self, row: FormSummary, column: int) -> str | None:
        if column == self.SENT_TO:
            definition = definitions.FORMS.get(row.form)
            label = definition.sent_to_label if definition else "Sent to"
            went = [
                f"{format_uk_datetime(copy.occurred_at)}: {isolated(copy.with_whom)} "
                f"({'final' if copy.final else 'DRAFT'})"
                for copy in row.copies
            ] or [NOT_SENT]
            return tooltip(
                "\n".join(
                    [
                        f"{label} (as written on the form): {isolated(row.to_agency)}",
                        "Copies went to:",
                        *went,
                    ]
                )
            )
        if column == self.STATUS:
            if row.status == EntryStatus.DRAFT:
                return tooltip(
                    "Still a draft: it can be changed. Every copy sent to someone, draft or "
                    "final, is in the sharing log below."
                )
            amended = "; corrected since by amendment" if row.amended else ""
            return tooltip(f"Final{amended}. It can only be amended, never changed.")
        if column == self.DATE:
            return tooltip(f"Started {format_uk_datetime(row.occurred_at)}")
        return super().tip(row, column)

    def accessible(self, row: FormSummary, column: int) -> str | None:
        if column == self.STATUS:
            return form_status(row).lower()
        return None

    def sort_value(self, row: FormSummary, column: int) -> Any:
        if column == self.DATE:
            return row.occurred_at.isoformat()
        return super().sort_value(row, column)


def basis_and_reason(row: SharingRow) -> str:
    # The reason first: it is particular to this decision, where the basis is often boilerplate.
    parts = []
    if row.reason:
        parts.append(f"Reason: {row.reason.strip()}")
    if row.lawful_basis:
        parts.append(f"Basis: {row.lawful_basis.strip()}")
    return " ".join(part if part.endswith((".", "!", "?")) else part + "." for part in parts)


class SharingLogModel(RowTableModel[SharingRow]):
    """Every share and every decision not to share, newest first."""

    DATE, SHARED, WITH_WHOM, WHAT, PURPOSE, CONSENT, BASIS, AUTHOR = range(8)
    HEADERS = (
        "Date",
        "Shared?",
        "With whom",
        "What",
        "Purpose",
        "Consent",
        "Lawful basis / reason",
        "By",
    )

    def text(self, row: SharingRow, column: int) -> str:
        if column == self.DATE:
            return format_uk_datetime(row.occurred_at)
        if column == self.SHARED:
            shared = "Shared" if row.shared else NOT_SHARED
            return shared + (" (amended)" if row.amended else "")
        if column == self.WITH_WHOM:
            return row.with_whom
        if column == self.WHAT:
            return flat(row.what, SUMMARY_LENGTH)
        if column == self.PURPOSE:
            return flat(row.purpose, SUMMARY_LENGTH)
        if column == self.CONSENT:
            return CONSENT_LABELS.get(row.consent, str(row.consent))
        if column == self.BASIS:
            return flat(basis_and_reason(row), SUMMARY_LENGTH)
        if column == self.AUTHOR:
            return row.author
        return ""

    def full_text(self, row: SharingRow, column: int) -> str:
        if column == self.WHAT:
            return row.what
        if column == self.PURPOSE:
            return row.purpose
        if column == self.BASIS:
            return basis_and_reason(row)
        return self.text(row, column)

    def accessible(self, row: SharingRow, column: int) -> str | None:
        if column == self.SHARED:
            return "Shared" if row.shared else "Decided not to share"
        return None

    def tip(self, row: SharingRow, column: int) -> str | None:
        if column == self.DATE:
            when = (
                f"Recorded {format_uk_datetime(row.recorded_at)}"
                if row.recorded_at_known
                else RECORDED_NOT_KNOWN
            )
            return tooltip("\n".join(filter(None, [when, row.imported])))
        return super().tip(row, column)

    def sort_value(self, row: SharingRow, column: int) -> Any:
        if column == self.DATE:
            return row.occurred_at.isoformat()
        return super().sort_value(row, column)
