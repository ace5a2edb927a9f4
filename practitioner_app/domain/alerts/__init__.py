"""Safeguarding alerts (DOMAIN.md, "Safeguarding alerts (the rules)"): all eleven rules, run as of T.

Eleven deterministic rules over the records of one child, computed as of a date T: the injury rules
(injuries.py), the contact rules (contact.py) and the rules on who is around the child
(around_the_child.py), faltering growth (growth.py), over the facts and alert types they share (facts.py).

Every alert names its rule, its severity, a one-line message with dates and counts, and the records
that caused it. Alerts prompt professional judgement; they never state a verdict and never block.

Decisions where DOMAIN.md leaves room are written as comments beside the code they govern. Common to
every rule:
- Only facts whose UK calendar date is on or before T count (uk_date(at) ≤ T); a status change,
  closure or household/professional link dated after T is ignored as well.
- A household or professional link counts at T when from_date ≤ T (or unknown) and to_date is
  unknown or ≥ T.
- "Within the N days up to T" is the inclusive range [T − (N − 1), T]: a record N − 1 days before T
  counts, one N days before does not.
- "Within any N-day window ending on or before T": qualifying records whose UK dates are at most
  N − 1 days apart. One alert per rule, whose evidence is the most recent qualifying window.
"""

from collections.abc import Callable
from datetime import date

from practitioner_app.domain.alerts.around_the_child import (
    concern_cluster,
    multi_agency_no_lead,
    new_adult,
    start_again,
)
from practitioner_app.domain.alerts.contact import (
    mandated_contact_overdue,
    not_seen,
    not_seen_alone,
    was_not_brought,
)
from practitioner_app.domain.alerts.facts import (
    RULE_TITLES,
    RULES,
    SEVERITY_RANK,
    Alert,
    CaseFacts,
    ChildFacts,
    ConcernFact,
    EventFact,
    HouseholdFact,
    InjuryMarkFact,
    ObservationFact,
    ProfessionalFact,
    ReferralFact,
    Severity,
    VisitFact,
    concern_statuses,
)
from practitioner_app.domain.alerts.growth import faltering_growth
from practitioner_app.domain.alerts.injuries import (
    NON_MOBILE_NEXT_STEPS,
    non_mobile_injury,
    repeat_injury,
)

__all__ = [
    "NON_MOBILE_NEXT_STEPS",
    "RULES",
    "RULE_TITLES",
    "SEVERITY_RANK",
    "Alert",
    "CaseFacts",
    "ChildFacts",
    "ConcernFact",
    "EventFact",
    "HouseholdFact",
    "InjuryMarkFact",
    "ObservationFact",
    "ProfessionalFact",
    "ReferralFact",
    "Severity",
    "VisitFact",
    "alerts",
    "concern_cluster",
    "concern_statuses",
    "faltering_growth",
    "mandated_contact_overdue",
    "multi_agency_no_lead",
    "new_adult",
    "non_mobile_injury",
    "not_seen",
    "not_seen_alone",
    "repeat_injury",
    "start_again",
    "was_not_brought",
]


_RULE_FUNCTIONS: tuple[Callable[[CaseFacts, date], Alert | None], ...] = (
    non_mobile_injury,
    repeat_injury,
    was_not_brought,
    not_seen,
    not_seen_alone,
    multi_agency_no_lead,
    concern_cluster,
    new_adult,
    start_again,
    faltering_growth,
    mandated_contact_overdue,
)


def alerts(facts: CaseFacts, as_of: date) -> list[Alert]:
    """All alerts for the child as of T, worst severity first, then rule order."""
    found = [alert for rule in _RULE_FUNCTIONS if (alert := rule(facts, as_of)) is not None]
    return sorted(found, key=lambda a: (-SEVERITY_RANK[a.severity], RULES.index(a.rule)))
