"""The facts the alert rules read (domain/alerts.py), for one child or the whole caseload at once.

Drafts count: an injury saved as a draft is as real as a final one. Reading is done table by table
for every child at once, so the whole caseload costs a handful of queries, not a handful per child.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select, true
from sqlalchemy.orm import Session

from practitioner_app.domain import alerts as rules
from practitioner_app.domain.body_marks import MarkKind
from practitioner_app.domain.enums import ConcernStatus, EntryStatus
from practitioner_app.domain.growth.ages import gestation_of
from practitioner_app.domain.growth.chart import Measurement
from practitioner_app.domain.times import uk_date
from practitioner_app.store import entries as e
from practitioner_app.store.people import Child, Professional
from practitioner_app.store.repositories.linked_people import (
    HouseholdRepository,
    ProfessionalRepository,
)


@dataclass(frozen=True)
class LinkedProfessional:
    """A professional involved with the child, their agency as written (the rules want it
    normalised, which is the service's business)."""

    id: str
    agency: str
    lead: bool
    from_date: date | None
    to_date: date | None


@dataclass
class RecordedFacts:
    """What the vault holds about one child that the rules read; dated facts in time order."""

    child: rules.ChildFacts
    visits: list[rules.VisitFact] = field(default_factory=list)
    observations: list[rules.ObservationFact] = field(default_factory=list)
    concerns: list[rules.ConcernFact] = field(default_factory=list)
    events: list[rules.EventFact] = field(default_factory=list)
    referrals: list[rules.ReferralFact] = field(default_factory=list)
    household: list[rules.HouseholdFact] = field(default_factory=list)
    professionals: list[LinkedProfessional] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    injury_marks: list[rules.InjuryMarkFact] = field(default_factory=list)


def _in(column: Any, ids: list[str] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(ids)


def _fact_query(fact: type[Any], child_id: Any, **columns: Any) -> Select[Any]:
    """The child's id, then a column for each of the fact's fields, named by the field.

    Tens of thousands of facts are read at unlock, and a row read by position costs a tenth of
    one read by name; so the query is built from the fact's own field names, and checked to hold
    them all in the fact's order, which makes `fact(*row[1:])` safe."""
    fields = [f.name for f in dataclasses.fields(fact)]
    if list(columns) != fields:
        raise TypeError(f"{fact.__name__} needs the columns {fields}, in that order")
    return select(child_id.label("child_id"), *(c.label(n) for n, c in columns.items()))


def _by_time(facts: list[Any]) -> None:
    facts.sort(key=lambda fact: fact.at)


class AlertFactsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_children(self, child_ids: list[str] | None = None) -> dict[str, RecordedFacts]:
        """Each child's facts by child id (every child's when `child_ids` is None)."""
        found = {
            row.id: RecordedFacts(
                rules.ChildFacts(
                    id=row.id,
                    date_of_birth=row.date_of_birth,
                    expected_date=row.expected_date,
                    non_mobile=row.non_mobile,
                    sex=row.sex,
                    gestation=gestation_of(row.gestation_weeks, row.gestation_days),
                    non_mobile_from=row.non_mobile_from,
                    mobile_since=row.mobile_since,
                )
            )
            for row in self.session.execute(
                select(
                    Child.id,
                    Child.date_of_birth,
                    Child.expected_date,
                    Child.non_mobile,
                    Child.sex,
                    Child.gestation_weeks,
                    Child.gestation_days,
                    Child.non_mobile_from,
                    Child.mobile_since,
                ).where(_in(Child.id, child_ids))
            )
        }
        ids = list(found) if child_ids is not None else None
        self._visits(found, ids)
        self._observations(found, ids)
        self._injury_marks(found, ids)
        self._weights(found, ids)
        self._concerns(found, ids)
        self._events(found, ids)
        self._referrals(found, ids)
        self._household(found, ids)
        self._professionals(found, ids)
        for facts in found.values():
            for dated in (
                facts.visits,
                facts.observations,
                facts.concerns,
                facts.events,
                facts.referrals,
                facts.injury_marks,
            ):
                _by_time(dated)
        return found

    def _collect(
        self,
        found: dict[str, RecordedFacts],
        into: Callable[[RecordedFacts], list[Any]],
        query: Select[Any],
        fact: Callable[..., Any],
    ) -> None:
        """Append a fact per row of a `_fact_query` to the list `into` picks from its child's."""
        for row in self.session.execute(query):
            facts = found.get(row[0])  # the child's id, first by construction
            if facts is not None:
                into(facts).append(fact(*row[1:]))

    def _visits(self, found: dict[str, RecordedFacts], ids: list[str] | None) -> None:
        v, link = e.Visit, e.visit_child.c
        query = _fact_query(
            rules.VisitFact,
            link.child_id,
            id=v.id,
            at=v.occurred_at,
            kind=v.kind,
            outcome=v.outcome,
            child_seen=v.child_seen,
            child_seen_alone=v.child_seen_alone,
            contact_type=v.contact_type,
            agency=v.agency,
        ).join_from(e.visit_child, v, v.id == link.visit_id)
        query = query.where(_in(link.child_id, ids))
        self._collect(found, lambda facts: facts.visits, query, rules.VisitFact)

    def _observations(self, found: dict[str, RecordedFacts], ids: list[str] | None) -> None:
        o = e.Observation
        query = _fact_query(
            rules.ObservationFact,
            o.child_id,
            id=o.id,
            at=o.occurred_at,
            category=o.category,
            agency=o.agency,
        ).where(_in(o.child_id, ids))
        self._collect(found, lambda facts: facts.observations, query, rules.ObservationFact)

    def _injury_marks(self, found: dict[str, RecordedFacts], ids: list[str] | None) -> None:
        """Injuries marked on body maps; drafts count, as injury observations do."""
        m = e.BodyMark
        query = _fact_query(
            rules.InjuryMarkFact,
            m.child_id,
            id=m.id,
            at=m.occurred_at,
            observation_id=m.observation_id,
            agency=m.agency,
        ).where(_in(m.child_id, ids), m.mark_kind == MarkKind.INJURY)
        self._collect(found, lambda facts: facts.injury_marks, query, rules.InjuryMarkFact)

    def _weights(self, found: dict[str, RecordedFacts], ids: list[str] | None) -> None:
        """Observations with a weight (FALTERING_GROWTH), each on its UK date; drafts count."""
        o = e.Observation
        query = (
            select(o.child_id, o.id, o.occurred_at, o.weight_kg, o.length_cm, o.status)
            .where(o.weight_kg.is_not(None))
            .where(_in(o.child_id, ids))
        )
        for child_id, id_, at, kg, cm, status in self.session.execute(query):
            facts = found.get(child_id)
            if facts is not None:
                facts.measurements.append(
                    Measurement(id_, uk_date(at), kg, cm, draft=status is EntryStatus.DRAFT)
                )

    def _concerns(self, found: dict[str, RecordedFacts], ids: list[str] | None) -> None:
        c, change = e.Concern, e.ConcernStatusChange
        changes: dict[str, list[tuple[datetime, ConcernStatus]]] = defaultdict(list)
        for step in self.session.execute(
            select(change.concern_id, change.changed_at, change.new_status)
            .join(c, c.id == change.concern_id)
            .where(_in(c.child_id, ids))
            .order_by(change.changed_at, change.recorded_at)
        ):
            changes[step.concern_id].append((step.changed_at, step.new_status))
        query = select(c.child_id, c.id, c.occurred_at, c.agency, c.concern_status, c.closed_at)
        for r in self.session.execute(query.where(_in(c.child_id, ids))):
            if r.child_id in found:
                # The status as first recorded, then every change in time order.
                statuses = rules.concern_statuses(
                    r.occurred_at, r.concern_status, r.closed_at, changes.get(r.id, ())
                )
                found[r.child_id].concerns.append(
                    rules.ConcernFact(id=r.id, at=r.occurred_at, source=r.agency, statuses=statuses)
                )

    def _events(self, found: dict[str, RecordedFacts], ids: list[str] | None) -> None:
        ev = e.ChronologyEvent
        query = _fact_query(
            rules.EventFact,
            ev.child_id,
            id=ev.id,
            at=ev.occurred_at,
            kind=ev.kind,
            agency=ev.agency,
            source_kind=ev.source_kind,
        ).where(_in(ev.child_id, ids))
        self._collect(found, lambda facts: facts.events, query, rules.EventFact)

    def _referrals(self, found: dict[str, RecordedFacts], ids: list[str] | None) -> None:
        # A referral is the MARF; an early help assessment is help by consent, not a referral.
        r, link = e.Referral, e.referral_child.c
        query = (
            _fact_query(
                rules.ReferralFact,
                link.child_id,
                id=r.id,
                at=r.occurred_at,
                agency=r.agency,
                closed_at=r.closed_at,
            )
            .join_from(e.referral_child, r, r.id == link.referral_id)
            .where(_in(link.child_id, ids), r.form == "marf")
        )
        self._collect(found, lambda facts: facts.referrals, query, rules.ReferralFact)

    def _household(self, found: dict[str, RecordedFacts], ids: list[str] | None) -> None:
        for r in HouseholdRepository(self.session).rows_for(ids):
            if r.child_id in found:
                found[r.child_id].household.append(
                    rules.HouseholdFact(
                        id=r.id,
                        name=r.name,
                        date_of_birth=r.date_of_birth,
                        lives_with_child=r.lives_with_child,
                        from_date=r.from_date,
                        to_date=r.to_date,
                        checks=r.checks,
                    )
                )

    def _professionals(self, found: dict[str, RecordedFacts], ids: list[str] | None) -> None:
        for r in ProfessionalRepository(self.session).rows_for(ids):
            if r.child_id in found:
                found[r.child_id].professionals.append(
                    LinkedProfessional(
                        id=r.id,
                        agency=r.agency,
                        lead=r.lead,
                        from_date=r.from_date,
                        to_date=r.to_date,
                    )
                )

    def agency_spellings(self) -> Iterable[str]:
        """Every agency as written somewhere in the vault: concern and event sources, the
        authors' agencies of visits, observations and referrals, and professionals' agencies.
        In this order, so the first spelling of a name is stable."""
        for column in (
            e.Concern.source,
            e.ChronologyEvent.source,
            e.Visit.author_agency,
            e.Observation.author_agency,
            e.Referral.author_agency,
            Professional.agency,
        ):
            yield from (name for name in self.session.scalars(_first_written(column)) if name)


def _first_written(column: Any) -> Select[Any]:
    """Each distinct value of `column`, in the order it was first written (its earliest rowid).
    Grouped, not DISTINCT: both read the column's index alone, but DISTINCT would come out in
    the index's sorted order, not the order written."""
    first: ColumnElement[Any] = func.min(literal_column(f"{column.table.name}.rowid"))
    return select(column).group_by(column).order_by(first)
