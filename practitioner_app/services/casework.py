"""What the desktop app reads: the caseload with its flags, a child's overview, and entry lists.

Read-only, in plain frozen rows, built from a handful of set queries so that 400 children or a child
with thousands of entries load without one query per row.
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.orm import Session

from practitioner_app.domain import chronology as wording
from practitioner_app.domain.contacts import NextContact, next_contact
from practitioner_app.domain.enums import (
    ConcernLevel,
    ConcernStatus,
    ContactType,
    EntryStatus,
    VisitOutcome,
)
from practitioner_app.domain.records import ChildDetails
from practitioner_app.domain.times import is_late_entry, now_utc, uk_date
from practitioner_app.services.workspace import Workspace, fetch
from practitioner_app.store import entries as e
from practitioner_app.store.people import (
    Child,
    HouseholdLink,
    HouseholdMember,
    Professional,
    ProfessionalLink,
)

_LEVEL_RANK = {level: rank for rank, level in enumerate(ConcernLevel)}


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
    status: str
    occurred_at: datetime
    time_known: bool
    recorded_at: datetime
    late: bool
    amended: bool
    author: str
    what: str  # "Home visit (new birth visit)", "Growth", "Neglect, high"
    summary: str  # the outcome, the observation, the concern summary
    concern_status: ConcernStatus | None = None


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


def _current_concern_statuses(
    session: Session, child_id: str | None
) -> list[tuple[str, str, ConcernLevel, str]]:
    """(child_id, concern id, level, status now): the latest status change, else as recorded."""
    latest = (
        select(e.ConcernStatusChange.new_status)
        .where(e.ConcernStatusChange.concern_id == e.Concern.id)
        .order_by(e.ConcernStatusChange.changed_at.desc(), e.ConcernStatusChange.recorded_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = select(
        e.Concern.child_id,
        e.Concern.id,
        e.Concern.level,
        func.coalesce(latest, e.Concern.concern_status).label("status"),
    )
    if child_id is not None:
        query = query.where(e.Concern.child_id == child_id)
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(query)]


def concern_statuses(session: Session, child_id: str) -> dict[str, ConcernStatus]:
    """Each of the child's concerns by id, with its status now."""
    return {
        concern_id: ConcernStatus(status)
        for _, concern_id, _, status in _current_concern_statuses(session, child_id)
    }


def _last_seen(session: Session, child_id: str | None) -> dict[str, date]:
    query = (
        select(e.visit_child.c.child_id, func.max(e.Visit.occurred_at))
        .join(e.Visit, e.Visit.id == e.visit_child.c.visit_id)
        .where(e.Visit.child_seen.is_(True), e.Visit.outcome == VisitOutcome.COMPLETED)
        .group_by(e.visit_child.c.child_id)
    )
    if child_id is not None:
        query = query.where(e.visit_child.c.child_id == child_id)
    seen: dict[str, date] = {}
    for child, moment in session.execute(query):
        seen[child] = uk_date(moment)
    return seen


def _drafts(session: Session) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for model in (e.Observation, e.Concern, e.ChronologyEvent):
        query = (
            select(model.child_id, func.count())
            .where(model.status == EntryStatus.DRAFT)
            .group_by(model.child_id)
        )
        for child, count in session.execute(query):
            counts[child] += count
    # Entries about several children count once for each; a draft referral is a form not sent.
    shared: tuple[tuple[type[e.Entry], Table, str], ...] = (
        (e.Visit, e.visit_child, "visit_id"),
        (e.Referral, e.referral_child, "referral_id"),
    )
    for entry, link, own in shared:
        linked = (
            select(link.c.child_id, func.count())
            .join(entry, entry.id == link.c[own])
            .where(entry.status == EntryStatus.DRAFT)
            .group_by(link.c.child_id)
        )
        for child, count in session.execute(linked):
            counts[child] += count
    return counts


