"""The chronology (DOMAIN.md): one row per significant thing that happened, in date order.

Rows are derived from visits, significant observations, concerns, referrals and chronology events.
The wording is plain and non-judgemental; each row keeps its provenance (who recorded it, when,
whether late or amended, whether it was imported and what its source did not say) and the record
it came from.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from practitioner_app.domain.body_marks import MarkKind
from practitioner_app.domain.enums import (
    ConcernLevel,
    ContactType,
    EntryStatus,
    ObservationCategory,
    Significance,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.kinds import InChronology, RecordKind
from practitioner_app.domain.times import age_on, uk_local

Day = date  # ChronologyRow has a field called `date`, which hides the type inside the class


@dataclass(frozen=True)
class AmendmentNote:
    """A correction made to a final entry, printed beside the untouched original."""

    field: str  # the practitioner's name for the field
    new_value: str
    reason: str
    by: str
    at: datetime
    at_known: bool  # False: the source did not say when; `at` is then a stand-in for ordering
    imported: str | None  # "imported by … on … from …", None when written in this vault


# Not frozen, unlike most value objects here: a frozen dataclass's __init__ sets each of these
# 28 fields through object.__setattr__, which made building a long chronology cost four times
# as much (issue 19). Nothing changes a row once built; dataclasses.replace makes a new one.
@dataclass(slots=True)
class ChronologyRow:
    date: date
    time: str | None  # "HH:MM" UK local, when known
    date_uncertain: bool
    age: str  # of the child at the event, e.g. "1y 3m", "4m", "unborn"
    event: str
    source: str
    source_kind: str | None
    significance: str | None
    impact: str | None
    action: str | None
    record_kind: RecordKind
    record_id: str
    status: EntryStatus
    recorded_by: str
    recorded_at: datetime  # when not known (below), the event's time: for ordering only
    recorded_at_known: bool
    imported: str | None  # "imported by … on … from …", None when written in this vault
    late: bool  # never True when recorded_at is not known
    amended: bool
    significant: bool
    sort_key: datetime
    end_date: Day | None = None  # an event that lasted a period
    agency: str = ""  # the agency the information came from, as written
    amendments: tuple[AmendmentNote, ...] = ()
    chosen: bool = False  # the practitioner chose whether it is significant
    # The record's own UUID, the same in every vault it reaches (bundle format 2), so it breaks
    # the last ties alike everywhere.
    origin_id: str = ""
    # The order the entry was written into the vault (and, for an imported entry, the order its
    # source gave): the tie-break before the origin id.
    written_order: int = 0


def order_key(row: ChronologyRow, kind_order: int) -> tuple[object, ...]:
    """Where a row stands in the chronology, the same in every vault: by day; on one day the
    entries with a time (by time) before those without; at the same moment by kind (a visit before
    what was observed or raised at it), then by when each was written, then in the order the
    source gave them (issue 15: entries with neither a time nor a recorded-at), then by origin id."""
    return (
        row.date,
        row.time is None,
        row.sort_key,
        kind_order,
        row.recorded_at,
        row.written_order,
        row.origin_id or row.record_id,
    )


VISIT_KIND_LABEL = {
    VisitKind.HOME: "Home visit",
    VisitKind.CLINIC: "Clinic appointment",
    VisitKind.SCHOOL: "School visit",
    VisitKind.HOSPITAL: "Hospital contact",
    VisitKind.OFFICE: "Office appointment",
    VisitKind.PHONE: "Phone contact",
    VisitKind.VIDEO: "Video contact",
    VisitKind.OTHER: "Contact",
}
CONTACT_LABEL = {
    ContactType.ANTENATAL: "antenatal contact",
    ContactType.NEW_BIRTH: "new birth visit",
    ContactType.SIX_EIGHT_WEEK: "6–8 week review",
    ContactType.NINE_TWELVE_MONTH: "9–12 month review",
    ContactType.TWO_TWO_HALF_YEAR: "2–2½ year review",
}
OUTCOME_LABEL = {
    VisitOutcome.COMPLETED: "completed",
    VisitOutcome.NO_ACCESS: "no access",
    VisitOutcome.WAS_NOT_BROUGHT: "child was not brought",
    VisitOutcome.CANCELLED_BY_FAMILY: "cancelled by the family",
    VisitOutcome.CANCELLED_BY_SERVICE: "cancelled by the service",
}
LEVEL_SIGNIFICANCE = {
    ConcernLevel.LOW: Significance.LOW,
    ConcernLevel.MEDIUM: Significance.MEDIUM,
    ConcernLevel.HIGH: Significance.HIGH,
    ConcernLevel.IMMEDIATE: Significance.HIGH,
}


def age_at(date_of_birth: date | None, expected_date: date | None, day: date) -> str:
    if date_of_birth is None or day < date_of_birth:
        return "unborn" if expected_date is not None or date_of_birth is not None else ""
    years, months = age_on(date_of_birth, day)
    if years == 0 and months == 0:
        return f"{(day - date_of_birth).days}d"
    return f"{years}y {months}m" if years else f"{months}m"


# Every "HH:MM" of a day, made once: formatting one took half of `when`, which a chronology
# calls for each of its thousands of rows (issue 19).
_CLOCK = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))


def when(moment: datetime, time_known: bool) -> tuple[date, str | None]:
    """The UK calendar day of `moment`, and its UK time "HH:MM" when the time is known."""
    local = uk_local(moment)
    return local.date(), _CLOCK[local.hour * 60 + local.minute] if time_known else None


def visit_text(
    kind: VisitKind,
    contact_type: ContactType | None,
    outcome: VisitOutcome,
    child_seen: bool | None,
    child_seen_alone: bool | None,
    notes: str | None,
) -> str:
    what = VISIT_KIND_LABEL[kind]
    if contact_type is not None:
        what += f" ({CONTACT_LABEL[contact_type]})"
    parts = [f"{what}: {OUTCOME_LABEL[outcome]}."]
    if outcome is VisitOutcome.COMPLETED:
        if child_seen is False:
            parts.append("Child not seen.")
        elif child_seen:
            parts.append("Child seen alone." if child_seen_alone else "Child seen, not alone.")
    if notes:
        parts.append(notes)
    return " ".join(parts)


def visit_is_significant(outcome: VisitOutcome, child_seen: bool | None) -> bool:
    """Missed contacts and children not seen matter to a chronology; routine contacts do not."""
    return outcome is not VisitOutcome.COMPLETED or child_seen is False


def counts_as_significant(rule: InChronology, entry: Any) -> bool:
    """Whether an entry counts as significant in the child's chronology by its kind's rule
    (domain/kinds.py), before the practitioner's own choice: a chronology is "not a list of
    everything" (DOMAIN.md). `entry` has the fields its kind's rule reads."""
    return _SIGNIFICANT_WHEN[rule](entry)


