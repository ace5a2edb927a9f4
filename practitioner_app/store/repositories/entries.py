"""Entries of one kind (visits, observations, concerns...): a child's, by time, as objects or rows.

Observations, concerns and chronology events name their child in a column; visits, referrals and
sharing records may be about several children, through a link table. `about_child` hides which.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    Table,
    bindparam,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from practitioner_app.domain.enums import (
    ContactType,
    EntryStatus,
    EventKind,
    ObservationCategory,
    VisitOutcome,
)
from practitioner_app.domain.kinds import spec
from practitioner_app.domain.times import uk_date
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.generic import Repository, plain_rows

EntryT = TypeVar("EntryT", bound=e.Entry)

# Entries about several children (a visit to siblings): the link table and its column naming the
# entry, from the models' own `links` (domain/kinds.py names the field).
_CHILD_LINKS: dict[type[e.Entry], tuple[Table, str]] = {
    model: (model.links["child_ids"].table, model.links["child_ids"].own)
    for model in e.ENTRY_KINDS.values()
    if "child_ids" in model.links
}


@cache
def _drafts_sql() -> str:
    """Every kind's drafts by child, as one statement of SQL text made once a process: read at
    every unlock, its eight statements compiled afresh for each new engine were a third of the
    caseload's time (issue 19). It has no parameters."""
    parts = []
    for model in e.ENTRY_KINDS.values():
        table = model.__tablename__
        drafts = f"{table}.{e.DRAFT_ONLY}"
        if model in _CHILD_LINKS:
            link, own = _CHILD_LINKS[model]
            # IN (the drafts) rather than a join: SQLite then starts from the few drafts in the
            # partial index, not from every link.
            parts.append(
                f"SELECT child_id, count(*) FROM {link.name} "
                f"WHERE {own} IN (SELECT id FROM {table} WHERE {drafts}) GROUP BY child_id"
            )
        else:
            parts.append(f"SELECT child_id, count(*) FROM {table} WHERE {drafts} GROUP BY child_id")
    return " UNION ALL ".join(parts)


def about_child(model: type[e.Entry], child_id: str | BindParameter[str]) -> ColumnElement[bool]:
    """The condition that an entry of this kind is about the child (or the child bound later)."""
    if model in _CHILD_LINKS:
        link, own = _CHILD_LINKS[model]
        return model.id.in_(select(link.c[own]).where(link.c.child_id == child_id))
    column: ColumnElement[str] = model.__table__.c.child_id
    return column == child_id


class EntryRepository(Repository[EntryT], Generic[EntryT]):
    """One kind of entry."""

    def __init__(self, session: Session, model: type[EntryT], what: str) -> None:
        super().__init__(session, model, what)

    def for_child(self, child_id: str, *, newest_first: bool = False) -> Sequence[EntryT]:
        """The child's entries of this kind, drafts included, by when they happened."""
        when = self.model.occurred_at.desc() if newest_first else self.model.occurred_at
        query = select(self.model).where(about_child(self.model, child_id)).order_by(when)
        return self.session.scalars(query).all()

    def rows_for_child(
        self,
        child_id: str,
        *,
        final_only: bool = False,
        newest_first: bool = False,
        leave_out: frozenset[str] = frozenset(),
        ordered: bool = True,
    ) -> list[Any]:
        """The same as named rows of the table's columns: read-only, and much cheaper than
        objects when a child has thousands of entries. `leave_out`: columns the caller does not
        read (each value read is converted in Python: a date parsed, an enum looked up).
        `ordered` False: in no particular order, for a caller that sorts them itself (SQLite
        sorts whole rows, long notes and all, in a temporary tree: a third of the reading)."""
        query = _rows_of_child(self.model, leave_out, final_only, newest_first, ordered)
        return plain_rows(self.session, query, {"child_id": child_id})

    def children_and_times(
        self, entry_ids: Collection[str]
    ) -> dict[str, tuple[tuple[str, ...], datetime]]:
        """For each of these entries that exists: the children it is about and when it
        happened, in two statements however many there are (search places up to 50 hits a
        query; one entry loaded whole and its links read, hit by hit, was three quarters of
        its time, issue 19)."""
        if not entry_ids:
            return {}
        ids = list(entry_ids)
        model = self.model
        if model not in _CHILD_LINKS:
            query = select(model.id, model.__table__.c.child_id, model.occurred_at)
            return {
                entry_id: ((child_id,), occurred_at)
                for entry_id, child_id, occurred_at in self.session.execute(
                    query.where(model.id.in_(ids))
                )
            }
        link, own = _CHILD_LINKS[model]
        children: dict[str, list[str]] = {}
        for entry_id, child_id in self.session.execute(
            select(link.c[own], link.c.child_id).where(link.c[own].in_(ids))
        ):
            children.setdefault(entry_id, []).append(child_id)
        return {
            entry_id: (tuple(children.get(entry_id, ())), occurred_at)
            for entry_id, occurred_at in self.session.execute(
                select(model.id, model.occurred_at).where(model.id.in_(ids))
            )
        }

    def child_ids_of(self, entry: EntryT) -> tuple[str, ...]:
        """The children an entry is about."""
        if self.model not in _CHILD_LINKS:
            child_id: str = getattr(entry, "child_id")  # noqa: B009 (a column of some kinds only)
            return (child_id,)
        link, own = _CHILD_LINKS[self.model]
        query = select(link.c.child_id).where(link.c[own] == entry.id)
        return tuple(self.session.scalars(query))