def caseload(ws: Workspace) -> list[CaseloadRow]:
    """Every child, by family name, with the flags a practitioner scans for."""
    today = _today()
    with ws.unit_of_work() as session:
        open_count: dict[str, int] = defaultdict(int)
        highest: dict[str, ConcernLevel] = {}
        for child_id, _, level, status in _current_concern_statuses(session, None):
            if ConcernStatus(status) is ConcernStatus.CLOSED:
                continue
            open_count[child_id] += 1
            if child_id not in highest or _LEVEL_RANK[level] > _LEVEL_RANK[highest[child_id]]:
                highest[child_id] = level
        leads: dict[str, str] = {}
        lead_query = (
            select(ProfessionalLink.child_id, Professional.name, Professional.role)
            .join(Professional, Professional.id == ProfessionalLink.professional_id)
            .where(
                ProfessionalLink.lead.is_(True),
                or_(ProfessionalLink.to_date.is_(None), ProfessionalLink.to_date >= today),
            )
        )
        for child_id, name, role in session.execute(lead_query):
            leads[child_id] = f"{name} ({role})"
        seen = _last_seen(session, None)
        drafts = _drafts(session)
        children = session.execute(
            select(
                Child.id,
                Child.given_name,
                Child.family_name,
                Child.date_of_birth,
                Child.expected_date,
                Child.nhs_number,
            ).order_by(Child.family_name, Child.given_name)
        )
        return [
            CaseloadRow(
                id=c.id,
                name=f"{c.given_name} {c.family_name}",
                date_of_birth=c.date_of_birth,
                expected_date=c.expected_date,
                age=wording.age_at(c.date_of_birth, c.expected_date, today),
                nhs_number=c.nhs_number,
                open_concerns=open_count.get(c.id, 0),
                highest_open_level=highest.get(c.id),
                lead_professional=leads.get(c.id),
                last_seen=seen.get(c.id),
                drafts=drafts.get(c.id, 0),
            )
            for c in children
        ]


def child_details(child: Child) -> ChildDetails:
    values = {f.name: getattr(child, f.name) for f in fields(ChildDetails)}
    values["other_names"] = tuple(child.other_names or ())
    return ChildDetails(**values)


def household_rows(session: Session, child_id: str) -> tuple[HouseholdRow, ...]:
    rows = session.execute(
        select(HouseholdMember, HouseholdLink)
        .join(HouseholdLink, HouseholdLink.member_id == HouseholdMember.id)
        .where(HouseholdLink.child_id == child_id)
        .order_by(HouseholdLink.lives_with_child.desc(), HouseholdMember.name)
    )
    return tuple(
        HouseholdRow(
            id=member.id,
            name=member.name,
            relationship=link.relationship,
            lives_with_child=link.lives_with_child,
            parental_responsibility=link.parental_responsibility,
            date_of_birth=member.date_of_birth,
            from_date=link.from_date,
            to_date=link.to_date,
            checks=member.checks,
            notes=member.notes,
        )
        for member, link in rows
    )


def professional_rows(session: Session, child_id: str) -> tuple[ProfessionalRow, ...]:
    rows = session.execute(
        select(Professional, ProfessionalLink)
        .join(ProfessionalLink, ProfessionalLink.professional_id == Professional.id)
        .where(ProfessionalLink.child_id == child_id)
        .order_by(ProfessionalLink.lead.desc(), Professional.name)
    )
    return tuple(
        ProfessionalRow(
            id=person.id,
            name=person.name,
            role=person.role,
            agency=person.agency,
            phone=person.phone,
            email=person.email,
            lead=link.lead,
            from_date=link.from_date,
            to_date=link.to_date,
        )
        for person, link in rows
    )


def overview(ws: Workspace, child_id: str) -> ChildOverview:
    today = _today()
    with ws.unit_of_work() as session:
        child = fetch(session, Child, child_id, "child")
        statuses = {
            concern_id: ConcernStatus(status)
            for _, concern_id, _, status in _current_concern_statuses(session, child_id)
        }
        open_ids = {cid for cid, status in statuses.items() if status is not ConcernStatus.CLOSED}
        concerns = [row for row in _concern_rows(session, child_id, statuses) if row.id in open_ids]
        completed = set(
            session.scalars(
                select(e.Visit.contact_type)
                .join(e.visit_child, e.visit_child.c.visit_id == e.Visit.id)
                .where(
                    e.visit_child.c.child_id == child_id,
                    e.Visit.outcome == VisitOutcome.COMPLETED,
                    e.Visit.contact_type.is_not(None),
                )
            )
        )
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
            last_seen=_last_seen(session, child_id).get(child_id),
        )


