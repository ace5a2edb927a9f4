"""Body maps: the marks of an occasion drawn together, and the rules a mark meets against the
records it names (its occasion is the child's, and one occasion is one outline).

DOMAIN.md "Growth, body maps and photographs": one map per occasion, never redrawn.
"""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from practitioner_app.domain.body_map import (
    FIGURE_LABELS,
    BodyFigure,
    figure_for_age,
    region_label,
)
from practitioner_app.domain.body_marks import (
    BodyMap,
    BodyMarkDetails,
    MapMark,
    explanation_summary,
    mark_summary,
)
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.times import age_on, start_of_uk_day, uk_date
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.amendments import AmendmentRepository
from practitioner_app.store.repositories.body_marks import BodyMarkRepository
from practitioner_app.store.repositories.children import ChildRepository

_FIELDS = [item.name for item in dataclasses.fields(BodyMarkDetails)]


def details_of(mark: e.BodyMark) -> BodyMarkDetails:
    """A stored mark as its details dataclass, as first recorded."""
    return BodyMarkDetails(**{name: getattr(mark, name) for name in _FIELDS})


def has_marks(session: Session, observation_id: str) -> bool:
    return bool(BodyMarkRepository(session).of_occasion(observation_id))


# How long before its observation a mark may be dated (seen the day before, recorded at the visit).
MARK_BEFORE_OCCASION = timedelta(days=7)


def check_occasion(session: Session, details: BodyMarkDetails, mark_id: str | None = None) -> None:
    """The occasion is an observation of the same child, and its map is one outline: a mark on
    an occasion already drawn on the other outline is refused (a map is never redrawn)."""
    repository = BodyMarkRepository(session)
    occasion = repository.occasion(details.observation_id)
    if occasion is None:
        raise InvalidInput(
            f"There is no observation with id {details.observation_id}; a mark belongs to the "
            "observation it was seen at.",
            "observation_id",
        )
    if occasion.child_id != details.child_id:
        raise InvalidInput(
            "The observation this mark was seen at is about another child; choose this child's "
            "observation.",
            "observation_id",
        )
    day = (
        uk_date(details.occurred_at)
        if isinstance(details.occurred_at, datetime)
        else (details.occurred_at)
    )
    seen_on = uk_date(occasion.occurred_at)
    if not seen_on - MARK_BEFORE_OCCASION <= day <= seen_on:
        raise InvalidInput(
            f"A mark is dated when it was seen, at its observation of "
            f"{seen_on:%d/%m/%Y}: give that day or one up to {MARK_BEFORE_OCCASION.days} days "
            "before it (a mark seen on another day belongs to that day's observation).",
            "occurred_at",
        )
    born = ChildRepository(session).fetch(details.child_id).date_of_birth
    if born is not None and day < born:
        raise InvalidInput(
            f"The mark is dated {day:%d/%m/%Y}, before the child was born ({born:%d/%m/%Y}); "
            "check the date.",
            "occurred_at",
        )
    for other in repository.of_occasion(details.observation_id):
        if other.id != mark_id and other.figure is not details.figure:
            raise InvalidInput(
                f"This occasion's body map is drawn on the {FIGURE_LABELS[other.figure].lower()} "
                "outline; put the mark on the same outline (one map per occasion).",
                "figure",
            )


def _map_marks(marks: Sequence[e.BodyMark], amended: set[str]) -> tuple[MapMark, ...]:
    result = []
    for number, mark in enumerate(marks, start=1):
        details = details_of(mark)
        result.append(
            MapMark(
                number=number,
                id=mark.id,
                side=mark.side,
                x=mark.x,
                y=mark.y,
                region=region_label(mark.figure, mark.side, mark.region),
                what=mark_summary(details),
                explanation=explanation_summary(details),
                draft=mark.status is EntryStatus.DRAFT,
                amended=mark.id in amended,
            )
        )
    return tuple(result)