def _columns(model: type[Any], leave_out: frozenset[str]) -> list[Any]:
    return [column for column in model.__table__.c if column.name not in leave_out]


# Made once a process, the child bound at each call: building a select of twenty-odd columns and
# working out its cache key cost 0.2 ms, more than reading a child's few referrals, and a
# chronology reads eight kinds (issue 19).
@cache
def _rows_of_child(
    model: type[e.Entry],
    leave_out: frozenset[str],
    final_only: bool,
    newest_first: bool,
    ordered: bool,
) -> Select[Any]:
    query = select(*_columns(model, leave_out), written_order(model)).where(
        about_child(model, bindparam("child_id"))
    )
    if final_only:
        query = query.where(model.status == EntryStatus.FINAL)
    if ordered:
        query = query.order_by(model.occurred_at.desc() if newest_first else model.occurred_at)
    return query


@cache
def _chronology_observations(leave_out: frozenset[str], final_only: bool) -> Select[Any]:
    """See `ObservationRepository.chronology_rows`; made once, as `_rows_of_child`."""
    injured = select(e.Injury.observation_id).where(e.Injury.observation_id == e.Observation.id)
    query = select(*_columns(e.Observation, leave_out), written_order(e.Observation)).where(
        e.Observation.child_id == bindparam("child_id"),
        e.Observation.significant
        | (e.Observation.category == ObservationCategory.INJURY)
        | injured.exists()
        | e.Observation.id.in_(bindparam("chosen", expanding=True)),
    )
    if final_only:
        query = query.where(e.Observation.status == EntryStatus.FINAL)
    return query


def written_order(model: type[Any]) -> ColumnElement[int]:
    """The order rows were written into this vault (SQLite's rowid), as `written_order`: the
    last tie-break of a chronology, the order the source gave. An import writes a bundle's
    records in the bundle's order, and an export lists them in this order, so it travels."""
    return literal_column(f"{model.__tablename__}.rowid").label("written_order")


# One child's completed visits, read from the child's links first. Left to choose, SQLite went
# through ix_visit_seen, every completed visit in the vault, for each child opened: opening a
# child cost as much as the vault was large (issue 19, as the caseload summary's triggers did
# before migration 0017). CROSS JOIN is SQLite's way to fix the order of a join
# (https://sqlite.org/optoverview.html#crossjoin); SQLAlchemy has no CROSS JOIN, hence the text.
_CHILDS_COMPLETED_VISITS = (
    "FROM visit_child CROSS JOIN visit ON visit.id = visit_child.visit_id "
    "WHERE visit_child.child_id = :child_id AND visit.outcome = :outcome"
)
_LAST_SEEN = (
    text(
        f"SELECT max(visit.occurred_at) AS at {_CHILDS_COMPLETED_VISITS} AND visit.child_seen IS 1"
    )
    .bindparams(bindparam("outcome", type_=e.Visit.outcome.type))
    .columns(at=e.Visit.occurred_at.type)
)
_CONTACT_TYPES = (
    text(f"SELECT visit.contact_type {_CHILDS_COMPLETED_VISITS} AND visit.contact_type IS NOT NULL")
    .bindparams(bindparam("outcome", type_=e.Visit.outcome.type))
    .columns(contact_type=e.Visit.contact_type.type)
)


class VisitRepository(EntryRepository[e.Visit]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, e.Visit, "visit")

    def last_seen(self, child_id: str | None = None) -> dict[str, date]:
        """Each child's last completed visit at which they were seen (one child's, or all)."""
        if child_id is not None:
            at = self.session.execute(
                _LAST_SEEN, {"child_id": child_id, "outcome": VisitOutcome.COMPLETED}
            ).scalar()
            return {child_id: uk_date(at)} if at is not None else {}
        query = (
            select(e.visit_child.c.child_id, func.max(e.Visit.occurred_at).label("at"))
            .join(e.Visit, e.Visit.id == e.visit_child.c.visit_id)
            .where(e.Visit.child_seen.is_(True), e.Visit.outcome == VisitOutcome.COMPLETED)
            .group_by(e.visit_child.c.child_id)
        )
        return {row.child_id: uk_date(row.at) for row in self.session.execute(query)}

    def completed_contact_types(self, child_id: str) -> set[ContactType]:
        """The contact types (new birth visit, 6-8 week review...) of the child's completed visits."""
        found = self.session.scalars(
            _CONTACT_TYPES, {"child_id": child_id, "outcome": VisitOutcome.COMPLETED}
        )
        return {contact for contact in found if contact is not None}

    def with_child_voice_since(self, child_id: str, since: datetime) -> Sequence[e.Visit]:
        """The child's visits since a moment at which the child's own words were written down."""
        query = (
            select(e.Visit)
            .where(
                about_child(e.Visit, child_id),
                e.Visit.child_voice.is_not(None),
                e.Visit.child_voice != "",
                e.Visit.occurred_at >= since,
            )
            .order_by(e.Visit.occurred_at)
        )
        return self.session.scalars(query).all()

    def recorded_at(self, visit_id: str) -> tuple[list[str], list[str]]:
        """What was recorded at a visit: (observation ids, concern ids)."""
        observations = select(e.Observation.id).where(e.Observation.visit_id == visit_id)
        concerns = select(e.concern_visit.c.concern_id).where(
            e.concern_visit.c.visit_id == visit_id
        )
        return list(self.session.scalars(observations)), list(self.session.scalars(concerns))