def is_injury(observation: Any) -> bool:
    """An observation filed as an injury (one with an injury recorded under another category is
    told by its caller, who holds the injury)."""
    return bool(observation.category == ObservationCategory.INJURY)


# Each kind's rule, looked up once: a chronology asks for thousands of rows, and matching the
# rule case by case cost as much as the test itself (issue 19).
_SIGNIFICANT_WHEN: dict[InChronology, Callable[[Any], bool]] = {
    InChronology.ALWAYS: lambda entry: True,
    InChronology.WHEN_NOT_SEEN_OR_MISSED: lambda entry: visit_is_significant(
        entry.outcome, entry.child_seen
    ),
    InChronology.WHEN_MARKED_SIGNIFICANT: lambda entry: bool(entry.significant),
    InChronology.WHEN_MARKED_SIGNIFICANT_OR_INJURY: lambda entry: (
        bool(entry.significant) or is_injury(entry)
    ),
    InChronology.UNLESS_LOW_SIGNIFICANCE: lambda entry: entry.significance is not Significance.LOW,
    InChronology.WHEN_INJURY_MARK: lambda entry: bool(entry.mark_kind == MarkKind.INJURY),
}


def in_range(row_date: date, date_from: date | None, date_to: date | None) -> bool:
    return (date_from is None or row_date >= date_from) and (date_to is None or row_date <= date_to)
