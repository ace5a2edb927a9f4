"""Safeguarding alerts: the facts the rules need, read from the vault, and the rules applied
(domain/alerts/). Prompts to professional judgement, never verdicts; they never block anything.

Drafts count: an injury saved as a draft is as real as a final one, and the critical alert must
show the moment it is saved. Reading is done table by table for every child at once, so the whole
caseload costs a handful of queries, not a handful per child.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from practitioner_app.domain import alerts as rules
from practitioner_app.domain.enums import ConcernStatus
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.gcpause import without_cyclic_gc
from practitioner_app.services.records import normalised_agency
from practitioner_app.services.workspace import Workspace, fetch
from practitioner_app.store import entries as e
from practitioner_app.store.people import (
    Child,
    HouseholdLink,
    HouseholdMember,
    Professional,
    ProfessionalLink,
)


def _in(column: Any, ids: list[str] | None) -> Any:
    return True if ids is None else column.in_(ids)


@dataclass
class _Gathered:
    visits: list[rules.VisitFact] = field(default_factory=list)
    observations: list[rules.ObservationFact] = field(default_factory=list)
    concerns: list[rules.ConcernFact] = field(default_factory=list)
    events: list[rules.EventFact] = field(default_factory=list)
    referrals: list[rules.ReferralFact] = field(default_factory=list)
    household: list[rules.HouseholdFact] = field(default_factory=list)
    professionals: list[rules.ProfessionalFact] = field(default_factory=list)


def load_facts(
    session: Session, own_agency: str | None, child_ids: list[str] | None = None
) -> dict[str, rules.CaseFacts]:
    """Each child's facts (all children when `child_ids` is None)."""
    own = normalised_agency(own_agency)
    children = {
        row.id: rules.ChildFacts(row.id, row.date_of_birth, row.expected_date, row.non_mobile)
        for row in session.execute(
            select(Child.id, Child.date_of_birth, Child.expected_date, Child.non_mobile).where(
                _in(Child.id, child_ids)
            )
        )
    }
    ids = list(children) if child_ids is not None else None
    found: dict[str, _Gathered] = {child_id: _Gathered() for child_id in children}
    shown = _agency_names(session, own_agency)

    for r in session.execute(
        select(
            e.visit_child.c.child_id,
            e.Visit.id,
            e.Visit.occurred_at,
            e.Visit.kind,
            e.Visit.outcome,
            e.Visit.child_seen,
            e.Visit.child_seen_alone,
            e.Visit.contact_type,
            e.Visit.agency,
        )
        .join(e.Visit, e.Visit.id == e.visit_child.c.visit_id)
        .where(_in(e.visit_child.c.child_id, ids))
    ):
        if r[0] in found:
            found[r[0]].visits.append(rules.VisitFact(*r[1:]))
    for r in session.execute(
        select(
            e.Observation.child_id,
            e.Observation.id,
            e.Observation.occurred_at,
            e.Observation.category,
            e.Observation.agency,
        ).where(_in(e.Observation.child_id, ids))
    ):
        if r[0] in found:
            found[r[0]].observations.append(rules.ObservationFact(*r[1:]))

    changes: dict[str, list[tuple[datetime, ConcernStatus]]] = defaultdict(list)
    for concern_id, at, status in session.execute(
        select(
            e.ConcernStatusChange.concern_id,
            e.ConcernStatusChange.changed_at,
            e.ConcernStatusChange.new_status,
        )
        .join(e.Concern, e.Concern.id == e.ConcernStatusChange.concern_id)
        .where(_in(e.Concern.child_id, ids))
        .order_by(e.ConcernStatusChange.changed_at, e.ConcernStatusChange.recorded_at)
    ):
        changes[concern_id].append((at, status))
    for r in session.execute(
        select(
            e.Concern.child_id,
            e.Concern.id,
            e.Concern.occurred_at,
            e.Concern.agency,
            e.Concern.concern_status,
        ).where(_in(e.Concern.child_id, ids))
    ):
        statuses = ((r[2], r[4]), *changes.get(r[1], ()))
        if r[0] in found:
            found[r[0]].concerns.append(rules.ConcernFact(r[1], r[2], r[3], statuses))
    for r in session.execute(
        select(
            e.ChronologyEvent.child_id,
            e.ChronologyEvent.id,
            e.ChronologyEvent.occurred_at,
            e.ChronologyEvent.kind,
            e.ChronologyEvent.agency,
        ).where(_in(e.ChronologyEvent.child_id, ids))
    ):
        if r[0] in found:
            found[r[0]].events.append(rules.EventFact(*r[1:]))
    # A referral is the MARF; an early help assessment is help by consent, not a referral.
    for r in session.execute(
        select(
            e.referral_child.c.child_id,
            e.Referral.id,
            e.Referral.occurred_at,
            e.Referral.agency,
            e.Referral.closed_at,
        )
        .join(e.Referral, e.Referral.id == e.referral_child.c.referral_id)
        .where(_in(e.referral_child.c.child_id, ids), e.Referral.form == "marf")
    ):
        if r[0] in found:
            found[r[0]].referrals.append(rules.ReferralFact(*r[1:]))
    for r in session.execute(
        select(
            HouseholdLink.child_id,
            HouseholdMember.id,
            HouseholdMember.name,
            HouseholdMember.date_of_birth,
            HouseholdLink.lives_with_child,
            HouseholdLink.from_date,
            HouseholdLink.to_date,
            HouseholdMember.checks,
        )
        .join(HouseholdMember, HouseholdMember.id == HouseholdLink.member_id)
        .where(_in(HouseholdLink.child_id, ids))
    ):
        if r[0] in found:
            found[r[0]].household.append(rules.HouseholdFact(*r[1:]))
    for r in session.execute(
        select(
            ProfessionalLink.child_id,
            Professional.id,
            Professional.agency,
            ProfessionalLink.lead,
            ProfessionalLink.from_date,
            ProfessionalLink.to_date,
        )
        .join(Professional, Professional.id == ProfessionalLink.professional_id)
        .where(_in(ProfessionalLink.child_id, ids))
    ):
        if r[0] in found:
            found[r[0]].professionals.append(
                rules.ProfessionalFact(r[1], normalised_agency(r[2]), *r[3:])
            )

    def by_time(fact: Any) -> datetime:
        return fact.at  # type: ignore[no-any-return]

    return {
        child_id: rules.CaseFacts(
            child=child,
            own_agency=own,
            visits=tuple(sorted(found[child_id].visits, key=by_time)),
            observations=tuple(sorted(found[child_id].observations, key=by_time)),
            concerns=tuple(sorted(found[child_id].concerns, key=by_time)),
            events=tuple(sorted(found[child_id].events, key=by_time)),
            referrals=tuple(sorted(found[child_id].referrals, key=by_time)),
            household=tuple(found[child_id].household),
            professionals=tuple(found[child_id].professionals),
            agency_names=shown,
        )
        for child_id, child in children.items()
    }


