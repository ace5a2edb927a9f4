"""What a case bundle reads from and writes to the vault, by child; never commits.

The import writes through `store/bulk_sqlite.py`; the export reads whole tables for a set of children in a
few queries per kind of record, not a few per record.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, literal_column, select
from sqlalchemy.orm import Session

from practitioner_app.store import entries as e
from practitioner_app.store.base import Attributed
from practitioner_app.store.people import (
    Child,
    HouseholdLink,
    HouseholdMember,
    Professional,
    ProfessionalLink,
)

# The people of a bundle: (person model, link model, the link's column naming the person).
PEOPLE: dict[str, tuple[type[Any], type[Any], str]] = {
    "people": (HouseholdMember, HouseholdLink, "member_id"),
    "professionals": (Professional, ProfessionalLink, "professional_id"),
}

_CHUNK = 500
E = TypeVar("E", bound=e.Entry)
A = TypeVar("A", bound=Attributed)


# Columns every attributed row has (id, times, provenance): the importer fills them itself.
_OWN_COLUMNS = frozenset(Attributed.__annotations__)


def shared_columns(model: type[Any], record: BaseModel) -> dict[str, Any]:
    """The values of a bundle record for the columns of `model` it shares by name (not the ids,
    times or provenance); where the bundle says nothing and the column must have a value, the
    column's default."""
    values: dict[str, Any] = {}
    for column in model.__table__.columns:
        if column.name in _OWN_COLUMNS or column.name not in type(record).model_fields:
            continue
        value = getattr(record, column.name)
        if value is None and not column.nullable and column.default is not None:
            value = getattr(column.default, "arg", None)
        values[column.name] = value
    return values


@dataclass(frozen=True)
class IdsFound:
    """`present`: table → the incoming ids for it that it already holds. `elsewhere`: id → the
    other table that holds an incoming id (the bundle is refused: an id names one record)."""

    present: dict[str, list[str]]
    elsewhere: dict[str, str]


class BundleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def rows_of(self, model: type[A], ids: Sequence[str]) -> dict[str, A]:
        """id → row, for those of `ids` in the vault (give the ids `where_ids_are` found: most of
        a bundle is usually new, and loading is the cost)."""
        found: dict[str, A] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            found.update(
                (row.id, row)
                for row in self.session.scalars(select(model).where(model.id.in_(chunk)))
            )
        return found

    def where_ids_are(self, ids_by_table: dict[str, Sequence[str]]) -> "IdsFound":
        """Which incoming ids (by the table each belongs in) the vault already holds: in their
        own table, or in another.

        One query per table against a temporary table of the incoming ids (in memory: the
        vault's temp_store), so the cost follows the smaller side, not bundle × vault."""
        found = IdsFound({table: [] for table in ids_by_table}, {})
        rows = [(record_id, table) for table, ids in ids_by_table.items() for record_id in ids]
        if not rows:
            return found
        connection = self.session.connection()
        connection.exec_driver_sql(
            "CREATE TEMP TABLE IF NOT EXISTS incoming_id (id TEXT PRIMARY KEY, own TEXT NOT NULL)"
        )
        connection.exec_driver_sql("DELETE FROM incoming_id")
        connection.exec_driver_sql("INSERT OR IGNORE INTO incoming_id VALUES (?, ?)", rows)
        for table in ids_by_table:
            for record_id, own in connection.exec_driver_sql(
                f"SELECT i.id, i.own FROM incoming_id i JOIN {table} t ON t.id = i.id"
            ):
                if own == table:
                    found.present[table].append(record_id)
                else:
                    found.elsewhere[record_id] = table
        connection.exec_driver_sql("DELETE FROM incoming_id")
        return found

    def children_by_nhs_number(self, numbers: Sequence[str]) -> dict[str, str]:
        """NHS number → the child's reference (or id), for those of `numbers` already here."""
        found: dict[str, str] = {}
        for start in range(0, len(numbers), _CHUNK):
            rows = self.session.execute(
                select(Child.nhs_number, Child.external_ref, Child.id).where(
                    Child.nhs_number.in_(numbers[start : start + _CHUNK])
                )
            )
            found.update((number, ref or child_id) for number, ref, child_id in rows if number)
        return found

    def other_child_with_nhs_number(self, number: str, child_id: str) -> str | None:
        """The reference (or id) of another child with this NHS number, if any."""
        row = self.session.execute(
            select(Child.external_ref, Child.id).where(
                Child.nhs_number == number, Child.id != child_id
            )
        ).first()
        return None if row is None else (row.external_ref or row.id)

    def revisions(self, table: str, record_id: str) -> list[e.RecordRevision]:
        """The revisions bundles brought to one record, oldest first."""
        return list(
            self.session.scalars(
                select(e.RecordRevision)
                .where(
                    e.RecordRevision.record_table == table, e.RecordRevision.record_id == record_id
                )
                .order_by(e.RecordRevision.created_at)
            )
        )

    def reference_taken(self, reference: str) -> bool:
        return (
            self.session.scalar(select(Child.id).where(Child.external_ref == reference)) is not None
        )

    def links(self, link_model: type[Any], key: str, person_id: str) -> dict[str, Any]:
        """child id → a household member's or professional's link to that child."""
        rows = self.session.scalars(select(link_model).where(getattr(link_model, key) == person_id))
        return {link.child_id: link for link in rows}

    def choice_for(self, record_id: str) -> e.ChronologyChoice | None:
        return self.session.scalar(
            select(e.ChronologyChoice).where(e.ChronologyChoice.record_id == record_id)
        )

    def all_child_ids(self) -> set[str]:
        return set(self.session.scalars(select(Child.id)))

    def also_about(self, child_ids: Iterable[str]) -> set[str]:
        """The other children that entries about these children are also about (a visit to two
        siblings, a referral of a family), not among `child_ids`."""
        chosen = list(child_ids)
        found: set[str] = set()
        for model in e.ENTRY_KINDS.values():
            link = model.links.get("child_ids")
            if link is None:
                continue
            table = link.table
            theirs = select(table.c[link.own]).where(table.c[link.other].in_(chosen))
            found.update(
                self.session.scalars(
                    select(table.c[link.other]).where(table.c[link.own].in_(theirs)).distinct()
                )
            )
        return found - set(chosen)

    def children(self, child_ids: Iterable[str]) -> list[Child]:
        return list(self.session.scalars(select(Child).where(Child.id.in_(list(child_ids)))))

    def linked_people(
        self, list_name: str, child_ids: Iterable[str]
    ) -> list[tuple[Any, list[Any]]]:
        """Household members or professionals ("people" / "professionals") linked to the
        children, each with their links to them, ordered by their bundle id."""
        person_model, link_model, key = PEOPLE[list_name]
        by_person: dict[str, list[Any]] = {}
        for link in self.session.scalars(
            select(link_model).where(link_model.child_id.in_(list(child_ids)))
        ):
            by_person.setdefault(getattr(link, key), []).append(link)
        people = self.session.scalars(select(person_model).where(person_model.id.in_(by_person)))
        ordered = sorted(people, key=lambda person: person.id)
        return [(person, by_person[person.id]) for person in ordered]

    def entries(self, model: type[E], child_ids: Iterable[str]) -> list[E]:
        """Every entry of a kind about the children (through its child column, or its link to
        children), in the order they happened."""
        children = list(child_ids)
        link = model.links.get("child_ids")
        if link is None:
            query = select(model).where(model.__table__.c.child_id.in_(children))
        else:
            query = select(model).where(
                model.id.in_(
                    select(link.table.c[link.own]).where(link.table.c[link.other].in_(children))
                )
            )
        # In the order a chronology gives entries at one moment: by when each was written, then
        # in the order written here (which, for imported entries, is the order their source gave).
        order: ColumnElement[int] = literal_column(f"{model.__tablename__}.rowid")
        return list(
            self.session.scalars(query.order_by(model.occurred_at, model.recorded_at, order))
        )

    def status_changes(self, concern_ids: Iterable[str]) -> dict[str, list[e.ConcernStatusChange]]:
        """concern id → its status changes, oldest first."""
        ids = list(concern_ids)
        found: dict[str, list[e.ConcernStatusChange]] = {}
        for start in range(0, len(ids), _CHUNK):
            for change in self.session.scalars(
                select(e.ConcernStatusChange)
                .where(e.ConcernStatusChange.concern_id.in_(ids[start : start + _CHUNK]))
                # As ConcernRepository.current: at one moment the later-recorded change is latest.
                .order_by(e.ConcernStatusChange.changed_at, e.ConcernStatusChange.recorded_at)
            ):
                found.setdefault(change.concern_id, []).append(change)
        return found

    def amendments(self, target_ids: Iterable[str]) -> list[e.Amendment]:
        """The amendments of the given entries, oldest first (by recorded-at, then id)."""
        ids = list(target_ids)
        found: list[e.Amendment] = []
        for start in range(0, len(ids), _CHUNK):
            found.extend(
                self.session.scalars(
                    select(e.Amendment).where(
                        e.Amendment.target_id.in_(ids[start : start + _CHUNK])
                    )
                )
            )
        found.sort(key=lambda amendment: (amendment.recorded_at, amendment.id))
        return found

    def alert_reviews(self, child_ids: Iterable[str]) -> list[e.AlertReview]:
        """The alert reviews about the children, oldest first."""
        return list(
            self.session.scalars(
                select(e.AlertReview)
                .where(e.AlertReview.child_id.in_(list(child_ids)))
                .order_by(e.AlertReview.reviewed_at, e.AlertReview.id)
            )
        )

    def agency_aliases(self) -> list[e.AgencyAlias]:
        """Every agency name merge in the vault, by alias."""
        return list(self.session.scalars(select(e.AgencyAlias).order_by(e.AgencyAlias.alias)))

    def alias_named(self, alias: str) -> e.AgencyAlias | None:
        return self.session.scalars(
            select(e.AgencyAlias).where(e.AgencyAlias.alias == alias)
        ).first()

    def choices(self, child_ids: Iterable[str]) -> list[e.ChronologyChoice]:
        """The chronology choices about the children, by id."""
        return list(
            self.session.scalars(
                select(e.ChronologyChoice)
                .where(e.ChronologyChoice.child_id.in_(list(child_ids)))
                .order_by(e.ChronologyChoice.id)
            )
        )
