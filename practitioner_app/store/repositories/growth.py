"""A child's growth measurements: the observations that carry one, and the amendments that
corrected a measurement of a final observation since."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.store import entries as e

MEASUREMENT_FIELDS = ("weight_kg", "length_cm", "head_circumference_cm")


@dataclass(frozen=True)
class MeasuredObservation:
    id: str
    occurred_at: datetime
    weight_kg: float | None
    length_cm: float | None
    head_circumference_cm: float | None
    draft: bool
    amended: bool  # a measurement was corrected by an amendment, whose value is given


class GrowthRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def measurements(self, child_id: str) -> Sequence[MeasuredObservation]:
        """The child's observations with a measurement, in time order, each measurement as its
        latest amendment has it (an amendment that blanks a value removes the point)."""
        o = e.Observation
        rows = self.session.execute(
            select(o.id, o.occurred_at, o.weight_kg, o.length_cm, o.head_circumference_cm, o.status)
            .where(o.child_id == child_id)
            .where(
                or_(
                    o.weight_kg.is_not(None),
                    o.length_cm.is_not(None),
                    o.head_circumference_cm.is_not(None),
                )
            )
            .order_by(o.occurred_at, o.id)
        ).all()
        a = e.Amendment
        corrections: dict[tuple[str, str], float | None] = {}
        for target, field, value in self.session.execute(
            select(a.target_id, a.field, a.new_value)
            .where(a.target_kind == "observation")
            .where(a.target_id.in_([row.id for row in rows]))
            .where(a.field.in_(MEASUREMENT_FIELDS))
            .order_by(a.recorded_at, a.id)
        ):
            corrections[(target, field)] = _number(value)
        found = []
        for row in rows:
            values = {
                name: corrections.get((row.id, name), getattr(row, name))
                for name in MEASUREMENT_FIELDS
            }
            found.append(
                MeasuredObservation(
                    row.id,
                    row.occurred_at,
                    **values,
                    draft=row.status is EntryStatus.DRAFT,
                    amended=any((row.id, name) in corrections for name in MEASUREMENT_FIELDS),
                )
            )
        return found


def _number(value: str | None) -> float | None:
    """An amended measurement as a number (amend() only accepts numbers in range for these)."""
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        return None