def _maps(session: Session, marks: Sequence[e.BodyMark]) -> list[BodyMap]:
    """Marks grouped by occasion, each occasion's marks numbered in the order recorded."""
    by_occasion: dict[str, list[e.BodyMark]] = {}
    for mark in marks:
        by_occasion.setdefault(mark.observation_id, []).append(mark)
    amended = AmendmentRepository(session).amended_ids(
        RecordKind.BODY_MARK, [mark.id for mark in marks]
    )
    repository = BodyMarkRepository(session)
    maps = []
    for observation_id, group in by_occasion.items():
        group.sort(key=lambda m: (m.recorded_at, m.id))
        occasion = repository.occasion(observation_id)
        assert occasion is not None  # a foreign key
        maps.append(
            BodyMap(
                observation_id=observation_id,
                child_id=occasion.child_id,
                occurred_at=occasion.occurred_at,
                time_known=occasion.time_known,
                figure=group[0].figure,
                recorded_by=occasion.signature,
                marks=_map_marks(group, amended),
            )
        )
    maps.sort(key=lambda m: (m.occurred_at, m.observation_id))
    return maps


@dataclass(frozen=True)
class Occasion:
    """An observation as its body map needs it: whose, when, which outline (the one its marks
    are on; else the one the child's age at the time suggests), and the map so far."""

    observation_id: str
    child_id: str
    occurred_at: datetime
    time_known: bool
    figure: BodyFigure
    body_map: BodyMap | None


def occasion(ws: Workspace, observation_id: str) -> Occasion:
    """The occasion of a body map; InvalidInput when there is no such observation."""
    with ws.unit_of_work() as session:
        repository = BodyMarkRepository(session)
        observation = repository.occasion(observation_id)
        if observation is None:
            raise InvalidInput(f"There is no observation with id {observation_id}; check the id.")
        marks = repository.of_occasion(observation_id)
        found = _maps(session, marks) if marks else []
        child = ChildRepository(session).fetch(observation.child_id)
        day = uk_date(observation.occurred_at)
        born = child.date_of_birth
        years = age_on(born, day)[0] if born is not None and born <= day else None
        return Occasion(
            observation_id=observation_id,
            child_id=observation.child_id,
            occurred_at=observation.occurred_at,
            time_known=observation.time_known,
            figure=found[0].figure if found else figure_for_age(years),
            body_map=found[0] if found else None,
        )


def of_occasion(ws: Workspace, observation_id: str) -> BodyMap | None:
    """The body map of one observation (drafts included), or None when it has no marks."""
    with ws.unit_of_work() as session:
        marks = BodyMarkRepository(session).of_occasion(observation_id)
        found = _maps(session, marks) if marks else []
        return found[0] if found else None


def of_child(
    ws: Workspace,
    child_id: str,
    *,
    include_drafts: bool = False,
    until: date | None = None,
    since: date | None = None,
    observation_ids: Sequence[str] | None = None,
) -> list[BodyMap]:
    """The child's body maps, oldest first: final marks only unless drafts are asked for; of
    occasions from the UK day `since` to the end of the UK day `until`; of some occasions only
    when `observation_ids` is given."""
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        limit: datetime | None = (
            start_of_uk_day(until + timedelta(days=1)) - timedelta(microseconds=1)
            if until is not None
            else None
        )
        marks = BodyMarkRepository(session).of_child(
            child_id,
            final_only=not include_drafts,
            until=limit,
            observation_ids=observation_ids,
        )
        found = _maps(session, marks)
    if since is not None:
        found = [m for m in found if uk_date(m.occurred_at) >= since]
    return found


# A referral made without linking its concerns carries the maps of this many days before it.
REFERRAL_DAYS = 90


def for_referral(
    ws: Workspace,
    child_id: str,
    concern_ids: Sequence[str],
    made_at: datetime,
    *,
    drafts: bool,
) -> list[BodyMap]:
    """The body maps a referral (the MARF) carries: those of the observations its concerns
    link to; when they link none that has a map, the child's maps of the REFERRAL_DAYS up to
    the referral. A draft referral shows draft marks too (marked DRAFT)."""
    with ws.unit_of_work() as session:
        linked = BodyMarkRepository(session).observations_of_concerns(concern_ids)
    day = uk_date(made_at)
    if linked:
        maps = of_child(ws, child_id, include_drafts=drafts, observation_ids=linked)
        if maps:
            return maps
    return of_child(
        ws,
        child_id,
        include_drafts=drafts,
        until=day,
        since=day - timedelta(days=REFERRAL_DAYS),
    )
