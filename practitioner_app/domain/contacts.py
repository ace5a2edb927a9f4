"""The five mandated health-visiting contacts (DOMAIN.md) and which one a child is due next."""

from dataclasses import dataclass
from datetime import date, timedelta

from practitioner_app.domain.enums import ContactType


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # The 31st of a short month falls back to its last day.
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class MandatedContact:
    contact: ContactType
    due_from: date
    due_by: date  # after this day the contact is overdue (the alert rule's window)


def schedule(date_of_birth: date | None, expected_date: date | None) -> list[MandatedContact]:
    """The contacts in order, with the window each is due in. Antenatal only for an unborn child
    (it cannot be made up after the birth)."""
    if date_of_birth is None:
        if expected_date is None:
            return []
        # From 28 weeks of pregnancy: 12 weeks before the expected date.
        return [
            MandatedContact(
                ContactType.ANTENATAL, expected_date - timedelta(weeks=12), expected_date
            )
        ]
    born = date_of_birth
    return [
        MandatedContact(
            ContactType.NEW_BIRTH, born + timedelta(days=10), born + timedelta(days=28)
        ),
        MandatedContact(
            ContactType.SIX_EIGHT_WEEK, born + timedelta(weeks=6), born + timedelta(weeks=10)
        ),
        MandatedContact(ContactType.NINE_TWELVE_MONTH, _add_months(born, 9), _add_months(born, 13)),
        MandatedContact(
            ContactType.TWO_TWO_HALF_YEAR, _add_months(born, 24), _add_months(born, 31)
        ),
    ]


@dataclass(frozen=True)
class NextContact:
    contact: MandatedContact
    overdue: bool


def next_contact(
    date_of_birth: date | None,
    expected_date: date | None,
    completed: set[ContactType],
    today: date,
) -> NextContact | None:
    """The earliest mandated contact still to make, overdue or not. None when all are done, or
    when the child is over 3 and health visiting has handed over to school nursing."""
    if date_of_birth is not None and today > _add_months(date_of_birth, 36):
        return None
    contacts = schedule(date_of_birth, expected_date)
    for index, contact in enumerate(contacts):
        if contact.contact in completed:
            continue
        later = contacts[index + 1 :]
        if any(c.contact in completed or today >= c.due_from for c in later):
            # Superseded: the next contact is made or due, so this one is no longer offered
            # (a missed contact stays visible as an alert, not as the next thing to do).
            continue
        return NextContact(contact, overdue=today > contact.due_by)
    return None
