"""What the desktop app reads: the caseload with its flags, a child's overview, and entry lists.

Read-only, in plain frozen rows, built from a handful of set queries so that 400 children or a child
with thousands of entries load without one query per row.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from practitioner_app.domain import chronology as wording
from practitioner_app.domain.contacts import NextContact, next_contact
from practitioner_app.domain.enums import ConcernLevel, ConcernStatus, ContactType, EntryStatus
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.labels import imported_note, signature, value_label
from practitioner_app.domain.records import ChildDetails
from practitioner_app.domain.times import is_late_entry, now_utc, uk_date
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import caseload_summary
from practitioner_app.store.people import Child
from practitioner_app.store.repositories.amendments import AmendmentRepository
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.concerns import ConcernRepository
from practitioner_app.store.repositories.entries import (
    EntryTotals,
    ObservationRepository,
    VisitRepository,
)
from practitioner_app.store.repositories.linked_people import (
    HouseholdRepository,
    ProfessionalRepository,
)


@dataclass(frozen=True)
class CaseloadRow:
    id: str
    name: str
    date_of_birth: date | None
    expected_date: date | None
    age: str
    nhs_number: str | None
    open_concerns: int
    highest_open_level: ConcernLevel | None
    lead_professional: str | None
    last_seen: date | None
    drafts: int
    # The other names the child goes by (preferred name, aliases, previous names), which the
    # caseload filter matches as it matches the name.
    known_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    name: str
    relationship: str
    lives_with_child: bool
    parental_responsibility: bool | None
    date_of_birth: date | None
    from_date: date | None
    to_date: date | None
    checks: str | None
    notes: str | None
    phone: str | None = None
    address: str | None = None

    def is_current(self, today: date) -> bool:
        return self.to_date is None or self.to_date >= today


@dataclass(frozen=True)
class ProfessionalRow:
    id: str
    name: str
    role: str
    agency: str
    phone: str | None
    email: str | None
    lead: bool
    from_date: date | None
    to_date: date | None

    def is_current(self, today: date) -> bool:
        return self.to_date is None or self.to_date >= today


@dataclass(frozen=True)
class EntryRow:
    """One line of a visits, observations or concerns list."""

    kind: str
    id: str
    status: EntryStatus
    occurred_at: datetime
    time_known: bool
    recorded_at: datetime
    recorded_at_known: bool  # False: the source did not say; recorded_at is then a stand-in
    late: bool  # never True when recorded_at is not known
    amended: bool
    author: str
    imported: str | None  # "imported by … on … from …", None when written in this vault
    what: str  # "Home visit (new birth visit)", "Growth", "Neglect, high"
    summary: str  # the outcome, the observation, the concern summary
    concern_status: ConcernStatus | None = None
    child_words: str | None = None  # a visit's "the child's voice", in its own column


@dataclass(frozen=True)
class ChildOverview:
    id: str
    details: ChildDetails
    age: str
    household: tuple[HouseholdRow, ...]
    professionals: tuple[ProfessionalRow, ...]
    open_concerns: tuple[EntryRow, ...]
    next_contact: NextContact | None
    last_seen: date | None


def _today() -> date:
    return uk_date(now_utc())


def caseload(ws: Workspace) -> list[CaseloadRow]:
    """Every child, by family name, with the flags a practitioner scans for.

    Last seen, open concerns and the highest open level come from the per-child summary the
    vault keeps up to date (store/caseload_summary.py), not from every visit and concern: the
    caseload is read at every unlock."""
    today = _today()
    with ws.unit_of_work() as session:
        leads = {
            lead.child_id: f"{lead.name} ({lead.role})"
            for lead in ProfessionalRepository(session).current_leads(today)
        }
        flags = caseload_summary.flags(session)
        drafts = EntryTotals(session).drafts_by_child()
        children = ChildRepository(session).caseload_rows()
        return [_caseload_row(c, flags.get(c.id), leads, drafts, today) for c in children]


def _caseload_row(
    c: Any,
    flags: Any,  # caseload_summary.flags row, or None
    leads: dict[str, str],
    drafts: dict[str, int],
    today: date,
) -> CaseloadRow:
    open_concerns = flags.open_concerns if flags is not None else 0
    level = flags.highest_open_level if flags is not None and open_concerns else None
    seen = flags.last_seen_at if flags is not None else None
    return CaseloadRow(
        id=c.id,
        name=f"{c.given_name} {c.family_name}",
        date_of_birth=c.date_of_birth,
        expected_date=c.expected_date,
        age=wording.age_at(c.date_of_birth, c.expected_date, today),
        nhs_number=c.nhs_number,
        open_concerns=open_concerns,
        highest_open_level=ConcernLevel(level) if level is not None else None,
        lead_professional=leads.get(c.id),
        last_seen=uk_date(seen) if seen is not None else None,
        drafts=drafts.get(c.id, 0),
        known_as=tuple(dict.fromkeys(n for n in (c.preferred_name, *(c.other_names or ())) if n)),
    )


def child_details(child: Child) -> ChildDetails:
    values = {f.name: getattr(child, f.name) for f in fields(ChildDetails)}
    values["other_names"] = tuple(child.other_names or ())
    return ChildDetails(**values)


PersonRow = TypeVar("PersonRow", HouseholdRow, ProfessionalRow)


def _people(row_type: type[PersonRow], rows: Iterable[Any]) -> tuple[PersonRow, ...]:
    """A person linked to the child, each field read by name from the repository's row."""
    names = [f.name for f in fields(row_type)]
    return tuple(row_type(**{name: getattr(row, name) for name in names}) for row in rows)


