"""Safeguarding alerts: the rules (domain/alerts/) applied to the facts the vault holds.

Prompts to professional judgement, never verdicts; they never block anything. The facts are read
by store/repositories/alert_facts.py, drafts included (an injury saved as a draft must raise the
critical alert the moment it is saved), in a handful of queries for the whole caseload.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain

from sqlalchemy.orm import Session

from practitioner_app.domain import alerts as rules
from practitioner_app.domain.alerts.reviews import AlertReview, current_review
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.gcpause import without_cyclic_gc
from practitioner_app.services.records import normalised_agency
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import audit, bulk_sqlite
from practitioner_app.store.repositories.agency_aliases import AgencyAliasRepository
from practitioner_app.store.repositories.alert_facts import AlertFactsRepository
from practitioner_app.store.repositories.alert_reviews import AlertReviewRepository
from practitioner_app.store.repositories.children import ChildRepository


def load_facts(
    session: Session,
    own_agency: str | None,
    child_ids: list[str] | None = None,
    *,
    shown: dict[str, str] | None = None,
) -> dict[str, rules.CaseFacts]:
    """Each child's facts (all children when `child_ids` is None). `shown`: each agency as
    first spelled in the vault (`agency_names`), read from the whole vault when not given."""
    own = normalised_agency(own_agency)
    repository = AlertFactsRepository(session)
    aliases = AgencyAliasRepository(session).mapping()
    recorded = repository.for_children(child_ids)
    if shown is None:
        shown = _agency_names([own_agency] if own_agency else [], repository.agency_spellings())
    return {
        child_id: rules.CaseFacts(
            child=facts.child,
            own_agency=own,
            visits=tuple(facts.visits),
            observations=tuple(facts.observations),
            concerns=tuple(facts.concerns),
            events=tuple(facts.events),
            referrals=tuple(facts.referrals),
            household=tuple(facts.household),
            professionals=tuple(
                rules.ProfessionalFact(
                    id=p.id,
                    agency=normalised_agency(p.agency),
                    lead=p.lead,
                    from_date=p.from_date,
                    to_date=p.to_date,
                )
                for p in facts.professionals
            ),
            agency_names=shown,
            measurements=tuple(facts.measurements),
            injury_marks=tuple(facts.injury_marks),
            aliases=aliases,
        )
        for child_id, facts in recorded.items()
    }


def _agency_names(*spellings: Iterable[str]) -> dict[str, str]:
    """Each agency as first spelled in the vault, by its normalised name: records keep the
    normalised name for the rules, and the source or author's agency as written."""
    shown: dict[str, str] = {}
    for name in chain(*spellings):
        key = normalised_agency(name)
        if key is not None and key not in shown:
            shown[key] = " ".join(name.split())
    return shown


def agency_names(ws: Workspace, session: Session) -> dict[str, str]:
    """Each agency as first spelled in the vault (the practitioner's own first), by its
    normalised name.

    Reading every spelling scans six columns of the whole vault, which made one child's alerts,
    and each slice of the caseload's, cost as much as the vault is large (issue 19: opening a
    child took 1.6 s at 4,000 children). So the names are kept on the workspace until the audit
    chain's head moves, which it does with every change written to the vault, by this app or
    any other process (ARCHITECTURE.md: every change is in the audit chain)."""
    stamp = audit.head(session)
    if ws.agency_names is None or ws.agency_names[0] != stamp:
        own = ws.profile.agency
        spellings = AlertFactsRepository(session).agency_spellings()
        ws.agency_names = (stamp, _agency_names([own] if own else [], spellings))
    return ws.agency_names[1]


def _today() -> date:
    return uk_date(now_utc())


def for_child(ws: Workspace, child_id: str, as_of: date | None = None) -> list[rules.Alert]:
    """The child's alerts as of a date (default today), worst first."""
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        shown = agency_names(ws, session)
        facts = load_facts(session, ws.profile.agency, [child_id], shown=shown)[child_id]
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
    # The practitioner's review that answers the alert as it now stands; None: not reviewed, or
    # raised again by evidence the review did not see.
    review: AlertReview | None = None

    @property
    def title(self) -> str:
        return rules.RULE_TITLES.get(self.alert.rule, self.alert.rule)


def _evidence_index(facts: rules.CaseFacts) -> dict[str, Evidence]:
    index: dict[str, Evidence] = {}
    for kind, dated in (
        (RecordKind.VISIT, facts.visits),
        (RecordKind.OBSERVATION, facts.observations),
        (RecordKind.CONCERN, facts.concerns),
        (RecordKind.CHRONOLOGY_EVENT, facts.events),
        (RecordKind.REFERRAL, facts.referrals),
        (RecordKind.BODY_MARK, facts.injury_marks),
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
        ChildRepository(session).fetch(child_id)
        shown = agency_names(ws, session)
        facts = load_facts(session, ws.profile.agency, [child_id], shown=shown)[child_id]
        reviews = AlertReviewRepository(session).for_children([child_id]).get(child_id, [])
    index = _evidence_index(facts)
    return [
        ExplainedAlert(
            alert,
            tuple(index[i] for i in alert.evidence if i in index),
            current_review(alert, reviews),
        )
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
            bulk_sqlite.use_page_cache(session, bulk_sqlite.SCAN_PAGE_CACHE_MIB)
            shown = agency_names(ws, session)
            everyone = load_facts(session, ws.profile.agency, child_ids, shown=shown)
        return {child_id: rules.alerts(facts, day) for child_id, facts in everyone.items()}