def _agency_names(session: Session, own_agency: str | None) -> dict[str, str]:
    """Each agency as first spelled in the vault, by its normalised name: records keep the
    normalised name for the rules, and the source or author's agency as written."""
    shown: dict[str, str] = {}
    spelled = [own_agency] if own_agency else []
    for column in (e.Concern.source, e.ChronologyEvent.source):
        spelled += session.scalars(select(column).distinct())
    for model in (e.Visit, e.Observation, e.Referral):
        spelled += session.scalars(select(model.author_agency).distinct())
    spelled += session.scalars(select(Professional.agency).distinct())
    for name in spelled:
        key = normalised_agency(name)
        if key is not None and key not in shown:
            shown[key] = " ".join(name.split())
    return shown


def _today() -> date:
    return uk_date(now_utc())


def for_child(ws: Workspace, child_id: str, as_of: date | None = None) -> list[rules.Alert]:
    """The child's alerts as of a date (default today), worst first."""
    with ws.unit_of_work() as session:
        fetch(session, Child, child_id, "child")
        facts = load_facts(session, ws.profile.agency, [child_id])[child_id]
    return rules.alerts(facts, as_of or _today())


@dataclass(frozen=True)
class Evidence:
    """A record behind an alert, to show and to open."""

    kind: str  # "visit", "observation", "concern", "chronology_event", "referral", "household"
    id: str
    day: date | None


@dataclass(frozen=True)
class ExplainedAlert:
    alert: rules.Alert
    evidence: tuple[Evidence, ...]

    @property
    def title(self) -> str:
        return rules.RULE_TITLES.get(self.alert.rule, self.alert.rule)


def _evidence_index(facts: rules.CaseFacts) -> dict[str, Evidence]:
    index: dict[str, Evidence] = {}
    for kind, dated in (
        ("visit", facts.visits),
        ("observation", facts.observations),
        ("concern", facts.concerns),
        ("chronology_event", facts.events),
        ("referral", facts.referrals),
    ):
        for fact in dated:
            index[fact.id] = Evidence(kind, fact.id, uk_date(fact.at))
    for member in facts.household:
        index[member.id] = Evidence("household", member.id, member.from_date)
    for professional in facts.professionals:
        index[professional.id] = Evidence("professional", professional.id, professional.from_date)
    return index


def explain(ws: Workspace, child_id: str, as_of: date | None = None) -> list[ExplainedAlert]:
    """The child's alerts, each with the kind and date of every record behind it."""
    with ws.unit_of_work() as session:
        fetch(session, Child, child_id, "child")
        facts = load_facts(session, ws.profile.agency, [child_id])[child_id]
    index = _evidence_index(facts)
    return [
        ExplainedAlert(alert, tuple(index[i] for i in alert.evidence if i in index))
        for alert in rules.alerts(facts, as_of or _today())
    ]


def for_caseload(
    ws: Workspace, as_of: date | None = None, child_ids: list[str] | None = None
) -> dict[str, list[rules.Alert]]:
    """Every child's alerts (or these children's) as of a date (default today), by child id. The
    window asks in slices, so the practitioner's own actions are not queued behind 400 children."""
    day = as_of or _today()
    # Tens of thousands of facts at once: without pauses of the collector that freeze the window.
    with without_cyclic_gc():
        with ws.unit_of_work() as session:
            everyone = load_facts(session, ws.profile.agency, child_ids)
        return {child_id: rules.alerts(facts, day) for child_id, facts in everyone.items()}
