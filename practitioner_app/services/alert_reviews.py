"""Reviewing an alert (DOMAIN.md): "acted on: what I did" or "considered, no action, because …",
signed, dated, kept append-only and in the audit chain. The rules never read reviews; screens ask
here whether each alert as it now stands has been answered (domain/alerts/reviews.py)."""

from collections.abc import Iterable, Sequence

from practitioner_app.domain.alerts import Alert
from practitioner_app.domain.alerts.reviews import (
    AlertReview,
    ReviewOutcome,
    current_review,
    seen_by_review,
)
from practitioner_app.domain.enums import AuditAction
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.times import now_utc
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.alert_reviews import AlertReviewRepository
from practitioner_app.store.repositories.children import ChildRepository


def review(
    ws: Workspace, child_id: str, alert: Alert, outcome: ReviewOutcome, note: str
) -> AlertReview:
    """Record the review of `alert` for the child, signed by the vault's practitioner, in one unit
    of work with its audit event. InvalidInput (field "note") when it says nothing."""
    if alert.rule not in _known_rules():
        raise InvalidInput(f"There is no alert rule called {alert.rule!r}.")
    reviewed = AlertReview(
        rule=alert.rule,
        evidence=seen_by_review(alert),
        outcome=ReviewOutcome(outcome),
        note=note.strip(),
        reviewed_at=now_utc(),
        reviewer=ws.profile.signature,
    )
    reviewed.validate()
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        row = e.AlertReview(
            child_id=child_id,
            rule=reviewed.rule,
            evidence=list(reviewed.evidence),
            outcome=reviewed.outcome,
            note=reviewed.note,
            reviewed_at=reviewed.reviewed_at,
            **ws.authorship(),
        )
        AlertReviewRepository(session).add(row)
        session.flush()
        ws.audit_sealed(
            session,
            AuditAction.CREATE,
            "alert_review",
            row.id,
            [("alert_review", row.id)],
            children=[child_id],
            rule=reviewed.rule,
            outcome=reviewed.outcome.value,
        )
    return reviewed


def reviews(ws: Workspace, child_ids: Iterable[str] | None = None) -> dict[str, list[AlertReview]]:
    """Each child's reviews, oldest first (every child's when `child_ids` is None)."""
    with ws.unit_of_work() as session:
        return AlertReviewRepository(session).for_children(
            None if child_ids is None else list(child_ids)
        )


def reviewed(
    alerts: Sequence[Alert], child_reviews: Sequence[AlertReview]
) -> list[AlertReview | None]:
    """For each alert, the review that answers it as it now stands, or None."""
    return [current_review(alert, child_reviews) for alert in alerts]


def _known_rules() -> set[str]:
    from practitioner_app.domain.alerts import RULE_TITLES

    return set(RULE_TITLES)
