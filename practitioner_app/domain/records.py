"""What a practitioner enters for each record, and the rules each must meet before it is stored.

These are plain frozen dataclasses: the services validate them and store their fields under the same
names as the database columns.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from practitioner_app.domain import nhs_number
from practitioner_app.domain.entered_text import (
    NAME_LIMIT,
    check_line,
    check_lines,
    check_names,
)
from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    Consent,
    ContactType,
    EventKind,
    ObservationCategory,
    Sex,
    Significance,
    SourceKind,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.growth.ages import check_gestation
from practitioner_app.domain.times import format_uk_date


def _required(value: str | None, what: str, field: str) -> None:
    if value is None or not value.strip():
        raise InvalidInput(f"{what} is required; fill it in and save again.", field)


def _order(
    start: date | datetime | None, end: date | datetime | None, what: str, field: str
) -> None:
    if start is not None and end is not None and end < start:
        raise InvalidInput(f"{what} ends before it starts; check the dates.", field)


# A laptop clock can run a little fast; beyond this, a "future" entry is a mistyped date.
FUTURE_TOLERANCE = timedelta(minutes=5)


def check_not_in_future(occurred_at: datetime, now: datetime, what: str) -> None:
    """Entries record what has happened; a future date is a slip of the keyboard."""
    if occurred_at > now + FUTURE_TOLERANCE:
        raise InvalidInput(
            f"The {what} is dated in the future; check the date and time.", "occurred_at"
        )


def non_mobile_on(marked: bool, since: date | None, mobile_since: date | None, day: date) -> bool:
    """Whether a child marked non-mobile was non-mobile on `day`: from `since` (or always, when
    not given) until the day before `mobile_since` (or still, when not given). Babies become
    mobile, so an injury is judged by the child's mobility on its own date (DOMAIN.md,
    NON_MOBILE_INJURY: "non-mobile at that time")."""
    if not marked:
        return False
    if since is not None and day < since:
        return False
    return mobile_since is None or day < mobile_since


@dataclass(frozen=True)
class ChildDetails:
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    expected_date: date | None = None  # an unborn child
    other_names: tuple[str, ...] = ()  # aliases, previous names, names used elsewhere
    preferred_name: str | None = None
    sex: Sex = Sex.UNKNOWN
    nhs_number: str | None = None
    ethnicity: str | None = None
    first_language: str | None = None
    interpreter_needed: bool | None = None
    # How the child communicates best: "BSL", "Makaton", "picture cards", "Polish at home".
    communication: str | None = None
    religion: str | None = None
    disability: str | None = None
    address: str | None = None
    postcode: str | None = None
    gp: str | None = None
    school: str | None = None
    # Marked non-mobile (cannot crawl, cruise or walk), for the period from `non_mobile_from`
    # (None: from birth) until the day before `mobile_since` (None: still non-mobile).
    non_mobile: bool = False
    non_mobile_from: date | None = None
    mobile_since: date | None = None
    # Gestation at birth (32+3 is 32 weeks, 3 days): corrects a premature baby's age on the
    # growth chart (DOMAIN.md). None when not recorded; the chart then uses chronological age.
    gestation_weeks: int | None = None
    gestation_days: int | None = None

    def non_mobile_on(self, day: date) -> bool:
        """Marked non-mobile on `day` (the under-6-months rule is the alert's, not this)."""
        return non_mobile_on(self.non_mobile, self.non_mobile_from, self.mobile_since, day)

    def mobility(self, today: date) -> str | None:
        """The non-mobile marker in words with its dates, as a referral or chronology prints
        it: "Non-mobile (cannot crawl, cruise or walk) since 01/02/2026", "Was non-mobile from
        01/02/2026; mobile since 14/05/2026". None when never marked non-mobile."""
        if not self.non_mobile:
            return None
        start = self.non_mobile_from
        if self.mobile_since is not None and self.mobile_since <= today:
            was = f" from {format_uk_date(start)}" if start else ""
            return f"Was non-mobile{was}; mobile since {format_uk_date(self.mobile_since)}"
        since = f" since {format_uk_date(start)}" if start else ""
        return f"Non-mobile (cannot crawl, cruise or walk){since}"

    def validate(self, today: date) -> None:
        _required(self.given_name, "The child's given name", "given_name")
        _required(self.family_name, "The child's family name", "family_name")
        for value, label, name in (
            (self.given_name, "The given name", "given_name"),
            (self.family_name, "The family name", "family_name"),
            (self.preferred_name, "The preferred name", "preferred_name"),
        ):
            check_line(value, label, name, NAME_LIMIT)
        check_names(self.other_names, "Other names", "other_names")
        for value, label, name in (
            (self.ethnicity, "Ethnicity", "ethnicity"),
            (self.first_language, "First language", "first_language"),
            (self.communication, "Preferred way of communicating", "communication"),
            (self.religion, "Religion", "religion"),
            (self.disability, "Disability", "disability"),
            (self.postcode, "Postcode", "postcode"),
            (self.gp, "GP", "gp"),
            (self.school, "School or setting", "school"),
        ):
            check_line(value, label, name)
        check_lines(self.address, "The address", "address")
        if self.date_of_birth is None and self.expected_date is None:
            raise InvalidInput(
                "A child needs a date of birth, or an expected date of delivery if not yet born.",
                "date_of_birth",
            )
        if self.date_of_birth is not None and self.date_of_birth > today:
            raise InvalidInput(
                "The date of birth is in the future; for an unborn child give the expected date instead.",
                "date_of_birth",
            )
        if self.nhs_number:
            nhs_number.normalise(self.nhs_number)
        check_gestation(self.gestation_weeks, self.gestation_days)
        self._check_mobility(today)

    def _check_mobility(self, today: date) -> None:
        """The non-mobile period: dated only when marked, within the child's life so far, and
        ending after it starts."""
        dated = [
            (value, label, name)
            for value, label, name in (
                (self.non_mobile_from, "'Non-mobile from'", "non_mobile_from"),
                (self.mobile_since, "'Mobile since'", "mobile_since"),
            )
            if value is not None
        ]
        if not dated:
            return
        if not self.non_mobile:
            raise InvalidInput(
                "Non-mobile dates are given but the child is not marked non-mobile; tick "
                "'Non-mobile' or clear the dates.",
                dated[0][2],
            )
        for value, label, name in dated:
            if self.date_of_birth is None:
                raise InvalidInput(
                    f"{label} is given for a child not yet born; add it after the birth.", name
                )
            if value < self.date_of_birth:
                raise InvalidInput(f"{label} is before the date of birth; check the date.", name)
            if value > today:
                raise InvalidInput(
                    f"{label} is in the future; record it once it has happened.", name
                )
        if (
            self.non_mobile_from is not None
            and self.mobile_since is not None
            and self.mobile_since <= self.non_mobile_from
        ):
            raise InvalidInput(
                "'Mobile since' is on or before 'Non-mobile from': the non-mobile time ends "
                "before it starts; check the dates.",
                "mobile_since",
            )


@dataclass(frozen=True)
class HouseholdMemberDetails:
    """Someone in the child's household or network: composition changes, so from/to dates."""

    name: str
    relationship: str
    lives_with_child: bool
    parental_responsibility: bool | None = None
    date_of_birth: date | None = None
    from_date: date | None = None
    to_date: date | None = None
    checks: str | None = None
    notes: str | None = None
    # How to reach them: the family's phone numbers and addresses go on a referral (MARF).
    phone: str | None = None
    address: str | None = None

    def validate(self) -> None:
        _required(self.name, "The person's name", "name")
        _required(self.relationship, "Their relationship to the child", "relationship")
        check_line(self.name, "The person's name", "name", NAME_LIMIT)
        check_line(self.relationship, "Their relationship to the child", "relationship")
        check_line(self.phone, "Their phone numbers", "phone")
        check_lines(self.address, "Their address", "address")
        _order(self.from_date, self.to_date, "The time in the household", "to_date")


@dataclass(frozen=True)
class ProfessionalDetails:
    name: str
    role: str
    agency: str
    phone: str | None = None
    email: str | None = None
    lead: bool = False
    from_date: date | None = None
    to_date: date | None = None

    def validate(self) -> None:
        _required(self.name, "The professional's name", "name")
        _required(self.role, "The professional's role", "role")
        _required(self.agency, "The professional's agency", "agency")
        _order(self.from_date, self.to_date, "The involvement", "to_date")


@dataclass(frozen=True)
class VisitDetails:
    child_ids: tuple[str, ...]
    occurred_at: datetime
    kind: VisitKind
    outcome: VisitOutcome
    contact_type: ContactType | None = None
    planned: bool | None = None
    child_seen: bool | None = None
    child_seen_alone: bool | None = None
    present: tuple[str, ...] = ()
    child_voice: str | None = None
    notes: str | None = None

    def validate(self) -> None:
        if not self.child_ids:
            raise InvalidInput(
                "A visit must be about at least one child; choose the child.", "child_ids"
            )
        if self.child_seen_alone and self.child_seen is False:
            raise InvalidInput(
                "A child cannot be seen alone without being seen; check 'child seen'.",
                "child_seen_alone",
            )
        if self.outcome is not VisitOutcome.COMPLETED and self.child_seen:
            raise InvalidInput(
                "The child cannot have been seen at a visit that did not happen; "
                "check the outcome or 'child seen'.",
                "child_seen",
            )


@dataclass(frozen=True)
class InjuryDetails:
    body_regions: tuple[str, ...]
    description: str | None = None
    explanation_given: str | None = None
    consistent_with_explanation: bool | None = None

    def validate(self) -> None:
        if not self.body_regions or not all(region.strip() for region in self.body_regions):
            raise InvalidInput(
                "An injury needs at least one body region; mark where it is.", "body_regions"
            )


# Plausible ranges from birth to adulthood; outside them a decimal point has slipped.
_MEASUREMENT_RANGES = {
    "weight_kg": (0.2, 250.0, "Weight (kg)"),
    "length_cm": (20.0, 250.0, "Length or height (cm)"),
    "head_circumference_cm": (15.0, 70.0, "Head circumference (cm)"),
}


def measurement_problem(name: str, value: float) -> str | None:
    """The sentence refusing a measurement no child can have (weight_kg, length_cm,
    head_circumference_cm), or None if it is in range."""
    low, high, label = _MEASUREMENT_RANGES[name]
    return None if low <= value <= high else _out_of_range(name, value, low, high, label)


def _out_of_range(name: str, value: float, low: float, high: float, label: str) -> str:
    """The sentence for a measurement no child can have, naming the unit it was likely typed in:
    grams in the kg box (3500 → 3.5 kg), millimetres in a cm box (757 → 75.7 cm)."""
    if value > high and name == "weight_kg" and low <= value / 1000 <= high:
        return f"{label} of {value:g} looks like grams; weight is in kg: type {value / 1000:g}."
    if value > high and name != "weight_kg" and low <= value / 10 <= high:
        return f"{label} of {value:g} looks like millimetres; type it in cm: {value / 10:g}."
    return f"{label} of {value:g} is outside {low:g}-{high:g}; check the number and its units."


@dataclass(frozen=True)
class ObservationDetails:
    child_id: str
    occurred_at: datetime
    category: ObservationCategory
    text: str
    significant: bool = False
    time_known: bool = True
    visit_id: str | None = None
    weight_kg: float | None = None
    length_cm: float | None = None
    head_circumference_cm: float | None = None
    injury: InjuryDetails | None = None

    def validate(self) -> None:
        _required(self.text, "The observation", "text")
        for name, (low, high, label) in _MEASUREMENT_RANGES.items():
            value = getattr(self, name)
            if value is not None and not low <= value <= high:
                raise InvalidInput(_out_of_range(name, value, low, high, label), name)
        if self.injury is not None:
            self.injury.validate()


@dataclass(frozen=True)
class ConcernDetails:
    child_id: str
    occurred_at: datetime  # when the concern was raised
    category: ConcernCategory
    level: ConcernLevel
    source: str
    summary: str
    details: str | None = None
    concern_status: ConcernStatus = ConcernStatus.OPEN
    closed_at: datetime | None = None
    outcome: str | None = None
    time_known: bool = True
    visit_ids: tuple[str, ...] = ()
    observation_ids: tuple[str, ...] = ()

    def validate(self) -> None:
        _required(self.source, "The source of the concern", "source")
        _required(self.summary, "A summary of the concern", "summary")
        if self.closed_at is not None and self.concern_status is not ConcernStatus.CLOSED:
            raise InvalidInput(
                "Only a closed concern has a closing date; set the status to closed.",
                "concern_status",
            )
        if self.closed_at is not None and self.closed_at < self.occurred_at:
            raise InvalidInput(
                "The concern is closed before it was raised; check the closing date.", "closed_at"
            )


@dataclass(frozen=True)
class ChronologyEventDetails:
    """Something the practitioner learned of from any agency, for the chronology."""

    child_id: str
    occurred_at: datetime
    source: str
    kind: EventKind
    event: str
    source_kind: SourceKind = SourceKind.OTHER
    time_known: bool = False
    date_uncertain: bool = False
    ended_at: datetime | None = None
    significance: Significance | None = None
    impact_on_child: str | None = None
    action: str | None = None

    def validate(self) -> None:
        _required(self.source, "The source of the event", "source")
        _required(self.event, "What happened", "event")
        _order(self.occurred_at, self.ended_at, "The event", "ended_at")


@dataclass(frozen=True)
class ReferralDetails:
    child_ids: tuple[str, ...]
    occurred_at: datetime
    to_agency: str
    form: str = "marf"
    sections: dict[str, str] = field(default_factory=dict)
    concern_ids: tuple[str, ...] = ()
    family_aware: bool | None = None
    consent: Consent | None = None
    reason_not_sought: str | None = None
    immediate_risk: bool | None = None
    closed_at: datetime | None = None

    def validate(self) -> None:
        if not self.child_ids:
            raise InvalidInput("A referral must be about at least one child; choose the child.")
        _required(self.to_agency, "The agency referred to", "to_agency")
        _order(self.occurred_at, self.closed_at, "The referral", "closed_at")


@dataclass(frozen=True)
class SharingDetails:
    """A decision to share information, or not to (the seventh golden rule)."""

    child_ids: tuple[str, ...]
    occurred_at: datetime
    shared: bool
    with_whom: str
    what: str
    purpose: str
    consent: Consent
    lawful_basis: str | None = None
    reason: str | None = None
    # A copy of a form: the form's id and whether the copy was its final version (else a draft).
    referral_id: str | None = None
    form_final: bool | None = None

    def validate(self) -> None:
        if not self.child_ids:
            raise InvalidInput(
                "A sharing record must be about at least one child; choose the child."
            )
        _required(self.with_whom, "Who the information was shared with (or not)", "with_whom")
        _required(self.what, "What was shared (or asked for)", "what")
        _required(self.purpose, "The purpose of sharing", "purpose")
        if not self.shared and not (self.reason and self.reason.strip()):
            raise InvalidInput("A decision not to share needs its reason; say why.", "reason")
        if self.consent is Consent.NOT_SOUGHT and not (self.reason and self.reason.strip()):
            raise InvalidInput(
                "When consent was not sought, say why (for example, it would put the child at risk).",
                "reason",
            )