class ObservationRepository(EntryRepository[e.Observation]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, e.Observation, "observation")

    def significant_since(self, child_id: str, since: datetime) -> Sequence[e.Observation]:
        query = (
            select(e.Observation)
            .where(
                e.Observation.child_id == child_id,
                e.Observation.significant.is_(True),
                e.Observation.occurred_at >= since,
            )
            .order_by(e.Observation.occurred_at)
        )
        return self.session.scalars(query).all()

    def chronology_rows(
        self,
        child_id: str,
        chosen: list[str],
        *,
        final_only: bool,
        leave_out: frozenset[str] = frozenset(),
    ) -> list[Any]:
        """The child's observations that belong in a chronology: those marked significant, every
        injury (filed as one or with an injury recorded), and those the practitioner chose
        (`chosen` ids), as named rows (`leave_out` as for `rows_for_child`)."""
        query = _chronology_observations(leave_out, final_only)
        return plain_rows(self.session, query, {"child_id": child_id, "chosen": chosen})

    def of_injury(self, injury_id: str) -> str:
        """The observation an injury was recorded with."""
        query = select(e.Injury.observation_id).where(e.Injury.id == injury_id)
        return self.session.scalars(query).one()


class ChronologyEventRepository(EntryRepository[e.ChronologyEvent]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, e.ChronologyEvent, "chronology event")

    def of_kinds(self, child_id: str, kinds: Iterable[EventKind]) -> Sequence[e.ChronologyEvent]:
        """The child's events of these kinds, drafts included, by when they happened."""
        query = (
            select(e.ChronologyEvent)
            .where(e.ChronologyEvent.child_id == child_id, e.ChronologyEvent.kind.in_(list(kinds)))
            .order_by(e.ChronologyEvent.occurred_at)
        )
        return self.session.scalars(query).all()


class ReferralRepository(EntryRepository[e.Referral]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, e.Referral, "form")

    def final_for_child(self, child_id: str) -> Sequence[e.Referral]:
        query = (
            select(e.Referral)
            .where(about_child(e.Referral, child_id), e.Referral.status == EntryStatus.FINAL)
            .order_by(e.Referral.occurred_at)
        )
        return self.session.scalars(query).all()


class SharingRepository(EntryRepository[e.SharingRecord]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, e.SharingRecord, "sharing record")

    def log_for_child(self, child_id: str) -> Sequence[e.SharingRecord]:
        """Newest first; shares at the same moment by when they were recorded, newest first."""
        query = (
            select(e.SharingRecord)
            .where(about_child(e.SharingRecord, child_id))
            .order_by(e.SharingRecord.occurred_at.desc(), e.SharingRecord.recorded_at.desc())
        )
        return self.session.scalars(query).all()

    def copies_of_forms(self, referral_ids: Sequence[str]) -> Sequence[e.SharingRecord]:
        """The shares that were copies of these forms (the link written since the form export
        names its form), oldest first."""
        if not referral_ids:
            return []
        query = (
            select(e.SharingRecord)
            .where(e.SharingRecord.referral_id.in_(referral_ids), e.SharingRecord.shared.is_(True))
            .order_by(e.SharingRecord.occurred_at, e.SharingRecord.recorded_at)
        )
        return self.session.scalars(query).all()


def entry_repository(session: Session, kind: str) -> EntryRepository[Any]:
    """The repository for an entry kind by its name ("visit", "chronology_event"...); InvalidInput
    naming the kinds for a name that is none."""
    return EntryRepository(session, e.model_of(spec(kind).kind), spec(kind).words)


class EntryTotals:
    """Counts across every kind of entry."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_kind(self) -> dict[str, int]:
        return {
            kind: self.session.scalar(select(func.count()).select_from(model)) or 0
            for kind, model in e.ENTRY_KINDS.items()
        }

    def drafts_by_child(self) -> dict[str, int]:
        """Each child's drafts. Entries about several children count once for each; a draft
        referral is a form not sent."""
        counts: dict[str, int] = defaultdict(int)
        for child_id, drafts in self.session.connection().exec_driver_sql(_drafts_sql()):
            counts[child_id] += drafts
        return counts
