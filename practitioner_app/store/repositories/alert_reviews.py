"""The practitioner's reviews of a child's alerts (append-only), as plain domain reviews."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from practitioner_app.domain.alerts.reviews import AlertReview as Review
from practitioner_app.store.entries import AlertReview
from practitioner_app.store.repositories.generic import Repository


class AlertReviewRepository(Repository[AlertReview]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, AlertReview, "alert review")

    def for_children(self, child_ids: Iterable[str] | None) -> dict[str, list[Review]]:
        """Each child's reviews, oldest first (all children when `child_ids` is None)."""
        query = select(AlertReview).order_by(AlertReview.reviewed_at)
        if child_ids is not None:
            ids = list(child_ids)
            if not ids:
                return {}
            query = query.where(AlertReview.child_id.in_(ids))
        found: dict[str, list[Review]] = {}
        for row in self.session.scalars(query):
            found.setdefault(row.child_id, []).append(
                Review(
                    rule=row.rule,
                    evidence=tuple(row.evidence),
                    outcome=row.outcome,
                    note=row.note,
                    reviewed_at=row.reviewed_at,
                    reviewer=row.signature,
                )
            )
        return found
