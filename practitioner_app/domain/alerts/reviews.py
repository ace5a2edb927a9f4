"""An alert's review (DOMAIN.md, "Safeguarding alerts"): the practitioner's answer to a prompt —
"acted on: what I did" or "considered, no action, because …" — signed, dated and kept. A review is
a record, not part of the rules: the rules stay pure and compute the same alerts; a review says
whether an alert as it now stands has been answered. New evidence after the review (a record the
review did not see) raises the alert again.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from practitioner_app.domain.alerts.facts import Alert
from practitioner_app.domain.errors import InvalidInput


class ReviewOutcome(StrEnum):
    ACTED_ON = "acted_on"
    NO_ACTION = "no_action"


OUTCOME_WORDS = {
    ReviewOutcome.ACTED_ON: "Acted on",
    ReviewOutcome.NO_ACTION: "Considered, no action",
}


@dataclass(frozen=True)
class AlertReview:
    """One review of one alert: which rule, the records it had seen (the alert's evidence ids),
    what was decided and why, by whom and when (UTC)."""

    rule: str
    evidence: tuple[str, ...]
    outcome: ReviewOutcome
    note: str
    reviewed_at: datetime
    reviewer: str  # the signature, "Name (Role, Agency)"

    def validate(self) -> None:
        """Raises InvalidInput (field "note") when the review does not say what or why."""
        check_note(self.outcome, self.note)

    def sentence(self) -> str:
        """'Acted on: Rang the GP. — Asha Patel (Health visitor, …), 30/11/2026'."""
        from practitioner_app.domain.times import format_uk_date, uk_date

        because = "" if self.outcome is ReviewOutcome.ACTED_ON else " because"
        return (
            f"{OUTCOME_WORDS[self.outcome]}{because}: {self.note.strip()} — {self.reviewer}, "
            f"{format_uk_date(uk_date(self.reviewed_at))}"
        )


def check_note(outcome: ReviewOutcome, note: str) -> None:
    """A review says what was done, or why nothing: InvalidInput (field "note") if it is blank."""
    if not note.strip():
        raise InvalidInput(
            "Say what you did."
            if outcome is ReviewOutcome.ACTED_ON
            else "Say why no action is needed: the review records your reasoning.",
            "note",
        )


def seen_by_review(alert: Alert) -> tuple[str, ...]:
    """What a review of `alert` records as seen: the ids of the records behind it; for an alert
    that rests on no record (a mandated contact overdue), what the alert says, fingerprinted, so
    that a contact newly overdue is new evidence and raises the alert again."""
    if alert.evidence:
        return tuple(alert.evidence)
    digest = hashlib.sha256(alert.message.encode("utf-8")).hexdigest()[:32]
    return (f"said:{digest}",)


def current_review(alert: Alert, reviews: Iterable[AlertReview]) -> AlertReview | None:
    """The latest review of `alert` that saw every record now behind it; None when there is none,
    or when evidence has come since (the alert is raised again)."""
    now = set(seen_by_review(alert))
    seen = [r for r in reviews if r.rule == alert.rule and now <= set(r.evidence)]
    return max(seen, key=lambda r: r.reviewed_at, default=None)