def household_rows(session: Session, child_id: str) -> tuple[HouseholdRow, ...]:
    """The child's household, those living with the child first, then by name."""
    return _people(HouseholdRow, HouseholdRepository(session).rows_for([child_id]))


def professional_rows(session: Session, child_id: str) -> tuple[ProfessionalRow, ...]:
    """The professionals involved with the child, the lead first, then by name."""
    return _people(ProfessionalRow, ProfessionalRepository(session).rows_for([child_id]))


def overview(ws: Workspace, child_id: str) -> ChildOverview:
    today = _today()
    with ws.unit_of_work() as session:
        child = ChildRepository(session).fetch(child_id)
        statuses = ConcernRepository(session).statuses_now(child_id)
        open_ids = {cid for cid, status in statuses.items() if status is not ConcernStatus.CLOSED}
        concerns = [row for row in _concern_rows(session, child_id, statuses) if row.id in open_ids]
        visits = VisitRepository(session)
        completed = visits.completed_contact_types(child_id)
        return ChildOverview(
            id=child.id,
            details=child_details(child),
            age=wording.age_at(child.date_of_birth, child.expected_date, today),
            household=household_rows(session, child_id),
            professionals=professional_rows(session, child_id),
            open_concerns=tuple(concerns),
            next_contact=next_contact(
                child.date_of_birth,
                child.expected_date,
                {ContactType(c) for c in completed if c is not None},
                today,
            ),
            last_seen=visits.last_seen(child_id).get(child_id),
        )


def _entry_row(
    row: Any, kind: str, amended: set[str], what: str, summary: str, **extra: Any
) -> EntryRow:
    return EntryRow(
        kind=kind,
        id=row.id,
        status=EntryStatus(row.status),
        occurred_at=row.occurred_at,
        time_known=row.time_known,
        recorded_at=row.recorded_at,
        recorded_at_known=row.recorded_at_known,
        late=is_late_entry(
            row.occurred_at,
            row.recorded_at,
            time_known=row.time_known,
            recorded_at_known=row.recorded_at_known,
        ),
        amended=row.id in amended,
        author=signature(
            row.author_name, row.author_role, row.author_agency, known=row.author_known
        ),
        imported=imported_note(row.imported_by, row.imported_at, row.imported_from),
        what=what,
        summary=summary,
        **extra,
    )


def _label(value: Any) -> str:
    return value_label(value)


def _visit_rows(session: Session, child_id: str) -> list[EntryRow]:
    rows = VisitRepository(session).rows_for_child(child_id, newest_first=True)
    amended = AmendmentRepository(session).amended_ids(RecordKind.VISIT, [r.id for r in rows])
    result = []
    for v in rows:
        what = wording.VISIT_KIND_LABEL[v.kind]
        if v.contact_type is not None:
            what += f" ({wording.CONTACT_LABEL[v.contact_type]})"
        summary = wording.visit_text(
            v.kind, None, v.outcome, v.child_seen, v.child_seen_alone, None
        ).split(": ", 1)[1]
        result.append(
            _entry_row(v, RecordKind.VISIT, amended, what, summary, child_words=v.child_voice)
        )
    return result


def _observation_rows(session: Session, child_id: str) -> list[EntryRow]:
    rows = ObservationRepository(session).rows_for_child(child_id, newest_first=True)
    amended = AmendmentRepository(session).amended_ids(RecordKind.OBSERVATION, [r.id for r in rows])
    return [
        _entry_row(
            o,
            RecordKind.OBSERVATION,
            amended,
            _label(o.category) + (" (significant)" if o.significant else ""),
            o.text,
        )
        for o in rows
    ]


def _concern_rows(
    session: Session, child_id: str, statuses: dict[str, ConcernStatus]
) -> list[EntryRow]:
    rows = ConcernRepository(session).rows_for_child(child_id, newest_first=True)
    amended = AmendmentRepository(session).amended_ids(RecordKind.CONCERN, [r.id for r in rows])
    return [
        _entry_row(
            c,
            RecordKind.CONCERN,
            amended,
            f"{_label(c.category)}, {c.level.value}",
            c.summary,
            concern_status=statuses.get(c.id, c.concern_status),
        )
        for c in rows
    ]


def entries(ws: Workspace, child_id: str, kind: str) -> list[EntryRow]:
    """A child's visits, observations or concerns, newest first, drafts included."""
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        if kind == RecordKind.VISIT:
            return _visit_rows(session, child_id)
        if kind == RecordKind.OBSERVATION:
            return _observation_rows(session, child_id)
        if kind == RecordKind.CONCERN:
            return _concern_rows(
                session, child_id, ConcernRepository(session).statuses_now(child_id)
            )
    raise ValueError(f"no entry list for {kind!r}")


def visit_entries(ws: Workspace, visit_id: str) -> tuple[list[str], list[str]]:
    """The observations and concerns recorded at a visit: (observation ids, concern ids)."""
    with ws.unit_of_work() as session:
        return VisitRepository(session).recorded_at(visit_id)