def amended_ids(session: Session, kind: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        found.update(
            session.scalars(
                select(e.Amendment.target_id).where(
                    e.Amendment.target_kind == kind,
                    e.Amendment.target_id.in_(ids[start : start + 500]),
                )
            )
        )
    return found


def _entry_row(
    row: Any, kind: str, amended: set[str], what: str, summary: str, **extra: Any
) -> EntryRow:
    return EntryRow(
        kind=kind,
        id=row.id,
        status=EntryStatus(row.status).value,
        occurred_at=row.occurred_at,
        time_known=row.time_known,
        recorded_at=row.recorded_at,
        late=is_late_entry(row.occurred_at, row.recorded_at, time_known=row.time_known),
        amended=row.id in amended,
        author=f"{row.author_name} ({row.author_role}, {row.author_agency})",
        what=what,
        summary=summary,
        **extra,
    )


def _plain_rows(session: Session, model: Any, where: Any) -> list[Any]:
    query = select(*model.__table__.c).where(where).order_by(model.occurred_at.desc())
    return list(session.execute(query))


def _label(value: Any) -> str:
    return str(value.value if hasattr(value, "value") else value).replace("_", " ").capitalize()


def _visit_rows(session: Session, child_id: str) -> list[EntryRow]:
    mine = select(e.visit_child.c.visit_id).where(e.visit_child.c.child_id == child_id)
    rows = _plain_rows(session, e.Visit, e.Visit.id.in_(mine))
    amended = amended_ids(session, "visit", [r.id for r in rows])
    result = []
    for v in rows:
        what = wording.VISIT_KIND_LABEL[v.kind]
        if v.contact_type is not None:
            what += f" ({wording.CONTACT_LABEL[v.contact_type]})"
        summary = wording.visit_text(
            v.kind, None, v.outcome, v.child_seen, v.child_seen_alone, None
        ).split(": ", 1)[1]
        result.append(_entry_row(v, "visit", amended, what, summary))
    return result


def _observation_rows(session: Session, child_id: str) -> list[EntryRow]:
    rows = _plain_rows(session, e.Observation, e.Observation.child_id == child_id)
    amended = amended_ids(session, "observation", [r.id for r in rows])
    return [
        _entry_row(
            o,
            "observation",
            amended,
            _label(o.category) + (" (significant)" if o.significant else ""),
            o.text,
        )
        for o in rows
    ]


def _concern_rows(
    session: Session, child_id: str, statuses: dict[str, ConcernStatus]
) -> list[EntryRow]:
    rows = _plain_rows(session, e.Concern, e.Concern.child_id == child_id)
    amended = amended_ids(session, "concern", [r.id for r in rows])
    return [
        _entry_row(
            c,
            "concern",
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
        fetch(session, Child, child_id, "child")
        if kind == "visit":
            return _visit_rows(session, child_id)
        if kind == "observation":
            return _observation_rows(session, child_id)
        if kind == "concern":
            statuses = {
                concern_id: ConcernStatus(status)
                for _, concern_id, _, status in _current_concern_statuses(session, child_id)
            }
            return _concern_rows(session, child_id, statuses)
    raise ValueError(f"no entry list for {kind!r}")


def visit_entries(ws: Workspace, visit_id: str) -> tuple[list[str], list[str]]:
    """The observations and concerns recorded at a visit: (observation ids, concern ids)."""
    with ws.unit_of_work() as session:
        observations = list(
            session.scalars(select(e.Observation.id).where(e.Observation.visit_id == visit_id))
        )
        concerns = list(
            session.scalars(
                select(e.concern_visit.c.concern_id).where(
                    and_(e.concern_visit.c.visit_id == visit_id)
                )
            )
        )
        return observations, concerns
