"""What every alert rule shares: the facts it reads, the alert it gives, rule names, severities."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from practitioner_app.domain.enums import (
    ConcernStatus,
    ContactType,
    EventKind,
    ObservationCategory,
    Sex,
    SourceKind,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.growth.ages import Gestation
from practitioner_app.domain.growth.chart import Measurement
from practitioner_app.domain.times import uk_date
from practitioner_app.domain.windows import Dated, normalise_agency


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


# Higher is worse.
SEVERITY_RANK: dict[Severity, int] = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}

RULES: tuple[str, ...] = (
    "NON_MOBILE_INJURY",
    "REPEAT_INJURY",
    "WAS_NOT_BROUGHT",
    "NOT_SEEN",
    "NOT_SEEN_ALONE",
    "MULTI_AGENCY_NO_LEAD",
    "CONCERN_CLUSTER",
    "NEW_ADULT",
    "START_AGAIN",
    "FALTERING_GROWTH",
    "MANDATED_CONTACT_OVERDUE",
)

# What each rule is called on screen and in print.
RULE_TITLES: dict[str, str] = {
    "NON_MOBILE_INJURY": "Injury to a non-mobile child",
    "REPEAT_INJURY": "Repeated injuries or hospital attendances",
    "WAS_NOT_BROUGHT": "Missed contacts",
    "NOT_SEEN": "Child not seen",
    "NOT_SEEN_ALONE": "Child not seen alone",
    "MULTI_AGENCY_NO_LEAD": "Several agencies, no lead professional",
    "CONCERN_CLUSTER": "Concerns clustering",
    "NEW_ADULT": "New adult in the household",
    "START_AGAIN": "Re-referral after earlier closures",
    "FALTERING_GROWTH": "Faltering growth",
    "MANDATED_CONTACT_OVERDUE": "Mandated contact overdue",
}


# --- the facts the rules read (filled from the vault by the service) ---------------------------


@dataclass(frozen=True)
class ChildFacts:
    id: str
    date_of_birth: date | None
    expected_date: date | None
    non_mobile: bool  # marked non-mobile on the record
    sex: Sex = Sex.UNKNOWN  # UK-WHO has a chart for each of male and female
    gestation: Gestation | None = None  # at birth; corrects the age of a premature baby
    # The marked non-mobile period: from (None: from birth) until the day before mobile_since
    # (None: still non-mobile). An injury is judged by the child's mobility on its own date.
    non_mobile_from: date | None = None
    mobile_since: date | None = None


@dataclass(frozen=True)
class VisitFact:
    id: str
    at: datetime  # occurred_at, timezone-aware UTC; rules compare UK calendar dates
    kind: VisitKind
    outcome: VisitOutcome
    child_seen: bool | None
    child_seen_alone: bool | None
    contact_type: ContactType | None
    agency: str | None  # normalised (trimmed, case-folded) source agency, or None


@dataclass(frozen=True)
class ObservationFact:
    id: str
    at: datetime
    category: ObservationCategory
    agency: str | None


@dataclass(frozen=True)
class InjuryMarkFact:
    """An injury marked on a body map: the occasion (observation) it was seen at, so that marks
    of one occasion count as one injury where injuries are counted."""

    id: str
    at: datetime
    observation_id: str
    agency: str | None


@dataclass(frozen=True)
class ConcernFact:
    id: str
    at: datetime  # when raised
    source: str | None  # normalised source agency
    statuses: tuple[tuple[datetime, ConcernStatus], ...]  # in time order; first = as raised

    def status_on(self, day: date) -> ConcernStatus | None:
        """The status at the end of a UK day; None before the concern was raised. The first status
        applies from the day it was raised; on a day with several changes the last one holds."""
        if day < uk_date(self.at):
            return None
        status = self.statuses[0][1] if self.statuses else None
        for moment, value in self.statuses:
            if uk_date(moment) <= day:
                status = value
        return status

    def closed_at(self) -> datetime | None:
        """When the concern was first closed, from its status history; None if never."""
        return next((m for m, s in self.statuses if s is ConcernStatus.CLOSED), None)


def concern_statuses(
    raised_at: datetime,
    status: ConcernStatus,
    closed_at: datetime | None,
    changes: Sequence[tuple[datetime, ConcernStatus]] = (),
) -> tuple[tuple[datetime, ConcernStatus], ...]:
    """A concern's status history from its record (status as first recorded, and the closing date
    it may carry) and its status changes. A concern recorded as closed on a later date than it was
    raised (imported before imports wrote its closing as a change) was open until then."""
    first: tuple[tuple[datetime, ConcernStatus], ...]
    if status is ConcernStatus.CLOSED and closed_at is not None and closed_at > raised_at:
        first = ((raised_at, ConcernStatus.OPEN), (closed_at, ConcernStatus.CLOSED))
    else:
        first = ((raised_at, status),)
    # Stable: at the same moment, the record's own statuses come before any change.
    return tuple(sorted((*first, *changes), key=lambda step: step[0]))


@dataclass(frozen=True)
class EventFact:
    id: str
    at: datetime
    kind: EventKind
    agency: str | None
    source_kind: SourceKind | None = None  # None: not said (a bundle of format 1, say)


@dataclass(frozen=True)
class ReferralFact:
    id: str
    at: datetime
    agency: str | None
    closed_at: datetime | None


@dataclass(frozen=True)
class HouseholdFact:
    id: str
    name: str
    date_of_birth: date | None
    lives_with_child: bool
    from_date: date | None
    to_date: date | None
    checks: str | None


@dataclass(frozen=True)
class ProfessionalFact:
    id: str
    agency: str | None
    lead: bool
    from_date: date | None
    to_date: date | None


@dataclass(frozen=True)
class CaseFacts:
    child: ChildFacts
    own_agency: str | None  # the vault practitioner's agency: used where a record has none
    visits: tuple[VisitFact, ...] = ()
    observations: tuple[ObservationFact, ...] = ()
    concerns: tuple[ConcernFact, ...] = ()
    events: tuple[EventFact, ...] = ()
    referrals: tuple[ReferralFact, ...] = ()
    household: tuple[HouseholdFact, ...] = ()
    professionals: tuple[ProfessionalFact, ...] = ()
    # Injuries marked on body maps (marks of kind injury), drafts included.
    injury_marks: tuple[InjuryMarkFact, ...] = ()
    # Growth measurements of the child's observations (FALTERING_GROWTH), each on its UK date.
    measurements: tuple[Measurement, ...] = ()
    # How each agency is spelled for people (normalised name → "Northshire Police"); agencies
    # compare normalised, but a message should name them as the practitioner wrote them.
    agency_names: Mapping[str, str] = field(default_factory=dict)
    # Names the practitioner said are one agency ("haringey ss" → "haringey social services"),
    # normalised on both sides (DOMAIN.md: aliases kept in the vault).
    aliases: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Alert:
    rule: str
    severity: Severity
    message: str  # one line, with dd/mm/yyyy dates and counts; prompts judgement, never a verdict
    evidence: tuple[str, ...]  # ids of the records that caused it, in time order
    first_at: date  # UK date of the earliest evidence
    last_at: date  # UK date of the latest evidence
    next_steps: tuple[str, ...] = ()


# --- helpers ------------------------------------------------------------------------------------


# DOMAIN.md: "'Agency' for MULTI_AGENCY_NO_LEAD means a professional source (health, social care,
# police, education, voluntary); relatives, neighbours and anonymous callers are sources, not
# agencies."
PROFESSIONAL_SOURCES = frozenset(
    {
        SourceKind.HEALTH,
        SourceKind.SOCIAL_CARE,
        SourceKind.POLICE,
        SourceKind.EDUCATION,
        SourceKind.VOLUNTARY,
    }
)
# A source named without its kind (a concern's source is typed freely) is a person, not an
# agency, when it names one of these: family, neighbours, the public, an anonymous caller.
NOT_AN_AGENCY = (
    "anonymous",
    "neighbour",
    "neighbor",
    "member of the public",
    "caller",
    "mother",
    "father",
    "parent",
    "grandmother",
    "grandfather",
    "grandparent",
    "aunt",
    "uncle",
    "sister",
    "brother",
    "sibling",
    "cousin",
    "relative",
    "family",
    "friend",
)


def is_agency(name: str | None, kind: SourceKind | None = None) -> bool:
    """Whether a record's source is an agency: by its kind when recorded, else by its name
    ("Maternal grandmother", "X (anonymous caller)" are not). Words match whole, so "Brotherton
    School" stays an agency."""
    if kind is not None:
        return kind in PROFESSIONAL_SOURCES
    words = re.findall(r"[a-z]+", (name or "").casefold())
    text = " ".join(words)
    return not any(term in words or (" " in term and term in text) for term in NOT_AN_AGENCY)


def agency_of(facts: CaseFacts, agency: str | None) -> str | None:
    """A record without an agency is the practitioner's own (None when that is unknown too); an
    alias counts as the agency it was merged into."""
    found = normalise_agency(agency) or normalise_agency(facts.own_agency)
    return None if found is None else facts.aliases.get(found, found)


def alert_citing(rule: str, severity: Severity, message: str, items: Sequence[Dated]) -> Alert:
    """An alert citing dated records (in time order)."""
    return Alert(rule, severity, message, tuple(i.id for i in items), items[0].day, items[-1].day)
